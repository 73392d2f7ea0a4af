import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import type { SlackEmulator } from '../../../src/emulator/slack/index.js';
import {
  ALICE,
  BOB,
  BOT_TOKEN,
  CAROL,
  GENERAL,
  GONE,
  HIDDEN,
  OLD,
  RANDOM,
  SECRET,
  fixtureOptions,
  silentLogger,
  slackError,
  startSlackEmulator,
  webClient,
} from './fixture.js';

let emulator: SlackEmulator;
let client: WebClient;

beforeEach(async () => {
  emulator = await startSlackEmulator(fixtureOptions());
  client = webClient(emulator);
});

afterEach(async () => {
  await emulator.close();
});

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('auth', () => {
  it('answers auth.test with the bot identity Bolt needs', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T0TEST001', user_id: 'UBOT0001', bot_id: expect.stringMatching(/^B/), url: 'https://test-team.slack.com/' });
  });

  it('rejects a wrong token with invalid_auth and a missing one with not_authed', async () => {
    expect((await slackError(webClient(emulator, 'xoxb-wrong').auth.test())).error).toBe('invalid_auth');
    const response = await fetch(`${emulator.apiUrl}auth.test`, { method: 'POST' });
    expect(await response.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('accepts the token as a form field but not inside a JSON body', async () => {
    const form = await fetch(`${emulator.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${BOT_TOKEN}`,
    });
    expect(await form.json()).toMatchObject({ ok: true });
    const json = await fetch(`${emulator.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: BOT_TOKEN }),
    });
    expect(await json.json()).toMatchObject({ ok: false, error: 'not_authed' });
  });

  it('answers unknown methods with unknown_method', async () => {
    expect((await slackError(client.apiCall('chat.teleport', {}))).error).toBe('unknown_method');
  });
});

describe('chat.postMessage', () => {
  it('posts to a user id into the app DM and returns the D… channel, ts and message', async () => {
    const result = await client.chat.postMessage({ channel: ALICE, text: 'Time to check in', blocks: [section('*Revenue*')] });
    expect(result.channel).toBe(emulator.dmChannelId(ALICE));
    expect(result.channel).toMatch(/^D/);
    expect(result.ts).toMatch(/^\d+\.\d{6}$/);
    expect(result.message).toMatchObject({ type: 'message', user: 'UBOT0001', text: 'Time to check in', bot_id: expect.any(String) });
    const [stored] = emulator.messages(result.channel as string);
    expect(stored).toMatchObject({ ts: result.ts, user: 'UBOT0001', text: 'Time to check in' });
    expect(stored?.blocks[0]).toMatchObject({ type: 'section', block_id: expect.any(String) });
    expect(emulator.messages(ALICE)).toHaveLength(1);
  });

  it('accepts a JSON body with blocks as objects, the other way apps call the API', async () => {
    const response = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ channel: GENERAL, text: 'hi', blocks: [section('hello')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: GENERAL });
    expect(emulator.messages(GENERAL)[0]?.blocks).toHaveLength(1);
  });

  it('gives each message a distinct, increasing ts', async () => {
    const a = await client.chat.postMessage({ channel: GENERAL, text: 'a' });
    const b = await client.chat.postMessage({ channel: GENERAL, text: 'b' });
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
  });

  it('refuses public channels the bot is not in with not_in_channel, unless chat:write.public is granted', async () => {
    expect((await slackError(client.chat.postMessage({ channel: RANDOM, text: 'x' }))).error).toBe('not_in_channel');
    const publicEmulator = await startSlackEmulator(fixtureOptions({ chatWritePublic: true }));
    try {
      await expect(webClient(publicEmulator).chat.postMessage({ channel: RANDOM, text: 'x' })).resolves.toMatchObject({ ok: true });
      expect((await slackError(webClient(publicEmulator).chat.postMessage({ channel: HIDDEN, text: 'x' }))).error).toBe('channel_not_found');
    } finally {
      await publicEmulator.close();
    }
  });

  it('treats private channels the bot is not in as not found, like Slack does', async () => {
    expect((await slackError(client.chat.postMessage({ channel: HIDDEN, text: 'x' }))).error).toBe('channel_not_found');
    await expect(client.chat.postMessage({ channel: SECRET, text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('answers channel_not_found, is_archived and no_text', async () => {
    expect((await slackError(client.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).error).toBe('channel_not_found');
    expect((await slackError(client.chat.postMessage({ channel: OLD, text: 'x' }))).error).toBe('is_archived');
    expect((await slackError(client.chat.postMessage({ channel: GENERAL } as never))).error).toBe('no_text');
    expect((await slackError(client.chat.postMessage({ channel: GONE, text: 'x' }))).error).toBe('user_disabled');
  });

  it('finds channels by name', async () => {
    await expect(client.chat.postMessage({ channel: '#general', text: 'x' })).resolves.toMatchObject({ channel: GENERAL });
  });

  it('rejects invalid blocks with invalid_blocks and the reason', async () => {
    const failure = await slackError(client.chat.postMessage({ channel: GENERAL, text: 'x', blocks: [section('x'.repeat(3001))] as never }));
    expect(failure.error).toBe('invalid_blocks');
    expect(failure.data.response_metadata).toEqual({ messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] });
    expect(emulator.messages(GENERAL)).toHaveLength(0);
    expect(emulator.callsTo('chat.postMessage')).toMatchObject([{ ok: false, error: 'invalid_blocks' }]);
  });

  it('rejects a blocks argument that is not JSON with invalid_blocks_format', async () => {
    const response = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${BOT_TOKEN}` },
      body: new URLSearchParams({ channel: GENERAL, text: 'x', blocks: '[{"type":' }).toString(),
    });
    expect(await response.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
  });

  it('records calls with decoded arguments and without the token', async () => {
    await client.chat.postMessage({ channel: GENERAL, text: 'x', blocks: [section('hello')] });
    const [call] = emulator.callsTo('chat.postMessage');
    expect(call).toMatchObject({ ok: true, args: { channel: GENERAL, text: 'x', blocks: [section('hello')] } });
    expect(call?.args).not.toHaveProperty('token');
  });
});

describe('chat.update, chat.delete, chat.getPermalink', () => {
  it('needs the DM channel id: a user id is channel_not_found', async () => {
    const posted = await client.chat.postMessage({ channel: ALICE, text: 'Reminder' });
    expect((await slackError(client.chat.update({ channel: ALICE, ts: posted.ts as string, text: 'x' }))).error).toBe('channel_not_found');
    const updated = await client.chat.update({ channel: posted.channel as string, ts: posted.ts as string, text: 'Done' });
    expect(updated).toMatchObject({ ok: true, channel: posted.channel, ts: posted.ts, text: 'Done' });
    expect(emulator.message(ALICE, posted.ts as string)).toMatchObject({ text: 'Done', edited: { user: 'UBOT0001' } });
  });

  it('keeps blocks when an update omits them and removes them with an empty list', async () => {
    const posted = await client.chat.postMessage({ channel: GENERAL, text: 'a', blocks: [section('one')] });
    const ref = { channel: GENERAL, ts: posted.ts as string };
    await client.chat.update({ ...ref, text: 'b' });
    expect(emulator.message(GENERAL, ref.ts)?.blocks).toHaveLength(1);
    await client.chat.update({ ...ref, text: 'c', blocks: [] });
    expect(emulator.message(GENERAL, ref.ts)?.blocks).toHaveLength(0);
  });

  it('answers message_not_found for an unknown ts and validates blocks on update', async () => {
    expect((await slackError(client.chat.update({ channel: GENERAL, ts: '1.000001', text: 'x' }))).error).toBe('message_not_found');
    const posted = await client.chat.postMessage({ channel: GENERAL, text: 'a' });
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect((await slackError(client.chat.update({ channel: GENERAL, ts: posted.ts as string, text: 'x', blocks: tooMany as never }))).error).toBe(
      'invalid_blocks',
    );
  });

  it('deletes messages and builds permalinks', async () => {
    const posted = await client.chat.postMessage({ channel: GENERAL, text: 'a' });
    const link = await client.chat.getPermalink({ channel: GENERAL, message_ts: posted.ts as string });
    expect(link.permalink).toBe(`https://test-team.slack.com/archives/${GENERAL}/p${(posted.ts as string).replace('.', '')}`);
    await expect(client.chat.delete({ channel: GENERAL, ts: posted.ts as string })).resolves.toMatchObject({ ok: true, ts: posted.ts });
    expect(emulator.messages(GENERAL)).toHaveLength(0);
    expect((await slackError(client.chat.getPermalink({ channel: GENERAL, message_ts: posted.ts as string }))).error).toBe('message_not_found');
  });
});

describe('chat.postEphemeral', () => {
  it('shows the message to one user only', async () => {
    const result = await client.chat.postEphemeral({ channel: GENERAL, user: BOB, text: 'Only you can see this' });
    expect(result.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(emulator.ephemerals(BOB)).toMatchObject([{ channel: GENERAL, text: 'Only you can see this', source: 'chat.postEphemeral' }]);
    expect(emulator.ephemerals(ALICE)).toEqual([]);
    expect(emulator.messages(GENERAL)).toEqual([]);
  });

  it('answers user_not_in_channel and user_not_found', async () => {
    expect((await slackError(client.chat.postEphemeral({ channel: SECRET, user: BOB, text: 'x' }))).error).toBe('user_not_in_channel');
    expect((await slackError(client.chat.postEphemeral({ channel: GENERAL, user: 'UNOBODY', text: 'x' }))).error).toBe('user_not_found');
  });
});

describe('users', () => {
  it('returns Slack user objects: email only in profile.email, tz and offset, real_name', async () => {
    const { user } = await client.users.info({ user: ALICE });
    expect(user).toMatchObject({ id: ALICE, name: 'alice', real_name: 'Alice Archer', tz: 'Europe/Berlin', is_admin: true, is_bot: false, deleted: false });
    expect([3600, 7200]).toContain(user?.tz_offset);
    expect(user?.profile?.email).toBe('alice@example.com');
    expect(user).not.toHaveProperty('email');
    const carol = await client.users.info({ user: CAROL });
    expect(carol.user?.profile).not.toHaveProperty('email');
    expect((await slackError(client.users.info({ user: 'UNOBODY' }))).error).toBe('user_not_found');
  });

  it('looks users up by email, case-insensitively, but not deactivated ones', async () => {
    const { user } = await client.users.lookupByEmail({ email: 'BOB@example.com' });
    expect(user?.id).toBe(BOB);
    expect((await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).error).toBe('users_not_found');
    expect((await slackError(client.users.lookupByEmail({ email: 'gone@example.com' }))).error).toBe('users_not_found');
  });
});

describe('conversations', () => {
  it('opens the app DM with a user: the same D… id every time, already_open the second time', async () => {
    const first = await client.conversations.open({ users: BOB });
    expect(first.channel?.id).toBe(emulator.dmChannelId(BOB));
    expect(first).not.toHaveProperty('already_open');
    const second = await client.conversations.open({ users: BOB });
    expect(second).toMatchObject({ channel: { id: first.channel?.id }, already_open: true, no_op: true });
    expect((await slackError(client.conversations.open({ users: 'UNOBODY' }))).error).toBe('user_not_found');
  });

  it('pages members with a cursor', async () => {
    const first = await client.conversations.members({ channel: GENERAL, limit: 3 });
    expect(first.members).toEqual([ALICE, BOB, CAROL]);
    const cursor = first.response_metadata?.next_cursor as string;
    expect(cursor).not.toBe('');
    const second = await client.conversations.members({ channel: GENERAL, limit: 3, cursor });
    expect(second.members).toEqual(['UBOT0001']);
    expect(second.response_metadata?.next_cursor).toBe('');
    expect((await slackError(client.conversations.members({ channel: HIDDEN }))).error).toBe('channel_not_found');
  });

  it('describes channels and joins public ones', async () => {
    const info = await client.conversations.info({ channel: RANDOM });
    expect(info.channel).toMatchObject({ id: RANDOM, name: 'random', is_channel: true, is_private: false, is_member: false });
    await client.conversations.join({ channel: RANDOM });
    await expect(client.chat.postMessage({ channel: RANDOM, text: 'now I can' })).resolves.toMatchObject({ ok: true });
    const again = await client.conversations.join({ channel: RANDOM });
    expect(again.warning).toBe('already_in_channel');
    expect((await slackError(client.conversations.join({ channel: SECRET }))).error).toBe('method_not_supported_for_channel_type');
  });
});

describe('failures and rate limits', () => {
  it('fails the next call of a method with the given error, once', async () => {
    emulator.failNext('users.info', 'fatal_error');
    expect((await slackError(client.users.info({ user: ALICE }))).error).toBe('fatal_error');
    await expect(client.users.info({ user: ALICE })).resolves.toMatchObject({ ok: true });
  });

  it('answers 429 with Retry-After and ratelimited for the configured number of calls', async () => {
    emulator.rateLimit('chat.postMessage', { times: 2, retryAfterSeconds: 7 });
    const raw = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${BOT_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: GENERAL, text: 'x' }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
    const rejecting = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silentLogger });
    const error = (await rejecting.chat.postMessage({ channel: GENERAL, text: 'x' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(7);
    await expect(client.chat.postMessage({ channel: GENERAL, text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('limits calls per second', async () => {
    emulator.rateLimit('users.info', { perSecond: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${emulator.apiUrl}users.info?user=${ALICE}`, { headers: { Authorization: `Bearer ${BOT_TOKEN}` } });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
