/**
 * Attainment as API-NOTES gives it: a fraction (1 = 100 %), not capped.
 * Increase: (actual − initial) / (target − initial); decrease (at_most) is the mirror;
 * should_stay_above / should_stay_below are 1 or 0. Unknown operators count as increase.
 */
export function attainmentOf(metric: { initialValue: number; target: number; actual: number; targetOperator: string }): number {
  const { initialValue, target, actual, targetOperator } = metric;
  switch (targetOperator) {
    case 'should_stay_above':
      return actual >= target ? 1 : 0;
    case 'should_stay_below':
      return actual <= target ? 1 : 0;
    case 'at_most':
      return progress(initialValue - actual, initialValue - target);
    default:
      return progress(actual - initialValue, target - initialValue);
  }
}

/** A target equal to the initial value is met (1) once reached, else 0. */
function progress(done: number, span: number): number {
  if (span === 0) return done >= 0 ? 1 : 0;
  return round(done / span);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
