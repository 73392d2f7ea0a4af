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
import { expectedProgress } from './status.js';

const WEEK_MS = 7 * 24 * 3600_000;

/** Gtmhub's list field to ask for when history is to be worked out. */
export const HISTORY_FIELD = 'metricHistory';

interface ValueAt {
  at: number;
  value: number;
}

function valuesOf(metric: Metric): ValueAt[] {
  return (metric.metricHistory ?? [])
    .flatMap((entry) => {
      const at = entry.createdAt ? Date.parse(entry.createdAt) : Number.NaN;
      return Number.isFinite(at) && typeof entry.value === 'number' && Number.isFinite(entry.value) ? [{ at, value: entry.value }] : [];
    })
    .sort((a, b) => a.at - b.at);
}

const capped = (value: number) => Math.min(1, Math.max(0, value));

/**
 * Weekly points before `now` (at most `max`, none before the earliest session start), or none when
 * no key result's history carries a value.
 */
export function progressFromHistory(metrics: Metric[], sessions: Map<string, Session>, now: Date, max: number): SummaryProgressPoint[] {
  const histories = metrics
    .map((metric) => ({ metric, values: valuesOf(metric), created: metric.dateCreated ? Date.parse(metric.dateCreated) : Number.NaN }))
    .filter((h) => h.values.length > 0);
  if (max <= 0 || histories.length === 0) return [];
  const starts = histories.map((h) => Date.parse(sessions.get(h.metric.sessionId ?? '')?.start ?? '')).filter(Number.isFinite);
  const firstValue = Math.min(...histories.map((h) => h.values[0]!.at));
  // From the session's start, but not months of flat zeros before the first check-in Gtmhub recorded.
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
      const expected = expectedProgress(sessions.get(metric.sessionId ?? ''), metric, new Date(at));
      if (expected !== null) {
        paceSum += expected;
        paced += 1;
      }
    }
    points.push({ takenAt: new Date(at), overall: sum / present.length, expected: paced === 0 ? null : paceSum / paced, keyResults: present.length });
  }
  return points;
}
