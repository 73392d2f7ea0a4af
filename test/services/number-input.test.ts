import { describe, expect, it } from 'vitest';
import { parseNumberInput } from '../../src/services/number-input.js';

const value = (text: string, affixes = {}) => {
  const parsed = parseNumberInput(text, affixes);
  return parsed.ok ? parsed.value : parsed.message;
};

describe('parseNumberInput', () => {
  it('reads plain, signed, grouped and decimal numbers, with surrounding spaces', () => {
    for (const [text, expected] of [
      ['42', 42],
      ['  42 ', 42],
      ['-3.5', -3.5],
      ['+7', 7],
      ['.5', 0.5],
      ['0.0000001', 0.0000001],
      ['1,300,000', 1_300_000],
      ['1,250.75', 1250.75],
      ['-1,000', -1000],
      ['999', 999],
      ['-0', 0],
    ] as const) {
      expect(value(text), text).toBe(expected);
    }
  });

  it('counts the decimals as typed', () => {
    expect(parseNumberInput('1.500')).toEqual({ ok: true, value: 1.5, decimals: 3 });
    expect(parseNumberInput('1,000')).toEqual({ ok: true, value: 1000, decimals: 0 });
  });

  it('refuses a comma that could be a decimal comma, saying how it could be read', () => {
    expect(value('1,5')).toBe('“1,5” is ambiguous: write 1.5 or 15.');
    expect(value('5,5')).toBe('“5,5” is ambiguous: write 5.5 or 55.');
    expect(value('1234,567')).toBe('“1234,567” is ambiguous: write 1234.567 or 1234567.');
    expect(value('1,5000')).toBe('“1,5000” is ambiguous: write 1.5000 or 15000.');
  });

  it('refuses other comma and dot mixtures with the rule', () => {
    expect(value('1,30,000')).toMatch(/^“1,30,000” is not a number: use , only between groups of three digits/);
    expect(value('1.300,50')).toMatch(/use , only between groups of three digits/);
    expect(value('1,000.5.5')).toMatch(/is not a number/);
    expect(value('1.300.000')).toBe('“1.300.000” is not a number: . is the decimal point; write 1300000 or 1,300,000.');
    expect(value(',5')).toMatch(/is not a number/);
    expect(value('5,')).toMatch(/is not a number/);
  });

  it('refuses exponents, hex, Infinity, spaces inside and stray characters', () => {
    expect(value('1e-7')).toBe('“1e-7” is not a number: write the digits out, without an exponent.');
    expect(value('2E3')).toMatch(/without an exponent/);
    expect(value('0x1')).toBe('“0x1” is not a number: write it in decimal digits.');
    expect(value('0b1')).toMatch(/decimal digits/);
    for (const text of ['Infinity', '-Infinity', 'NaN', '1 300', '--1', '+-1', '.', '-', '1-', 'abc', '12abc', '١٢']) {
      expect(parseNumberInput(text).ok, text).toBe(false);
    }
    expect(value('1 300')).toMatch(/remove the spaces/);
  });

  it('says when nothing was typed', () => {
    expect(parseNumberInput('   ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(parseNumberInput(null)).toMatchObject({ ok: false, reason: 'empty' });
  });

  it("accepts the key result's own prefix or suffix only when given", () => {
    expect(value('$1,200', { prefix: '$' })).toBe(1200);
    expect(value('-$5', { prefix: '$' })).toBe(-5);
    expect(value('$ -5', { prefix: '$' })).toBe(-5);
    expect(value('€ 3.5', { prefix: '€' })).toBe(3.5);
    expect(value('85%', { suffix: '%' })).toBe(85);
    expect(value('85 %', { suffix: ' %' })).toBe(85);
    expect(value('12h', { suffix: 'h' })).toBe(12);
    expect(value('4 bugs', { suffix: ' bugs' })).toBe(4);
    expect(parseNumberInput('$1,200').ok).toBe(false);
    expect(parseNumberInput('85%', { prefix: '$' }).ok).toBe(false);
    expect(parseNumberInput('$85%', { prefix: '$' }).ok).toBe(false);
    expect(parseNumberInput('--$5', { prefix: '$' }).ok).toBe(false);
    expect(parseNumberInput('-$-5', { prefix: '$' }).ok).toBe(false);
  });
});
