import { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { SlackPermanentError, SlackRateLimitedError } from '../../services/ports.js';
import { ChannelUnavailableError, type ChannelProblem } from '../../services/summaries/ports.js';

/** Answers that will not change by trying again. */
const PERMANENT = new Set([
  'channel_not_found',
  'user_not_found',
  'user_disabled',
  'account_inactive',
  'cannot_dm_bot',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'restricted_action',
  'not_allowed_token_type',
  'missing_scope',
]);

const CHANNEL_PROBLEMS: ReadonlySet<string> = new Set<ChannelProblem>(['channel_not_found', 'is_archived', 'not_in_channel']);

/** Slack's `error` code (`users_not_found`, `channel_not_found`, …) of a platform error, before or after translation. */
export function platformErrorCode(error: unknown): string | undefined {
  if (error instanceof WebAPIPlatformError) return error.data.error;
  if (error instanceof SlackPermanentError) return error.code;
  if (error instanceof ChannelUnavailableError) return error.problem;
  return undefined;
}

/**
 * The one translation of Web API errors into the services' Slack errors (using the SDK's own error
 * classes): 429 → SlackRateLimitedError, answers that will not change → SlackPermanentError, and
 * for channel posts the channel problems → ChannelUnavailableError. Anything else is passed on.
 */
export function translateSlackError(method: string, error: unknown, options: { channelId?: string } = {}): Error {
  if (error instanceof WebAPIRateLimitedError) return new SlackRateLimitedError(method, Math.max(0, error.retryAfter * 1000));
  const code = platformErrorCode(error);
  if (code && options.channelId && CHANNEL_PROBLEMS.has(code)) return new ChannelUnavailableError(code as ChannelProblem, options.channelId);
  if (code && PERMANENT.has(code)) return new SlackPermanentError(method, code);
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs one Web API call, translating its failure. */
export async function callSlack<T>(method: string, run: () => Promise<T>, options: { channelId?: string } = {}): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateSlackError(method, error, options);
  }
}
