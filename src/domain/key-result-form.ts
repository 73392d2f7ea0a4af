/** The choices of the key-result form (create and edit), shared by the services and the blocks. */
import type { Metric, MetricFormat, TargetOperator } from '../gtmhub/types.js';

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

/** The form's reading of a Gtmhub format (a suffix other than % reads as a plain number; `formGapsOf` says what it leaves out). */
export function formatKindOf(format: MetricFormat | undefined): { kind: FormatKind; currencySymbol: string; decimals: number } {
  const decimals = Math.min(Math.max(format?.fractionSize ?? 0, 0), MAX_DECIMALS);
  if (format?.suffix?.trim() === '%') return { kind: 'percent', currencySymbol: '', decimals };
  if (format?.prefix?.trim()) return { kind: 'currency', currencySymbol: format.prefix.trim(), decimals };
  return { kind: 'number', currencySymbol: '', decimals };
}

/** A text cut to `max` characters with an ellipsis, as the form shows it (Slack refuses a longer initial value). */
export function shortenedForForm(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * What of a key result the form cannot show as Gtmhub holds it. Each is kept in Gtmhub unless the
 * person changes that field, and the form says so beside the field.
 */
export interface FormGaps {
  /** Gtmhub's unit when no format choice writes it so, e.g. the suffix " bugs". */
  unit?: { prefix: string; suffix: string };
  /** Decimals the decimals choice does not offer (more than MAX_DECIMALS); the choice is left empty. */
  decimals?: number;
  /** The length of a name longer than KEY_RESULT_NAME_MAX (the form shows it shortened). */
  nameLength?: number;
  /** The length of a description longer than KEY_RESULT_DESCRIPTION_MAX (the form leaves it out). */
  descriptionLength?: number;
  /** A direction (`targetOperator`) none of the form's choices writes. */
  operator?: string;
}

export function formGapsOf(metric: Pick<Metric, 'name' | 'description' | 'format' | 'targetOperator'>): FormGaps {
  const gaps: FormGaps = {};
  const prefix = metric.format?.prefix ?? '';
  const suffix = metric.format?.suffix ?? '';
  const read = formatKindOf(metric.format);
  const written = metricFormatOf(read.kind, read.currencySymbol, read.decimals);
  if (prefix.trim() !== written.prefix || suffix.trim() !== written.suffix) gaps.unit = { prefix, suffix };
  const fractionSize = metric.format?.fractionSize ?? 0;
  if (!Number.isInteger(fractionSize) || fractionSize < 0 || fractionSize > MAX_DECIMALS) gaps.decimals = fractionSize;
  const name = metric.name ?? '';
  if (name.length > KEY_RESULT_NAME_MAX) gaps.nameLength = name.length;
  const description = metric.description ?? '';
  if (description.length > KEY_RESULT_DESCRIPTION_MAX) gaps.descriptionLength = description.length;
  if (metric.targetOperator !== undefined && !DIRECTIONS.some((d) => DIRECTION_OPERATORS[d] === metric.targetOperator)) gaps.operator = String(metric.targetOperator);
  return gaps;
}
