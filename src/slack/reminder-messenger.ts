import { setTimeout as sleep } from 'node:timers/promises';
import { WebClient, type RetryOptions } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import {
  SlackPermanentError,
  SlackRateLimitedError,
  type FollowUpMessage,
  type ReminderMessage,
  type ReminderMessenger,
  type WorkspaceMember,
} from '../services/reminders/ports.js';
import { followUpMessage, reminderMessage } from './blocks/reminder-message.js';
import { toProfile, type SlackApiUser } from './directory.js';

/** Answers that will not change by trying again this period. */
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
]);

/**
 * The Web API client reminders post with. It rejects rate-limited calls at once
 * (`rejectRateLimitedCalls`) instead of pausing inside the client, so that a pass pauses all of its
 * workers on one 429 and keeps its claims' leases in view; other failures use `retryConfig`.
 */
export function reminderWebClient(token: string, slackApiUrl: string, retries?: number): WebClient {
  const retryConfig: RetryOptions = retries === undefined ? { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 10_000 } : { retries };
  return new WebClient(token, { slackApiUrl, rejectRateLimitedCalls: true, retryConfig });
}

function translate(method: string, error: unknown): Error {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e?.code === 'slack_webapi_rate_limited_error') return new SlackRateLimitedError(method, Math.max(0, (e.retryAfter ?? 1) * 1000));
  const code = e?.data?.error;
  if (e?.code === 'slack_webapi_platform_error' && code && PERMANENT.has(code)) return new SlackPermanentError(method, code);
  return error instanceof Error ? error : new Error(String(error));
}

async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translate(method, error);
  }
}

export class WebApiReminderMessenger implements ReminderMessenger {
  constructor(private readonly client: WebClient) {}

  async listMembers(): Promise<WorkspaceMember[]> {
    const members: WorkspaceMember[] = [];
    let cursor: string | undefined;
    for (let rateLimited = 0; ; ) {
      let page;
      try {
        page = await call('users.list', () => this.client.users.list({ limit: 1000, ...(cursor ? { cursor } : {}) }));
      } catch (error) {
        // users.list is Tier 2: wait as told and go on from the same cursor.
        if (error instanceof SlackRateLimitedError && ++rateLimited <= 10) {
          await sleep(error.retryAfterMs);
          continue;
        }
        throw error;
      }
      for (const user of (page.members ?? []) as SlackApiUser[]) {
        const profile = toProfile(user);
        if (profile) members.push(profile);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
      if (!cursor) return members;
    }
  }

  async timeZoneOf(slackUserId: string): Promise<string | null> {
    const response = await call('users.info', () => this.client.users.info({ user: slackUserId }));
    return (response.user as SlackApiUser | undefined)?.tz ?? null;
  }

  async postReminder(slackUserId: string, message: ReminderMessage): Promise<{ channel: string; ts: string }> {
    const { text, blocks } = reminderMessage(message);
    const response = await call('chat.postMessage', () => this.client.chat.postMessage({ channel: slackUserId, text, blocks: blocks as KnownBlock[] }));
    if (!response.channel || !response.ts) throw new Error('chat.postMessage answered without channel and ts');
    return { channel: response.channel, ts: response.ts };
  }

  async updateReminder(channel: string, ts: string, message: ReminderMessage): Promise<void> {
    const { text, blocks } = reminderMessage(message);
    await call('chat.update', () => this.client.chat.update({ channel, ts, text, blocks }));
  }

  async postFollowUp(channel: string, threadTs: string, message: FollowUpMessage): Promise<string> {
    const { text, blocks } = followUpMessage(message);
    const response = await call('chat.postMessage', () => this.client.chat.postMessage({ channel, thread_ts: threadTs, text, blocks }));
    return response.ts ?? '';
  }
}
