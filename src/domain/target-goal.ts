/**
 * What a key result's `targetOperator` asks for. Gtmhub's operators (API-NOTES): `at_least`
 * (increase to the target), `at_most` (decrease to it), `should_stay_above` / `should_stay_below`
 * (a threshold to hold). An operator we do not know is read as `at_least` and marked unknown, so it
 * keeps working and can be labelled as a guess.
 */
export type GoalDirection = 'increase' | 'decrease' | 'stay_above' | 'stay_below';

export interface TargetGoal {
  direction: GoalDirection;
  /** A threshold is held or not: progress is met / not met, never a percentage in between. */
  threshold: boolean;
  /** False for an operator Gtmhub sent that we do not know (then `operator` names it). */
  known: boolean;
  operator: string;
}

const KNOWN: Record<string, GoalDirection> = {
  at_least: 'increase',
  at_most: 'decrease',
  should_stay_above: 'stay_above',
  should_stay_below: 'stay_below',
};

export function targetGoalOf(operator: string | null | undefined): TargetGoal {
  const name = typeof operator === 'string' ? operator.trim() : '';
  if (name === '') return { direction: 'increase', threshold: false, known: true, operator: 'at_least' };
  const direction = KNOWN[name];
  if (!direction) return { direction: 'increase', threshold: false, known: false, operator: name };
  return { direction, threshold: direction === 'stay_above' || direction === 'stay_below', known: true, operator: name };
}

/** Whether a threshold key result currently holds (≥ or ≤ its threshold); null for other goals or missing numbers. */
export function thresholdHeld(goal: TargetGoal, actual: number | null | undefined, target: number | null | undefined): boolean | null {
  if (!goal.threshold || typeof actual !== 'number' || typeof target !== 'number' || !Number.isFinite(actual) || !Number.isFinite(target)) return null;
  return goal.direction === 'stay_above' ? actual >= target : actual <= target;
}
