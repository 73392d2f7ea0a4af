/**
 * "No change for all" sends one bulk check-in (`POST /v1/metrics/checkins`), whose body and answer are
 * guesses in API-NOTES. Nothing is called delivered without the snapshot Gtmhub made, and a refusal of
 * the whole request is no verdict on any one check-in: each goes through the documented single endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REMINDER_ACTION } from '../../src/slack/blocks/reminder-message.js';
import { eventually, type Harness } from '../support/harness.js';
import { dms, KR, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function tokyoReminder() {
  const started = await startReminderHarness(new Date('2026-11-30T01:00:00Z'), { faultProxies: { gtmhub: true } });
  harness = started.h;
  await started.h.server.services.reminders.runPass('test');
  const dm = dms(started.h, SLACK.tokyo)[0]!;
  return { h: started.h, dm, where: { channelId: dm.channel, ts: dm.ts } };
}

const TOKYO_KRS = [KR.tokyoNever, KR.tokyoOld].sort();

function landed(h: Harness, since: number): string[] {
  return h.gtmhub.state.snapshots.slice(since).map((s) => s.metricId).sort();
}

function singlePosts(h: Harness): number {
  return h.gtmhub.requests.filter((r) => r.method === 'POST' && /\/v1\/metrics\/[0-9a-f]{24}\/checkin$/.test(r.path)).length;
}

describe('No change for all and the bulk check-in’s answer', () => {
  it('a bulk request refused as a whole (400) delivers each check-in on its own instead of rejecting them all', async () => {
    const { h, dm, where } = await tokyoReminder();
    const before = h.gtmhub.state.snapshots.length;
    h.gtmhubProxy!.inject({ method: 'POST', path: /\/v1\/metrics\/checkins$/, fault: { kind: 'status', status: 400, body: { message: 'unexpected body' } } });
    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.noChangeForAll);
    await eventually(() => (text(h.slack.message(dm.channel, dm.ts)).includes('All done') ? true : undefined), 8000, 'all rows done');
    expect(text(h.slack.message(dm.channel, dm.ts))).not.toContain('Gtmhub said');
    expect(landed(h, before)).toEqual(TOKYO_KRS);
    expect(singlePosts(h)).toBe(2);
  }, 20_000);

  it('a result with neither a snapshot nor an error is read back, not taken for delivered', async () => {
    const { h, dm, where } = await tokyoReminder();
    const before = h.gtmhub.state.snapshots.length;
    // Gtmhub never saw the request, yet the answer lists both key results as if it had.
    h.gtmhubProxy!.inject({
      method: 'POST',
      path: /\/v1\/metrics\/checkins$/,
      fault: { kind: 'status', status: 200, body: { results: TOKYO_KRS.map((metricId) => ({ metricId })) } },
    });
    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.noChangeForAll);
    await eventually(() => (landed(h, before).length === 2 ? true : undefined), 8000, 'both check-ins in Gtmhub');
    expect(landed(h, before)).toEqual(TOKYO_KRS);
    await eventually(() => (text(h.slack.message(dm.channel, dm.ts)).includes('All done') ? true : undefined), 8000, 'all rows done');
  }, 20_000);

  it('a result that reports a 4xx status with a message is a refusal of that key result only', async () => {
    const { h, dm, where } = await tokyoReminder();
    const before = h.gtmhub.state.snapshots.length;
    h.gtmhubProxy!.inject({
      method: 'POST',
      path: /\/v1\/metrics\/checkins$/,
      fault: { kind: 'status', status: 200, body: { results: [{ metricId: KR.tokyoNever, status: 400, message: 'The key result is past its due date' }, { metricId: KR.tokyoOld }] } },
    });
    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.noChangeForAll);
    await eventually(() => (landed(h, before).length === 1 ? true : undefined), 8000, 'the other check-in in Gtmhub');
    expect(landed(h, before)).toEqual([KR.tokyoOld]);
    await eventually(() => (text(h.slack.message(dm.channel, dm.ts)).includes('The key result is past its due date') ? true : undefined), 8000, 'the refusal on its row');
  }, 20_000);
});
