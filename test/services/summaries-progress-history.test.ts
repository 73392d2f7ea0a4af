import { afterEach, describe, expect, it } from 'vitest';
import { ids, NOW, startSummaryFixture, summaryData, type SummaryFixture } from './summaries-fixture.js';

const WEEK = 7 * 24 * 3600_000;
const period = { start: new Date(Date.parse(NOW) - WEEK), end: new Date(NOW), label: 'last week' };
const weeksAgo = (k: number) => new Date(Date.parse(NOW) - k * WEEK);
/** Q4 2026 runs 1 Oct → 31 Dec. */
const paceAt = (date: Date) => (date.getTime() - Date.parse('2026-10-01T00:00:00.000Z')) / (Date.parse('2026-12-31T00:00:00.000Z') - Date.parse('2026-10-01T00:00:00.000Z'));

let fixture: SummaryFixture | undefined;
/** Whether a metrics list asked for metricHistory since `from` (an index into the emulator's request log). */
const askedForHistory = (f: SummaryFixture, from: number) =>
  f.emulator.requests.slice(from).some((r) => r.path.includes('metrics') && decodeURIComponent(r.query).includes('metricHistory'));
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function dataWithHistory() {
  const data = summaryData();
  const kr1 = data.metrics.find((m) => m.id === ids.metric(1))!;
  kr1.metricHistory = [
    { changedBy: kr1.ownerIds[0]!, comment: '', createdAt: '2026-10-20T09:00:00.000Z', value: 20 },
    { changedBy: kr1.ownerIds[0]!, comment: '', createdAt: '2026-11-10T09:00:00.000Z', value: 40 },
  ];
  return data;
}

const build = (f: SummaryFixture) => f.builder.build({ scope: { kind: 'channel' }, channelId: 'CTEAM0001', title: 'Summary', period, baselineKey: 'sub:1' });

describe('the progress line of a summary', () => {
  it('starts from Gtmhub history while the scope has no recorded summaries: weekly points from a week before its first recorded check-in', async () => {
    fixture = await startSummaryFixture({ data: dataWithHistory() });
    const from = fixture.emulator.requests.length;
    const built = await build(fixture);
    if (!built.ok) throw new Error(built.reason);
    expect(askedForHistory(fixture, from)).toBe(true);
    const points = built.summary.progressHistory;
    // The first value is from 20 Oct: points from 13 Oct on (the session began 1 Oct), weekly back from 27 Nov.
    expect(points.map((p) => p.takenAt.toISOString())).toEqual([6, 5, 4, 3, 2, 1].map((k) => weeksAgo(k).toISOString()));
    // Only KR 1's history carries values: 0 before 20 Oct, then 20 %, then 40 % from 10 Nov.
    expect(points.map((p) => Math.round(p.overall * 100))).toEqual([0, 20, 20, 20, 40, 40]);
    expect(points.every((p) => p.keyResults === 1)).toBe(true);
    expect(points[3]!.expected).toBeCloseTo(paceAt(weeksAgo(3)), 6);
  });

  it('draws the recorded summaries once there are two, and asks Gtmhub for no history then', async () => {
    fixture = await startSummaryFixture({ data: dataWithHistory() });
    const recorded = [
      { takenAt: weeksAgo(2), overall: 0.31, expected: 0.5, keyResults: 2 },
      { takenAt: weeksAgo(1), overall: 0.42, expected: 0.55, keyResults: 2 },
    ];
    for (const point of recorded) await fixture.store.recordSummaryProgress('sub:1', point);
    const from = fixture.emulator.requests.length;
    const built = await build(fixture);
    if (!built.ok) throw new Error(built.reason);
    expect(built.summary.progressHistory).toEqual(recorded);
    expect(fixture.emulator.requests.length).toBeGreaterThan(from);
    expect(askedForHistory(fixture, from)).toBe(false);
    expect(built.progress).toEqual({ takenAt: new Date(NOW), overall: built.summary.overall, expected: built.summary.expected, keyResults: 2 });
  });

  it('records each posted summary, so the next one draws it', async () => {
    fixture = await startSummaryFixture();
    const preview = await fixture.summaries.preview('UANA0001', 'CTEAM0001', '');
    if (preview.kind !== 'ready') throw new Error(preview.kind);
    const posted = await fixture.summaries.post('UANA0001', 'CTEAM0001', preview.requestId);
    expect(posted.kind).toBe('posted');
    const [point] = await fixture.store.listSummaryProgress('channel:CTEAM0001:channel', 20);
    expect(point).toEqual({ takenAt: new Date(NOW), overall: preview.summary.overall, expected: preview.summary.expected, keyResults: preview.summary.total });
  });
});
