/** A channel's members, as summaries read them: in Slack's largest pages, once per cache period. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { startSlackEmulator, type SlackEmulator } from '../../../src/emulator/slack/index.js';
import { createLogger } from '../../../src/logger.js';
import { SlackGateway } from '../../../src/slack/gateway/slack-gateway.js';

const BOT_TOKEN = ['xoxb', 'members'].join('-');
const CHANNEL = 'CBIG00001';
let emulator: SlackEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('channel members', () => {
  it('are read in pages of 999 (1,500 members: two calls) and not again while cached', async () => {
    const users = Array.from({ length: 1500 }, (_, i) => ({ id: `UM${String(i + 1).padStart(7, '0')}`, name: `m${i + 1}`, email: `m${i + 1}@example.com`, tz: 'UTC' }));
    emulator = await startSlackEmulator({ port: 0, signingSecret: 's', botToken: BOT_TOKEN, users, channels: [{ id: CHANNEL, name: 'big', members: users.map((u) => u.id) }] });
    const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
    const clock = fixedClock('2026-11-30T08:00:00Z');
    const slack = SlackGateway.fromSettings({ token: BOT_TOKEN, slackApiUrl: emulator.apiUrl, retries: 0 }, { clock, logger });

    const members = await slack.channelMembers(CHANNEL);
    expect(members).toEqual(users.map((u) => u.id));
    const calls = emulator.callsTo('conversations.members');
    expect(calls.map((c) => c.ok)).toEqual([true, true]);
    expect(calls.map((c) => String(c.args.limit))).toEqual(['999', '999']);

    expect(await slack.channelMembers(CHANNEL)).toEqual(members);
    expect(emulator.callsTo('conversations.members')).toHaveLength(2);
  });
});
