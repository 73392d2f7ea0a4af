/** Whether the bot may post in a channel, as summaries ask it: a yes is reused for 5 minutes, a no is asked again each time. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { startSlackEmulator, type SlackEmulator } from '../../../src/emulator/slack/index.js';
import { createLogger } from '../../../src/logger.js';
import { postingProblem } from '../../../src/services/summaries/ports.js';
import { SlackGateway } from '../../../src/slack/gateway/slack-gateway.js';
import { generatedSummary } from '../blocks/summary-fixture.js';

const BOT_TOKEN = ['xoxb', 'channel-info'].join('-');
const TEAM = 'CTEAM0001';
const OUTSIDE = 'COUT00001';
const ARCHIVED = 'CARCH0001';
let emulator: SlackEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function gateway() {
  emulator = await startSlackEmulator({
    port: 0,
    signingSecret: 's',
    botToken: BOT_TOKEN,
    users: [{ id: 'UANA00001', name: 'ana', email: 'ana@example.com', tz: 'UTC' }],
    channels: [
      { id: TEAM, name: 'team', members: ['UANA00001', 'UBOT0001'] },
      { id: OUTSIDE, name: 'outside', members: ['UANA00001'] },
      { id: ARCHIVED, name: 'old', members: ['UANA00001', 'UBOT0001'], isArchived: true },
    ],
  });
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const clock = fixedClock('2026-11-30T08:00:00Z');
  const slack = SlackGateway.fromSettings({ token: BOT_TOKEN, slackApiUrl: emulator.apiUrl, retries: 0 }, { clock, logger });
  const asked = (channel: string) => emulator!.callsTo('conversations.info').filter((c) => c.args.channel === channel).length;
  return { slack, emulator, clock, asked };
}

describe('conversations.info for summaries', () => {
  it('reuses an answer that lets the bot post for 5 minutes, then asks again', async () => {
    const { slack, clock, asked } = await gateway();
    const first = await slack.channelInfo(TEAM);
    expect(postingProblem(first)).toBeNull();
    expect(first).toMatchObject({ id: TEAM, name: 'team', botIsMember: true });
    clock.advance(4 * 60_000 + 59_000);
    expect(await slack.channelInfo(TEAM)).toEqual(first);
    expect(asked(TEAM)).toBe(1);
    clock.advance(1_000);
    expect(await slack.channelInfo(TEAM)).toEqual(first);
    expect(asked(TEAM)).toBe(2);
  });

  it('asks each time about a channel the bot cannot post in, so an /invite counts at once', async () => {
    const { slack, emulator, asked } = await gateway();
    expect(postingProblem(await slack.channelInfo(OUTSIDE))).toBe('not_in_channel');
    expect(postingProblem(await slack.channelInfo(OUTSIDE))).toBe('not_in_channel');
    expect(postingProblem(await slack.channelInfo(ARCHIVED))).toBe('is_archived');
    expect(postingProblem(await slack.channelInfo(ARCHIVED))).toBe('is_archived');
    expect(await slack.channelInfo('CNOTTHERE')).toBeNull();
    expect(await slack.channelInfo('CNOTTHERE')).toBeNull();
    expect([asked(OUTSIDE), asked(ARCHIVED), asked('CNOTTHERE')]).toEqual([2, 2, 2]);

    expect(emulator.builtInCommand('UANA00001', OUTSIDE, '/invite', `<@${emulator.bot.userId}>`).handled).toBe('invited');
    expect(postingProblem(await slack.channelInfo(OUTSIDE))).toBeNull();
    expect(postingProblem(await slack.channelInfo(OUTSIDE))).toBeNull();
    expect(asked(OUTSIDE)).toBe(3);
  });

  it('forgets the answer when a post fails, so the next summary asks again', async () => {
    const { slack, emulator, asked } = await gateway();
    await slack.channelInfo(TEAM);
    await slack.postSummary(TEAM, generatedSummary(30));
    await slack.channelInfo(TEAM);
    expect(asked(TEAM)).toBe(1);

    emulator.failNext('chat.postMessage', 'not_in_channel');
    await expect(slack.postSummary(TEAM, generatedSummary(30))).rejects.toMatchObject({ problem: 'not_in_channel' });
    await slack.channelInfo(TEAM);
    expect(asked(TEAM)).toBe(2);

    emulator.failNext('chat.postMessage', 'internal_error');
    await expect(slack.postSummary(TEAM, generatedSummary(30))).rejects.toThrow();
    await slack.channelInfo(TEAM);
    await slack.channelInfo(TEAM);
    expect(asked(TEAM)).toBe(3);
  });

  it('hands out copies: a caller changing its answer does not change the cache', async () => {
    const { slack } = await gateway();
    const first = await slack.channelInfo(TEAM);
    first!.isArchived = true;
    expect(postingProblem(await slack.channelInfo(TEAM))).toBeNull();
  });
});
