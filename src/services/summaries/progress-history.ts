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

const capped = (value: number) => Math.min(1, Math.max(0, value));

/** A session's dates as numbers (NaN where missing), parsed once per session. */
export interface SessionDates {
  /** The pace's window: both given, else NaN. */
  start: number;
  end: number;
  /** Where a progress line may begin: the start, even without an end. */
  firstDay: number;
}

export function sessionDatesOf(session: Session | undefined): SessionDates {
  return { ...sessionPaceDates(session), firstDay: Date.parse(session?.start ?? '') };
}

/** What one key result's history contributes to the line: its values oldest first and its dates, parsed once. */
export interface KeyResultHistory {
  metric: Pick<Metric, 'initialValue' | 'target' | 'targetOperator'>;
  at: number[];
  value: number[];
  created: number;
  session: SessionDates;
  /** The key result's own due date for the pace (from `created`), NaN when none. */
  due: number;
}

/** The key result's history, or null when no entry carries a value. */
export function historyOf(metric: Metric, session: SessionDates): KeyResultHistory | null {
  const entries = metric.metricHistory;
  if (!entries || entries.length === 0) return null;
  // Straight into the two arrays; Gtmhub's history is usually oldest first already, so sorting is the exception.
  let at: number[] | null = null;
  let value: number[] = [];
  let inOrder = true;
  for (const entry of entries) {
    const when = entry.createdAt ? Date.parse(entry.createdAt) : Number.NaN;
    const amount = entry.value;
    if (!Number.isFinite(when) || typeof amount !== 'number' || !Number.isFinite(amount)) continue;
    if (!at) {
      at = [];
      value = [];
    } else if (when < at[at.length - 1]!) inOrder = false;
    at.push(when);
    value.push(amount);
  }
  if (!at) return null;
  if (!inOrder) {
    // Stable: of two values recorded at the same instant, the later entry counts.
    const order = at.map((_, i) => i).sort((a, b) => at![a]! - at![b]! || a - b);
    const sortedValue = order.map((i) => value[i]!);
    at = order.map((i) => at![i]!);
    value = sortedValue;
  }
  return {
    metric: { initialValue: metric.initialValue, target: metric.target, targetOperator: metric.targetOperator },
    at,
    value,
    created: metric.dateCreated ? Date.parse(metric.dateCreated) : Number.NaN,
    session,
    due: ownPaceEnd(metric),
  };
}

/**
 * Weekly points before `now` (at most `max`, none before the earliest session start), or none when
 * no key result's history carries a value.
 */
export function progressFromHistory(metrics: Metric[], sessions: Map<string, Session>, now: Date, max: number): SummaryProgressPoint[] {
  if (max <= 0) return [];
  const dates = new Map<string, SessionDates>();
  const histories: KeyResultHistory[] = [];
  for (const metric of metrics) {
    const sessionId = metric.sessionId ?? '';
    let session = dates.get(sessionId);
    if (!session) dates.set(sessionId, (session = sessionDatesOf(sessions.get(sessionId))));
    const history = historyOf(metric, session);
    if (history) histories.push(history);
  }
  return pointsFrom(histories, now, max);
}

/**
 * The weekly points of these histories (in their order). One pass: weeks are visited oldest first,
 * so each key result's latest value moves forward through its sorted values (a cursor per key
 * result) and its attainment is worked out again only when that value changes. Sums run over the
 * key results in the same order for every week.
 */
export function pointsFrom(histories: readonly KeyResultHistory[], now: Date, max: number): SummaryProgressPoint[] {
  const n = histories.length;
  if (max <= 0 || n === 0) return [];
  let firstStart = Number.POSITIVE_INFINITY;
  let firstValue = Number.POSITIVE_INFINITY;
  for (const h of histories) {
    if (h.session.firstDay < firstStart) firstStart = h.session.firstDay;
    if (h.at[0]! < firstValue) firstValue = h.at[0]!;
  }
  // From the session's start, but not months of flat zeros before the first check-in Gtmhub recorded.
  const earliest = Math.max(Number.isFinite(firstStart) ? firstStart : firstValue, firstValue - WEEK_MS);

  const cursor = new Array<number>(n).fill(0);
  const attained = histories.map((h) => capped(attainmentAt(h, h.metric.initialValue ?? null)));
  const points: SummaryProgressPoint[] = [];
  for (let k = max; k >= 1; k--) {
    const at = now.getTime() - k * WEEK_MS;
    if (at < earliest) continue;
    let present = 0;
    let sum = 0;
    let paceSum = 0;
    let paced = 0;
    for (let i = 0; i < n; i++) {
      const h = histories[i]!;
      if (h.created > at) continue;
      present += 1;
      let next = cursor[i]!;
      if (next < h.at.length && h.at[next]! <= at) {
        while (next < h.at.length && h.at[next]! <= at) next += 1;
        cursor[i] = next;
        attained[i] = capped(attainmentAt(h, h.value[next - 1]!));
      }
      sum += attained[i]!;
      const expected = expectedAt(at, h.session.start, h.session.end, h.created, h.due);
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

function attainmentAt(history: KeyResultHistory, actual: number | null): number {
  const { initialValue, target, targetOperator } = history.metric;
  return attainment({ initialValue, target, actual, targetOperator });
}
