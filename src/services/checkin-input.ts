import { commentLengthProblem } from '../domain/comment-length.js';
import { isGtmhubId } from '../gtmhub/ids.js';

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
export const MAX_DECIMALS = 6;

/** The form's local rules: answered as field errors before anything is stored or sent. */
export function validateCheckInInput(raw: RawCheckInInput): CheckInInputValidation {
  const errors: Partial<Record<CheckInInputField, string>> = {};
  const metricId = raw.metricId?.trim() ?? '';
  if (!metricId) errors.metricId = 'Choose a key result.';
  else if (!isGtmhubId(metricId)) errors.metricId = 'That is not one of the key results offered; choose again.';

  const valueText = raw.value?.trim().replace(/,/g, '') ?? '';
  const actual = Number(valueText);
  if (!valueText) errors.value = 'Enter the new value.';
  else if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(valueText) || !Number.isFinite(actual)) errors.value = `“${valueText.slice(0, 40)}” is not a number.`;
  else if (Math.abs(actual) > MAX_ABS_VALUE) errors.value = 'That number is too large to be a key result value. Check for extra digits.';
  else if ((valueText.split('.')[1]?.replace(/[eE].*$/, '').length ?? 0) > MAX_DECIMALS) errors.value = `Use at most ${MAX_DECIMALS} decimals.`;

  let confidence: number | null = null;
  const confidenceText = raw.confidence?.trim() ?? '';
  if (confidenceText) {
    confidence = Number(confidenceText);
    if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1) errors.confidence = 'Confidence must be between 0 and 1.';
  }

  const comment = raw.comment?.trim() ?? '';
  const commentProblem = commentLengthProblem(comment);
  if (commentProblem) errors.comment = commentProblem;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { metricId, actual, confidence, comment } };
}
