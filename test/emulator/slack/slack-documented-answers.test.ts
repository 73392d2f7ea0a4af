/**
 * The Slack emulator answers as Slack documents, driven by the official `@slack/web-api` WebClient:
 * - views.open: `invalid_trigger_id` for a trigger Slack never issued or a malformed one,
 *   `expired_trigger_id` after 3 s, `exchanged_trigger_id` when used twice (views.open reference);
 * - invalid blocks: `invalid_blocks` with a top-level `errors` array beside
 *   `response_metadata.messages` (Slack's answers as public clients record them);
 * - users.list without `limit`: "Slack attempting to deliver you the entire result set" (users.list reference);
 * - authentication before rate limiting: rate limits count per app and workspace, known only from the token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import type { SlackEmulator } from '../../../src/emulator/slack/index.js';
import { ALICE, BOT_TOKEN, GENERAL, SIGNING_SECRET, fixtureOptions, silentLogger, slackError, startSlackEmulator, webClient } from './fixture.js';
import { startRecordingApp } from './recording-app.js';

let emulator: SlackEmulator;
let app: Awaited<ReturnType<typeof startRecordingApp>>;
let client: WebClient;
let clock: number;

beforeEach(async () => {
  clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  app = await startRecordingApp(SIGNING_SECRET);
  emulator = await startSlackEmulator(fixtureOptions({ appUrl: app.url, now: () => clock, ackTimeoutMs: 500 }));
  client = webClient(emulator);
});

afterEach(async () => {
  await emulator.close();
  await app.close();
});

const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Check in' }, blocks: [] };

async function freshTrigger(): Promise<string> {
  await emulator.slashCommand(ALICE, GENERAL, '/kr', 'checkin');
  return app.last().body.trigger_id as string;
}

describe('views.open trigger_id answers', () => {
  it.each([
    ['a well-formed trigger Slack never issued', '12345.98765.abcd2358fdea'],
    ['a malformed trigger', 'not-a-trigger'],
  ])('%s → invalid_trigger_id', async (_label, triggerId) => {
    expect((await slackError(client.views.open({ trigger_id: triggerId, view: modal }))).error).toBe('invalid_trigger_id');
    expect(emulator.openViews(ALICE)).toEqual([]);
  });

  it('an expired trigger stays expired_trigger_id; a used one is exchanged_trigger_id', async () => {
    const expired = await freshTrigger();
    clock += 3_001;
    expect((await slackError(client.views.open({ trigger_id: expired, view: modal }))).error).toBe('expired_trigger_id');
    const used = await freshTrigger();
    await expect(client.views.open({ trigger_id: used, view: modal })).resolves.toMatchObject({ ok: true });
    expect((await slackError(client.views.open({ trigger_id: used, view: modal }))).error).toBe('exchanged_trigger_id');
  });
});

describe('invalid_blocks', () => {
  it('carries the reasons in a top-level errors array and in response_metadata.messages', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }, { type: 'header', text: { type: 'plain_text', text: 'y'.repeat(151) } }];
    const failure = await slackError(client.chat.postMessage({ channel: GENERAL, text: 'x', blocks: blocks as never }));
    expect(failure.error).toBe('invalid_blocks');
    const errors = failure.data.errors as string[];
    const messages = (failure.data.response_metadata as { messages: string[] }).messages;
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/\[json-pointer:\/blocks\/0\/text\/text\]$/);
    expect(errors[1]).toMatch(/\[json-pointer:\/blocks\/1\/text\/text\]$/);
    expect(messages).toEqual(errors.map((error) => `[ERROR] ${error}`));
    expect(emulator.messages(GENERAL)).toHaveLength(0);
  });
});

describe('users.list', () => {
  it('without limit returns every member in one page; with limit it pages by cursor', async () => {
    const everyone = emulator.users().map((u) => u.id).sort();
    const all = await client.users.list({});
    expect((all.members ?? []).map((m) => m.id).sort()).toEqual(everyone);
    expect(all.response_metadata?.next_cursor).toBe('');

    const first = await client.users.list({ limit: 2 });
    expect(first.members).toHaveLength(2);
    expect(first.response_metadata?.next_cursor).not.toBe('');
    const ids: string[] = [];
    for await (const page of client.paginate('users.list', { limit: 2 })) ids.push(...((page as { members?: Array<{ id: string }> }).members ?? []).map((m) => m.id));
    expect(ids.sort()).toEqual(everyone);
  });
});

describe('authentication before rate limiting', () => {
  it('a bad or missing token is invalid_auth / not_authed even over the limit, and does not use up the limit', async () => {
    emulator.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 5 });
    expect((await slackError(webClient(emulator, 'xoxb-wrong').chat.postMessage({ channel: GENERAL, text: 'x' }))).error).toBe('invalid_auth');
    const anonymous = await fetch(`${emulator.apiUrl}chat.postMessage`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: GENERAL, text: 'x' }) });
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });

    const rejecting = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silentLogger });
    const limited = (await rejecting.chat.postMessage({ channel: GENERAL, text: 'x' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(limited.code).toBe(ErrorCode.RateLimitedError);
    expect(limited.retryAfter).toBe(5);
    await expect(client.chat.postMessage({ channel: GENERAL, text: 'x' })).resolves.toMatchObject({ ok: true });
  });
});
