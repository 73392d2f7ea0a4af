/** How a key result's value meets its target: rise to it, fall to it, or stay above / below it. */
export type TargetDirection = 'up' | 'down' | 'stay_above' | 'stay_below';

/** From Gtmhub's `targetOperator`; operators we do not know yet read as "at least", like attainment does. */
export function targetDirection(operator: string | null | undefined): TargetDirection {
  switch (operator) {
    case 'at_most':
      return 'down';
    case 'should_stay_above':
      return 'stay_above';
    case 'should_stay_below':
      return 'stay_below';
    default:
      return 'up';
  }
}
