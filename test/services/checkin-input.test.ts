import { describe, expect, it } from 'vitest';
import { MAX_COMMENT_LENGTH } from '../../src/domain/limits.js';
import { MAX_ABS_VALUE, validateCheckInInput } from '../../src/services/checkin-input.js';

const metricId = '0123456789abcdef01234567';
const ok = { metricId, value: '42', confidence: null, comment: null };

describe('validateCheckInInput', () => {
  it('accepts integers, decimals, negatives and thousands separators', () => {
    for (const [text, value] of [['42', 42], ['-3.5', -3.5], ['1,250.75', 1250.75], ['.5', 0.5], ['+7', 7]] as const) {
      const result = validateCheckInInput({ ...ok, value: text });
      expect(result).toEqual({ ok: true, input: { metricId, actual: value, confidence: null, comment: '' } });
    }
  });

  it('names each bad field', () => {
    const result = validateCheckInInput({ metricId: 'nope', value: 'abc', confidence: '1.5', comment: 'x'.repeat(MAX_COMMENT_LENGTH + 1) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.metricId).toMatch(/choose again/);
    expect(result.errors.value).toBe('“abc” is not a number.');
    expect(result.errors.confidence).toMatch(/between 0 and 1/);
    expect(result.errors.comment).toMatch(new RegExp(`${MAX_COMMENT_LENGTH + 1} characters`));
  });

  it('requires a key result and a value, and refuses values out of a sane range', () => {
    const missing = validateCheckInInput({ metricId: null, value: ' ', confidence: null, comment: null });
    expect(missing).toMatchObject({ ok: false, errors: { metricId: 'Choose a key result.', value: 'Enter the new value.' } });
    expect(validateCheckInInput({ ...ok, value: String(MAX_ABS_VALUE * 10) })).toMatchObject({ ok: false, errors: { value: expect.stringMatching(/too large/) } });
    expect(validateCheckInInput({ ...ok, value: String(MAX_ABS_VALUE) }).ok).toBe(true);
    expect(validateCheckInInput({ ...ok, value: '1.1234567' })).toMatchObject({ ok: false, errors: { value: expect.stringMatching(/decimals/) } });
    expect(validateCheckInInput({ ...ok, value: 'Infinity' }).ok).toBe(false);
    expect(validateCheckInInput({ ...ok, value: '0x10' }).ok).toBe(false);
  });

  it('keeps confidence and trims the comment', () => {
    expect(validateCheckInInput({ ...ok, confidence: '0.7', comment: '  done  ' })).toEqual({
      ok: true,
      input: { metricId, actual: 42, confidence: 0.7, comment: 'done' },
    });
  });
});
