import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { SummaryService, type SummaryServiceOptions } from '../../src/services/summaries/summary-service.js';
import { slackIdOf, startSummaryFixture, type SummaryFixture } from './summaries-fixture.js';

const ANA = slackIdOf('ana');
const BEN = slackIdOf('ben');
const CHANNEL = 'CTEAM0001';

let fixture: SummaryFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function preview(f: SummaryFixture, text = '') {
  const result = await f.summaries.preview(ANA, CHANNEL, text);
  if (result.kind !== 'ready') throw new Error(`no preview: ${JSON.stringify(result)}`);
  return result;
}

describe('on-demand summaries', () => {
  it('posts a preview once, for the requester, in its channel, and records the baseline for next time', async () => {
    fixture = await startSummaryFixture();
    const { requestId, channelName, summary } = await preview(fixture);
    expect(channelName).toBe('team');
    expect(summary.title).toBe('Key results summary');
    expect(fixture.slack.posted).toHaveLength(0);

    expect(await fixture.summaries.post(BEN, CHANNEL, requestId)).toEqual({ kind: 'refused', reason: 'Only the person who asked for this summary can post it.' });
    expect(await fixture.summaries.post(ANA, 'COTHER001', requestId)).toMatchObject({ kind: 'refused' });
    expect(await fixture.summaries.post(ANA, CHANNEL, 'f'.repeat(24))).toMatchObject({ kind: 'refused' });
    expect(await fixture.summaries.post(ANA, CHANNEL, requestId)).toMatchObject({ kind: 'posted', channelId: CHANNEL, messages: 1 });
    expect(await fixture.summaries.post(ANA, CHANNEL, requestId)).toEqual({ kind: 'duplicate' });
    expect(fixture.slack.posted).toHaveLength(1);

    // The next summary of the same scope in this channel compares with the one just posted.
    const next = await preview(fixture);
    expect(next.summary.previousAt).toEqual(fixture.clock.now());
    const other = await preview(fixture, 'mine');
    expect(other.summary.previousAt).toBeNull();
  });

  it('a failed post leaves the preview usable; a cancelled or expired one is refused', async () => {
    fixture = await startSummaryFixture();
    const first = await preview(fixture);
    fixture.slack.failPostWith = 'not_in_channel';
    expect(await fixture.summaries.post(ANA, CHANNEL, first.requestId)).toEqual({ kind: 'cannot_post', problem: 'not_in_channel' });
    fixture.slack.failPostWith = null;
    expect(await fixture.summaries.post(ANA, CHANNEL, first.requestId)).toMatchObject({ kind: 'posted' });

    const second = await preview(fixture);
    expect(await fixture.summaries.cancel(BEN, second.requestId)).toBe(false);
    expect(await fixture.summaries.cancel(ANA, second.requestId)).toBe(true);
    expect(await fixture.summaries.post(ANA, CHANNEL, second.requestId)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('cancelled') });

    const third = await preview(fixture);
    fixture.clock.advance(31 * 60_000);
    expect(await fixture.summaries.post(ANA, CHANNEL, third.requestId)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('expired') });
  });

  it('a post Slack accepted is "posted" even when the baseline or progress cannot be stored after it; a retry does not post again', async () => {
    fixture = await startSummaryFixture();
    const { store, builder, slack, clock } = fixture;
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) });
    const failing = { baseline: true, progress: true };
    const wrapped: SummaryServiceOptions['store'] = {
      createSummaryRequest: (r) => store.createSummaryRequest(r),
      getSummaryRequest: (id) => store.getSummaryRequest(id),
      claimSummaryRequest: (id, now) => store.claimSummaryRequest(id, now),
      releaseSummaryRequest: (id) => store.releaseSummaryRequest(id),
      cancelSummaryRequest: (id, now) => store.cancelSummaryRequest(id, now),
      getSlackProfile: (id) => store.getSlackProfile(id),
      replaceSummaryBaseline: async (...args) => {
        if (failing.baseline) throw new Error('disk I/O error');
        return store.replaceSummaryBaseline(...args);
      },
      recordSummaryProgress: async (...args) => {
        if (failing.progress) throw new Error('database is locked');
        return store.recordSummaryProgress(...args);
      },
    };
    const summaries = new SummaryService({ builder, store: wrapped, slack, clock, logger });

    const first = await summaries.preview(ANA, CHANNEL, '');
    if (first.kind !== 'ready') throw new Error('expected a preview');
    expect(await summaries.post(ANA, CHANNEL, first.requestId)).toMatchObject({ kind: 'posted', channelId: CHANNEL, messages: 1 });
    expect(slack.posted).toHaveLength(1);
    // The claim stays: the same preview cannot post a second summary.
    expect(await summaries.post(ANA, CHANNEL, first.requestId)).toEqual({ kind: 'duplicate' });
    expect(slack.posted).toHaveLength(1);
    expect((await store.getSummaryRequest(first.requestId))?.postedAt).not.toBeNull();
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string; requestId?: string }).filter((l) => l.level === 40);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => w.requestId === first.requestId)).toBe(true);
    expect(lines.join('')).toContain('disk I/O error');

    // Only the progress failing: still posted, the baseline was kept.
    failing.baseline = false;
    const second = await summaries.preview(ANA, CHANNEL, '');
    if (second.kind !== 'ready') throw new Error('expected a preview');
    expect(second.summary.previousAt).toBeNull();
    expect(await summaries.post(ANA, CHANNEL, second.requestId)).toMatchObject({ kind: 'posted' });
    expect(slack.posted).toHaveLength(2);
    expect(await summaries.preview(ANA, CHANNEL, '')).toMatchObject({ kind: 'ready', summary: { previousAt: clock.now() } });
  });

  it('refuses a channel the bot cannot post in before building anything; one it is not in yet still gets the preview (issue 13 item 8)', async () => {
    fixture = await startSummaryFixture();
    fixture.takeRequests();
    expect(await fixture.summaries.preview(ANA, 'CGONE0001', '')).toEqual({ kind: 'cannot_post', problem: 'channel_not_found' });
    expect(fixture.takeRequests()).toEqual([]);
    fixture.slack.channels.get(CHANNEL)!.botIsMember = false;
    const shown = await fixture.summaries.preview(ANA, CHANNEL, '');
    expect(shown).toMatchObject({ kind: 'ready', notInChannel: true });
    if (shown.kind !== 'ready') throw new Error('expected a preview');
    // Posting still needs the bot in the channel: the one step is told again.
    expect(await fixture.summaries.post(ANA, CHANNEL, shown.requestId)).toEqual({ kind: 'cannot_post', problem: 'not_in_channel' });
    expect(await fixture.summaries.preview(ANA, CHANNEL, 'whatever')).toMatchObject({ kind: 'invalid' });
  });
});
