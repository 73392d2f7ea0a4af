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

  it('never changes what a value means: ambiguous commas, exponents and hex are refused', () => {
    expect(validateCheckInInput({ ...ok, value: '5,5' })).toEqual({ ok: false, errors: { value: '“5,5” is ambiguous: write 5.5 or 55.' } });
    expect(validateCheckInInput({ ...ok, value: '1,5' })).toEqual({ ok: false, errors: { value: '“1,5” is ambiguous: write 1.5 or 15.' } });
    expect(validateCheckInInput({ ...ok, value: '1,300,000' })).toMatchObject({ ok: true, input: { actual: 1_300_000 } });
    // The same quantity written out is refused for its decimals; written with an exponent it is no longer let through.
    expect(validateCheckInInput({ ...ok, value: '0.0000001' })).toMatchObject({ ok: false, errors: { value: expect.stringMatching(/decimals/) } });
    expect(validateCheckInInput({ ...ok, value: '1e-7' })).toMatchObject({ ok: false, errors: { value: expect.stringMatching(/without an exponent/) } });
    expect(validateCheckInInput({ ...ok, confidence: '0x1' })).toMatchObject({ ok: false, errors: { confidence: expect.stringMatching(/between 0 and 1.*decimal digits/) } });
    expect(validateCheckInInput({ ...ok, confidence: '0,5' })).toMatchObject({ ok: false, errors: { confidence: expect.stringMatching(/ambiguous/) } });
    expect(validateCheckInInput({ ...ok, confidence: '1e0' }).ok).toBe(false);
    expect(validateCheckInInput({ ...ok, confidence: ' .5 ' })).toMatchObject({ ok: true, input: { confidence: 0.5 } });
  });

  it("accepts the key result's unit when the caller passes it", () => {
    expect(validateCheckInInput({ ...ok, value: '$26,000' }, { format: { prefix: '$', suffix: '' } })).toMatchObject({ ok: true, input: { actual: 26000 } });
    expect(validateCheckInInput({ ...ok, value: '70.5%' }, { format: { prefix: '', suffix: '%' } })).toMatchObject({ ok: true, input: { actual: 70.5 } });
    expect(validateCheckInInput({ ...ok, value: '$26,000' }).ok).toBe(false);
  });
});
