/**
 * progressFromHistory works its weekly points out in one pass (a cursor per key result). This pins
 * it, on seeded random key results, to the straightforward computation it replaced — a filter per
 * week and per key result — which is kept here, word for word, as the reference. The points must be
 * identical, not close: every number on screen is what Gtmhub holds.
 */
import { seededRandom } from '../../src/emulator/seeded-random.js';
import { describe, expect, it } from 'vitest';
import type { Metric, MetricHistoryEntry, Session } from '../../src/gtmhub/types.js';
import { hasDueDate } from '../../src/gtmhub/types.js';
import { attainment } from '../../src/services/progress.js';
import { progressFromHistory } from '../../src/services/summaries/progress-history.js';
import type { SummaryProgressPoint } from '../../src/store/summary-history-store.js';

const WEEK_MS = 7 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

// ── the reference: the computation before the one-pass version ──────────────────────────────────

function referenceFractionOf(now: number, start: number, end: number): number | null {
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return null;
  return Math.min(1, Math.max(0, (now - start) / (end - start)));
}

function referenceExpectedProgress(
  session: { start?: string | undefined; end?: string | undefined } | undefined,
  metric: { dateCreated?: string | undefined; dueDate?: string | undefined },
  now: Date,
): number | null {
  const at = now.getTime();
  if (session?.start && session.end) {
    const fraction = referenceFractionOf(at, Date.parse(session.start), Date.parse(session.end));
    if (fraction !== null) return fraction;
  }
  if (metric.dateCreated && hasDueDate(metric.dueDate)) {
    return referenceFractionOf(at, Date.parse(metric.dateCreated), Date.parse(metric.dueDate));
  }
  return null;
}

function referenceValuesOf(metric: Metric): Array<{ at: number; value: number }> {
  return (metric.metricHistory ?? [])
    .flatMap((entry) => {
      const at = entry.createdAt ? Date.parse(entry.createdAt) : Number.NaN;
      return Number.isFinite(at) && typeof entry.value === 'number' && Number.isFinite(entry.value) ? [{ at, value: entry.value }] : [];
    })
    .sort((a, b) => a.at - b.at);
}

const capped = (value: number) => Math.min(1, Math.max(0, value));

function referenceProgressFromHistory(metrics: Metric[], sessions: Map<string, Session>, now: Date, max: number): SummaryProgressPoint[] {
  const histories = metrics
    .map((metric) => ({ metric, values: referenceValuesOf(metric), created: metric.dateCreated ? Date.parse(metric.dateCreated) : Number.NaN }))
    .filter((h) => h.values.length > 0);
  if (max <= 0 || histories.length === 0) return [];
  const starts = histories.map((h) => Date.parse(sessions.get(h.metric.sessionId ?? '')?.start ?? '')).filter(Number.isFinite);
  const firstValue = Math.min(...histories.map((h) => h.values[0]!.at));
  const earliest = Math.max(starts.length > 0 ? Math.min(...starts) : firstValue, firstValue - WEEK_MS);
  const points: SummaryProgressPoint[] = [];
  for (let k = max; k >= 1; k--) {
    const at = now.getTime() - k * WEEK_MS;
    if (at < earliest) continue;
    const present = histories.filter((h) => !(h.created > at));
    if (present.length === 0) continue;
    let sum = 0;
    let paceSum = 0;
    let paced = 0;
    for (const { metric, values } of present) {
      const latest = values.filter((v) => v.at <= at).at(-1);
      sum += capped(attainment({ ...metric, actual: latest ? latest.value : (metric.initialValue ?? null) }));
      const expected = referenceExpectedProgress(sessions.get(metric.sessionId ?? ''), metric, new Date(at));
      if (expected !== null) {
        paceSum += expected;
        paced += 1;
      }
    }
    points.push({ takenAt: new Date(at), overall: sum / present.length, expected: paced === 0 ? null : paceSum / paced, keyResults: present.length });
  }
  return points;
}

// ── seeded random key results ───────────────────────────────────────────────────────────────────

interface Scenario {
  metrics: Metric[];
  sessions: Map<string, Session>;
  now: Date;
  max: number;
}

function scenario(seed: number): Scenario {
  const rnd = seededRandom(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const chance = (p: number) => rnd() < p;
  const now = Date.parse('2026-11-27T09:00:00.000Z') + Math.floor(rnd() * 90) * DAY_MS;
  // Instants on a coarse grid, so that check-ins at the same instant, and on a week boundary, happen.
  const instant = () => now - Math.floor(rnd() * 60) * (WEEK_MS / 4) + pick([0, 0, 1, -1]);
  const iso = (ms: number) => new Date(ms).toISOString();

  const sessions = new Map<string, Session>();
  const sessionCount = 1 + Math.floor(rnd() * 4);
  for (let s = 0; s < sessionCount; s++) {
    const start = now - Math.floor(rnd() * 200) * DAY_MS;
    const session: Session = { id: `s${s}` };
    if (chance(0.85)) session.start = pick([iso(start), iso(start), '', 'not a date']);
    if (chance(0.85)) session.end = pick([iso(start + (30 + Math.floor(rnd() * 150)) * DAY_MS), iso(start - DAY_MS), iso(start)]);
    sessions.set(session.id, session);
  }

  const operators = [undefined, 'at_least', 'at_least', 'at_most', 'should_stay_above', 'should_stay_below', 'something_new'];
  const numberOrNot = (value: number) => pick<number | undefined>([value, value, value, value, undefined, Number.NaN]);
  const metrics: Metric[] = [];
  const count = Math.floor(rnd() * 60);
  for (let i = 0; i < count; i++) {
    const initialValue = numberOrNot(Math.round(rnd() * 50));
    const target = numberOrNot(pick([Math.round(rnd() * 200), initialValue ?? 0, -Math.round(rnd() * 50)]));
    const history: MetricHistoryEntry[] = [];
    const entries = chance(0.2) ? 0 : Math.floor(rnd() * 8);
    for (let e = 0; e < entries; e++) {
      const entry: MetricHistoryEntry = { changedBy: 'u1', comment: '' };
      if (chance(0.95)) entry.createdAt = pick([iso(instant()), iso(instant()), iso(instant()), 'garbage']);
      entry.value = pick<unknown>([Math.round(rnd() * 2500) / 10, Math.round(rnd() * 250), -Math.round(rnd() * 30), null, '12', Number.POSITIVE_INFINITY, undefined]);
      history.push(entry);
    }
    const metric: Metric = {
      id: `m${i}`,
      name: `KR ${i}`,
      goalId: 'g1',
      ...(chance(0.9) ? { sessionId: pick([...sessions.keys(), 'unknown-session']) } : {}),
      ...(initialValue === undefined ? {} : { initialValue }),
      ...(target === undefined ? {} : { target }),
      ...(chance(0.9) ? { targetOperator: pick(operators) } : {}),
      ...(chance(0.8) ? { dateCreated: iso(instant() - Math.floor(rnd() * 10) * DAY_MS) } : {}),
      ...(chance(0.7) ? { dueDate: pick([iso(now + Math.floor(rnd() * 100) * DAY_MS), '0001-01-01T00:00:00Z', iso(now - 300 * DAY_MS)]) } : {}),
      ...(chance(0.95) ? { metricHistory: history } : {}),
    } as Metric;
    metrics.push(metric);
  }
  return { metrics, sessions, now: new Date(now), max: pick([0, 1, 3, 10, 19, 19, 19, 25]) };
}

describe('progressFromHistory in one pass', () => {
  it('gives exactly the points of the straightforward computation on 500 seeded random scopes', () => {
    let withPoints = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const { metrics, sessions, now, max } = scenario(seed);
      const expected = referenceProgressFromHistory(metrics, sessions, now, max);
      const actual = progressFromHistory(metrics, sessions, now, max);
      expect(actual, `seed ${seed}`).toStrictEqual(expected);
      if (expected.length > 0) withPoints += 1;
    }
    // The scopes exercise the computation: most of them draw a line.
    expect(withPoints).toBeGreaterThan(250);
  });

  it('gives exactly the straightforward points on a large scope where key results join over time', () => {
    const { sessions, now } = scenario(7);
    const metrics = Array.from({ length: 40 }, (_, i) => scenario(1000 + i).metrics)
      .flat()
      .map((metric, i) => ({ ...metric, id: `big${i}`, sessionId: [...sessions.keys()][i % sessions.size]! }));
    const expected = referenceProgressFromHistory(metrics, sessions, now, 19);
    expect(expected.length).toBeGreaterThan(3);
    expect(progressFromHistory(metrics, sessions, now, 19)).toStrictEqual(expected);
  });
});
