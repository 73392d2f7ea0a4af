/**
 * Reads the key-result form (create and edit) into what Gtmhub takes, or into field errors the
 * modal shows beside each field. Everything arrives as text from Slack and is checked here.
 */
import {
  CURRENCY_SYMBOL_MAX,
  DIRECTION_OPERATORS,
  DIRECTIONS,
  FORMAT_KINDS,
  KEY_RESULT_DESCRIPTION_MAX,
  KEY_RESULT_NAME_MAX,
  MAX_DECIMALS,
  metricFormatOf,
  type Direction,
  type FormatKind,
} from '../../domain/key-result-form.js';
import type { MetricFormat, TargetOperator } from '../../gtmhub/types.js';
import { parseNumberInput } from '../number-input.js';

/** The form's fields as Slack sends them back. */
export interface KeyResultFormValues {
  name: string;
  description: string;
  format: string;
  currencySymbol: string;
  decimals: string;
  direction: string;
  start: string;
  target: string;
  /** `YYYY-MM-DD` from the date picker, or empty. */
  dueDate: string;
}

export type KeyResultField = keyof KeyResultFormValues | 'objective' | 'owner';

export type FieldErrors = Partial<Record<KeyResultField, string>>;

/** The attributes the form carries, in Gtmhub's terms. */
export interface KeyResultAttributes {
  name: string;
  description: string;
  format: MetricFormat;
  targetOperator: TargetOperator;
  initialValue: number;
  target: number;
  /** ISO date-time (end of the chosen day, UTC). */
  dueDate: string;
}

export type ReadResult = { ok: true; attributes: KeyResultAttributes } | { ok: false; errors: FieldErrors };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `today` is `YYYY-MM-DD` (UTC). */
export function readKeyResultForm(values: KeyResultFormValues, today: string): ReadResult {
  const errors: FieldErrors = {};
  const name = values.name.trim();
  if (name === '') errors.name = 'Give the key result a name.';
  else if (name.length > KEY_RESULT_NAME_MAX) errors.name = `Keep the name within ${KEY_RESULT_NAME_MAX} characters (it has ${name.length}).`;
  const description = values.description.trim();
  if (description.length > KEY_RESULT_DESCRIPTION_MAX) errors.description = `Keep the description within ${KEY_RESULT_DESCRIPTION_MAX} characters (it has ${description.length}).`;

  const kind = FORMAT_KINDS.find((k) => k === values.format) as FormatKind | undefined;
  if (!kind) errors.format = 'Choose a format.';
  const symbol = values.currencySymbol.trim();
  if (kind === 'currency' && symbol === '') errors.currencySymbol = 'A currency needs its symbol, e.g. $ or €.';
  else if (symbol.length > CURRENCY_SYMBOL_MAX || /[\d\s.,+-]/.test(symbol)) errors.currencySymbol = `Use a symbol of up to ${CURRENCY_SYMBOL_MAX} characters without digits or spaces, e.g. $ or CHF.`;
  const decimals = values.decimals.trim() === '' ? 0 : Number(values.decimals);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) errors.decimals = `Choose 0 to ${MAX_DECIMALS} decimals.`;

  const direction = DIRECTIONS.find((d) => d === values.direction) as Direction | undefined;
  if (!direction) errors.direction = 'Choose a direction.';
  const affixes = kind === 'percent' ? { suffix: '%' } : kind === 'currency' ? { prefix: symbol } : {};
  const start = parseNumberInput(values.start, affixes);
  if (!start.ok) errors.start = start.reason === 'empty' ? 'Enter the value the key result starts from.' : start.message;
  const target = parseNumberInput(values.target, affixes);
  if (!target.ok) errors.target = target.reason === 'empty' ? 'Enter the target.' : target.message;
  if (start.ok && target.ok && direction === 'increase' && !(target.value > start.value)) {
    errors.target = `To increase, the target must be above the start value (${values.start.trim()}).`;
  }
  if (start.ok && target.ok && direction === 'decrease' && !(target.value < start.value)) {
    errors.target = `To decrease, the target must be below the start value (${values.start.trim()}).`;
  }

  const due = values.dueDate.trim();
  const match = DATE.exec(due);
  if (!match || Number.isNaN(Date.parse(`${due}T00:00:00Z`))) errors.dueDate = 'Pick a due date.';
  else if (due < today) errors.dueDate = 'The due date has passed; pick today or a later day.';

  if (Object.keys(errors).length > 0 || !kind || !direction || !start.ok || !target.ok) return { ok: false, errors };
  return {
    ok: true,
    attributes: {
      name,
      description,
      format: metricFormatOf(kind, symbol, decimals),
      targetOperator: DIRECTION_OPERATORS[direction],
      initialValue: start.value,
      target: target.value,
      dueDate: `${due}T23:59:59.000Z`,
    },
  };
}

export function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}
