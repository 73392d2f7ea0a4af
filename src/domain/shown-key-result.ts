/**
 * What the check-in form showed of one key result — its unit and numbers — as it comes back with a
 * submission (private_metadata), naming the key result it is of.
 */
import type { Metric } from '../gtmhub/types.js';

export interface ShownKeyResult {
  metricId: string;
  prefix: string;
  suffix: string;
  /** What Gtmhub holds now (null = never checked in). */
  actual: number | null;
  initial: number | null;
  target: number | null;
}

/** The unit and numbers of a key result as Gtmhub holds it. */
export function shownOf(metric: Metric): ShownKeyResult {
  const finite = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  return {
    metricId: metric.id,
    prefix: metric.format?.prefix ?? '',
    suffix: metric.format?.suffix ?? '',
    actual: finite(metric.actual),
    initial: finite(metric.initialValue),
    target: finite(metric.target),
  };
}
