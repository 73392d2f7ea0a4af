/** The choices of the key-result form (create and edit), shared by the services and the blocks. */
import type { MetricFormat, TargetOperator } from '../gtmhub/types.js';

export const KEY_RESULT_NAME_MAX = 200;
export const KEY_RESULT_DESCRIPTION_MAX = 2000;
export const CURRENCY_SYMBOL_MAX = 5;
export const MAX_DECIMALS = 4;

export type Direction = 'increase' | 'decrease' | 'stay_above' | 'stay_below';

/** How each direction is written in Gtmhub (`targetOperator`). */
export const DIRECTION_OPERATORS: Record<Direction, TargetOperator> = {
  increase: 'at_least',
  decrease: 'at_most',
  stay_above: 'should_stay_above',
  stay_below: 'should_stay_below',
};

export const DIRECTION_LABELS: Record<Direction, string> = {
  increase: 'Increase to',
  decrease: 'Decrease to',
  stay_above: 'Stay above',
  stay_below: 'Stay below',
};

export const DIRECTIONS = Object.keys(DIRECTION_OPERATORS) as Direction[];

export function directionOf(operator: TargetOperator | undefined): Direction {
  const found = DIRECTIONS.find((d) => DIRECTION_OPERATORS[d] === operator);
  return found ?? 'increase';
}

export type FormatKind = 'number' | 'percent' | 'currency';

export const FORMAT_LABELS: Record<FormatKind, string> = { number: 'Number', percent: 'Percent (%)', currency: 'Currency' };

export const FORMAT_KINDS = Object.keys(FORMAT_LABELS) as FormatKind[];

export function metricFormatOf(kind: FormatKind, currencySymbol: string, decimals: number): MetricFormat {
  if (kind === 'percent') return { prefix: '', suffix: '%', fractionSize: decimals };
  if (kind === 'currency') return { prefix: currencySymbol, suffix: '', fractionSize: decimals };
  return { prefix: '', suffix: '', fractionSize: decimals };
}

/** The form's reading of a Gtmhub format (a suffix other than % reads as a plain number). */
export function formatKindOf(format: MetricFormat | undefined): { kind: FormatKind; currencySymbol: string; decimals: number } {
  const decimals = Math.min(Math.max(format?.fractionSize ?? 0, 0), MAX_DECIMALS);
  if (format?.suffix?.trim() === '%') return { kind: 'percent', currencySymbol: '', decimals };
  if (format?.prefix?.trim()) return { kind: 'currency', currencySymbol: format.prefix.trim(), decimals };
  return { kind: 'number', currencySymbol: '', decimals };
}
