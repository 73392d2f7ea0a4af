import { commentLengthProblem } from '../domain/comment-length.js';
import { isGtmhubId } from '../gtmhub/ids.js';
import { MAX_VALUE_DECIMALS } from '../domain/limits.js';
import { parseNumberInput, type NumberAffixes } from './number-input.js';

/** What a person typed into the check-in form, as text, before any trust. */
export interface RawCheckInInput {
  metricId: string | null;
  value: string | null;
  confidence: string | null;
  comment: string | null;
}

export interface ValidCheckInInput {
  metricId: string;
  actual: number;
  confidence: number | null;
  comment: string;
}

export type CheckInInputField = 'metricId' | 'value' | 'confidence' | 'comment';

export type CheckInInputValidation = { ok: true; input: ValidCheckInInput } | { ok: false; errors: Partial<Record<CheckInInputField, string>> };

/** Beyond this a value is a typo (a pasted phone number, an extra row of zeros). */
export const MAX_ABS_VALUE = 1e12;
export const MAX_DECIMALS = MAX_VALUE_DECIMALS;

export interface CheckInInputOptions {
  /** The key result's unit (`$`, `%`, ` bugs`), which a person may type along with the value. */
  format?: NumberAffixes | null;
  /** The confidence values the form offered (the account's scale); without it any value in 0–1. */
  confidenceValues?: readonly number[] | null;
}

/** The form's local rules: answered as field errors before anything is stored or sent. */
export function validateCheckInInput(raw: RawCheckInInput, options: CheckInInputOptions = {}): CheckInInputValidation {
  const errors: Partial<Record<CheckInInputField, string>> = {};
  const metricId = raw.metricId?.trim() ?? '';
  if (!metricId) errors.metricId = 'Choose a key result.';
  else if (!isGtmhubId(metricId)) errors.metricId = 'That is not one of the key results offered; choose again.';

  const value = parseNumberInput(raw.value, options.format ?? {});
  const actual = value.ok ? value.value : Number.NaN;
  if (!value.ok) errors.value = value.reason === 'empty' ? 'Enter the new value.' : value.message;
  else if (Math.abs(value.value) > MAX_ABS_VALUE) errors.value = 'That number is too large to be a key result value. Check for extra digits.';
  else if (value.decimals > MAX_DECIMALS) errors.value = `Use at most ${MAX_DECIMALS} decimals.`;

  let confidence: number | null = null;
  const confidenceInput = parseNumberInput(raw.confidence);
  if (confidenceInput.ok) {
    confidence = confidenceInput.value;
    if (confidence < 0 || confidence > 1) errors.confidence = 'Confidence must be between 0 and 1.';
    else if (options.confidenceValues && !options.confidenceValues.some((v) => Math.abs(v - confidence!) < 1e-9)) {
      errors.confidence = 'Choose one of the confidence levels offered.';
    }
  } else if (confidenceInput.reason === 'invalid') {
    errors.confidence = `Confidence must be a number between 0 and 1: ${confidenceInput.message}`;
  }

  const comment = raw.comment?.trim() ?? '';
  const commentProblem = commentLengthProblem(comment);
  if (commentProblem) errors.comment = commentProblem;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { metricId, actual, confidence, comment } };
}
