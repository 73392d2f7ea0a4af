/**
 * Attainment, shared by check-ins, reminders and summaries. A pure function.
 * Attainment follows API-NOTES: a fraction (1 = 100 %), not capped.
 */
import { targetGoalOf } from '../domain/target-goal.js';

export interface AttainmentInput {
  initialValue?: number | null;
  target?: number | null;
  actual?: number | null;
  targetOperator?: string | null;
}

function finiteOr(value: number | null | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * How far a key result is from its initial value towards its target, as a fraction.
 * A missing initial value counts as 0, a missing actual as "no progress yet" (= initial);
 * without a usable target there is no progress to measure, so 0.
 */
export function attainment(metric: AttainmentInput): number {
  const initial = finiteOr(metric.initialValue, 0);
  const actual = finiteOr(metric.actual, initial);
  const target = metric.target;
  if (typeof target !== 'number' || !Number.isFinite(target)) return 0;

  let result: number;
  switch (targetGoalOf(metric.targetOperator).direction) {
    case 'stay_above':
      result = actual >= target ? 1 : 0;
      break;
    case 'stay_below':
      result = actual <= target ? 1 : 0;
      break;
    case 'decrease':
      result = target === initial ? (actual <= target ? 1 : 0) : (initial - actual) / (initial - target);
      break;
    case 'increase': // 'at_least' and operators we do not know yet
      result = target === initial ? (actual >= target ? 1 : 0) : (actual - initial) / (target - initial);
  }
  // `+ 0` turns -0 into 0 so that nobody renders "-0%".
  return Number.isFinite(result) ? result + 0 : 0;
}
