/**
 * Overall progress at earlier dates, worked out from Gtmhub's own history where it carries values
 * (`metricHistory` entries with a `value`): for a scope whose summaries have not been recorded yet,
 * so its progress line starts with the session rather than with the first summary. Every point uses
 * only values Gtmhub holds: over the key results whose history carries values, each one's latest
 * checked-in value at that date (its initial value before its first check-in), judged with the same
 * attainment and pace rules as today's figures.
 */
import type { Metric, Session } from '../../gtmhub/types.js';
import type { SummaryProgressPoint } from '../../store/summary-history-store.js';
import { attainment } from '../progress.js';
import { expectedAt, ownPaceEnd, sessionPaceDates } from './status.js';

const WEEK_MS = 7 * 24 * 3600_000;

/** Gtmhub's list field to ask for when history is to be worked out. */
export const HISTORY_FIELD = 'metricHistory';

const capped = (value: number) => Math.min(1, Math.max(0, value));

/**
 * The key results whose history carries values, in their order, as flat columns: parsed once, and
 * few objects for the garbage collector when a scope holds tens of thousands of key results.
 */
class Histories {
  readonly metrics: Metric[] = [];
  /** Values of key result i: at[start[i]] … at[start[i + 1] − 1], oldest first. */
  readonly start: number[] = [0];
  readonly at: number[] = [];
  readonly value: number[] = [];
  readonly created: number[] = [];
  /** The pace's dates: the session's window, and the key result's own end (from `created`). */
  readonly sessionStart: number[] = [];
  readonly sessionEnd: number[] = [];
  readonly due: number[] = [];

  add(metric: Metric, session: { start: number; end: number }): void {
    const from = this.at.length;
    for (const entry of metric.metricHistory ?? []) {
      const at = entry.createdAt ? Date.parse(entry.createdAt) : Number.NaN;
      if (Number.isFinite(at) && typeof entry.value === 'number' && Number.isFinite(entry.value)) {
        this.at.push(at);
        this.value.push(entry.value);
      }
    }
    const count = this.at.length - from;
    if (count === 0) return;
    if (count > 1) this.sortFrom(from);
    this.metrics.push(metric);
    this.start.push(this.at.length);
    this.created.push(metric.dateCreated ? Date.parse(metric.dateCreated) : Number.NaN);
    this.sessionStart.push(session.start);
    this.sessionEnd.push(session.end);
    this.due.push(ownPaceEnd(metric));
  }

  get size(): number {
    return this.metrics.length;
  }

  /** Oldest first; stable, so of two values recorded at the same instant the later entry counts. */
  private sortFrom(from: number): void {
    const entries = this.at.slice(from).map((at, i) => ({ at, value: this.value[from + i]! }));
    entries.sort((a, b) => a.at - b.at);
    entries.forEach((entry, i) => {
      this.at[from + i] = entry.at;
      this.value[from + i] = entry.value;
    });
  }
}

/**
 * Weekly points before `now` (at most `max`, none before the earliest session start), or none when
 * no key result's history carries a value.
 *
 * One pass: weeks are visited oldest first, so each key result's latest value moves forward through
 * its sorted values (a cursor per key result) and its attainment is worked out again only when that
 * value changes. Sums run over the key results in the same order for every week.
 */
export function progressFromHistory(metrics: Metric[], sessions: Map<string, Session>, now: Date, max: number): SummaryProgressPoint[] {
  if (max <= 0) return [];
  const histories = new Histories();
  const sessionDates = new Map<string, { start: number; end: number; firstDay: number }>();
  let firstStart = Number.POSITIVE_INFINITY;
  for (const metric of metrics) {
    const sessionId = metric.sessionId ?? '';
    let dates = sessionDates.get(sessionId);
    if (!dates) {
      const session = sessions.get(sessionId);
      dates = { ...sessionPaceDates(session), firstDay: Date.parse(session?.start ?? '') };
      sessionDates.set(sessionId, dates);
    }
    const before = histories.size;
    histories.add(metric, dates);
    if (histories.size > before && dates.firstDay < firstStart) firstStart = dates.firstDay;
  }
  const n = histories.size;
  if (n === 0) return [];
  let firstValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) firstValue = Math.min(firstValue, histories.at[histories.start[i]!]!);
  // From the session's start, but not months of flat zeros before the first check-in Gtmhub recorded.
  const earliest = Math.max(Number.isFinite(firstStart) ? firstStart : firstValue, firstValue - WEEK_MS);

  const { at: valueAt, value, start, created, sessionStart, sessionEnd, due } = histories;
  const cursor = start.slice(0, n);
  const attained = histories.metrics.map((metric) => capped(attainmentAt(metric, metric.initialValue ?? null)));
  const points: SummaryProgressPoint[] = [];
  for (let k = max; k >= 1; k--) {
    const at = now.getTime() - k * WEEK_MS;
    if (at < earliest) continue;
    let present = 0;
    let sum = 0;
    let paceSum = 0;
    let paced = 0;
    for (let i = 0; i < n; i++) {
      if (created[i]! > at) continue;
      present += 1;
      let next = cursor[i]!;
      const end = start[i + 1]!;
      if (next < end && valueAt[next]! <= at) {
        while (next < end && valueAt[next]! <= at) next += 1;
        cursor[i] = next;
        attained[i] = capped(attainmentAt(histories.metrics[i]!, value[next - 1]!));
      }
      sum += attained[i]!;
      const expected = expectedAt(at, sessionStart[i]!, sessionEnd[i]!, created[i]!, due[i]!);
      if (expected !== null) {
        paceSum += expected;
        paced += 1;
      }
    }
    if (present === 0) continue;
    points.push({ takenAt: new Date(at), overall: sum / present, expected: paced === 0 ? null : paceSum / paced, keyResults: present });
  }
  return points;
}

function attainmentAt(metric: Metric, actual: number | null): number {
  return attainment({ initialValue: metric.initialValue, target: metric.target, actual, targetOperator: metric.targetOperator });
}
