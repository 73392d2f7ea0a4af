import { WebClient, type RetryOptions, type WebClientOptions } from '@slack/web-api';

export interface WebClientSettings {
  token: string;
  slackApiUrl: string;
  /** Tests: retries on network errors and 5xx (the SDK's default retries for half an hour). */
  retries?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function retryConfig(settings: WebClientSettings): RetryOptions {
  return settings.retries === undefined ? { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 10_000 } : { retries: settings.retries };
}

/**
 * The interactive configuration: calls made while a person waits (views.open, ephemerals, users.info).
 * Bounded retries and a timeout, so a stuck call never holds a listener for long. Bolt's own client
 * is built from these options too.
 */
export function interactiveClientOptions(settings: WebClientSettings): WebClientOptions {
  return { slackApiUrl: settings.slackApiUrl, timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS, retryConfig: retryConfig(settings) };
}

/**
 * The fan-out configuration (reminder passes, summaries, member lists, notifications): rate-limited
 * calls are rejected at once (`rejectRateLimitedCalls`) instead of pausing inside the client, so the
 * caller's gate pauses all of its workers on one 429 and a 429 here never delays interactive calls.
 */
export function fanOutClientOptions(settings: WebClientSettings): WebClientOptions {
  return { ...interactiveClientOptions(settings), rejectRateLimitedCalls: true };
}

export function interactiveWebClient(settings: WebClientSettings): WebClient {
  return new WebClient(settings.token, interactiveClientOptions(settings));
}

export function fanOutWebClient(settings: WebClientSettings): WebClient {
  return new WebClient(settings.token, fanOutClientOptions(settings));
}

/**
 * Channel messages (summaries, notes to one person): the interactive configuration on a client of
 * their own, so a chat.postMessage 429 pauses only this client's queue, never a lookup a person waits on.
 */
export function messagesWebClient(settings: WebClientSettings): WebClient {
  return new WebClient(settings.token, interactiveClientOptions(settings));
}
