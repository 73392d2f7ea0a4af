import { describe, expect, it } from 'vitest';
import { decimalsFor, formatPercent, formatValue, progressBar } from '../../../../src/slack/blocks/format/progress.js';

describe('formatValue', () => {
  it('shows up to 2 decimals without a fraction size, trimming zeros', () => {
    expect(formatValue(42)).toBe('42');
    expect(formatValue(42.5)).toBe('42.5');
    expect(formatValue(42.125)).toBe('42.13');
    expect(formatValue(1.005)).toBe('1.01');
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
  });

  it('shows exactly fractionSize decimals, rounding half away from zero', () => {
    expect(formatValue(42, { fractionSize: 2 })).toBe('42.00');
    expect(formatValue(2.345, { fractionSize: 2 })).toBe('2.35');
    expect(formatValue(-2.345, { fractionSize: 2 })).toBe('-2.35');
    expect(formatValue(42.6, { fractionSize: 0 })).toBe('43');
    expect(formatValue(1.23456, { fractionSize: 4 })).toBe('1.2346');
  });

  it('groups thousands', () => {
    expect(formatValue(1234567.891)).toBe('1,234,567.89');
    expect(formatValue(1000, { prefix: '$', fractionSize: 0 })).toBe('$1,000');
  });

  it('puts the sign before the prefix', () => {
    expect(formatValue(-5, { prefix: '$' })).toBe('-$5');
    expect(formatValue(-1234.5, { prefix: '€', fractionSize: 2 })).toBe('-€1,234.50');
    expect(formatValue(-12, { suffix: '%' })).toBe('-12%');
  });

  it('does not show a sign for a value that rounds to zero', () => {
    expect(formatValue(-0.001)).toBe('0');
    expect(formatValue(-0.004, { prefix: '$', fractionSize: 2 })).toBe('$0.00');
    expect(formatValue(-0)).toBe('0');
  });

  it('sets symbols and single letters tight, words apart', () => {
    expect(formatValue(42, { suffix: '%' })).toBe('42%');
    expect(formatValue(12, { suffix: 'users' })).toBe('12 users');
    expect(formatValue(12, { suffix: 'k' })).toBe('12k');
    expect(formatValue(3, { suffix: 'km' })).toBe('3 km');
    expect(formatValue(5, { suffix: '/month' })).toBe('5/month');
    expect(formatValue(5, { prefix: 'USD' })).toBe('USD 5');
    expect(formatValue(5, { prefix: '$' })).toBe('$5');
  });

  it('keeps spacing the format already has and ignores empty affixes', () => {
    expect(formatValue(12, { suffix: ' users' })).toBe('12 users');
    expect(formatValue(12, { prefix: 'USD ' })).toBe('USD 12');
    expect(formatValue(12, { prefix: '', suffix: '' })).toBe('12');
  });

  it('shows a dash for a value that is not a number', () => {
    expect(formatValue(Number.NaN)).toBe('—');
    expect(formatValue(Number.POSITIVE_INFINITY, { prefix: '$' })).toBe('—');
  });
});

describe('formatPercent', () => {
  it('rounds to a whole percentage', () => {
    expect(formatPercent(0.42)).toBe('42%');
    expect(formatPercent(0.426)).toBe('43%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(1)).toBe('100%');
  });

  it('rounds the half the reader sees away from zero despite binary floating point', () => {
    expect(formatPercent(0.145)).toBe('15%');
    expect(formatPercent(0.005)).toBe('1%');
    expect(formatPercent(-0.145)).toBe('-15%');
  });

  it('goes past 100% and below 0%, with grouping', () => {
    expect(formatPercent(1.5)).toBe('150%');
    expect(formatPercent(12.5)).toBe('1,250%');
    expect(formatPercent(-0.2)).toBe('-20%');
    expect(formatPercent(-0.004)).toBe('-1%');
  });

  it('shows a dash for a fraction that is not a number', () => {
    expect(formatPercent(Number.NaN)).toBe('—');
  });
});

describe('progressBar', () => {
  it('fills the share of the width', () => {
    expect(progressBar(0)).toBe('░░░░░░░░░░');
    expect(progressBar(0.42)).toBe('▓▓▓▓░░░░░░');
    expect(progressBar(0.5, 4)).toBe('▓▓░░');
    expect(progressBar(1)).toBe('▓▓▓▓▓▓▓▓▓▓');
  });

  it('clamps the bar to 0..1 for values past the target or below the start', () => {
    expect(progressBar(1.5)).toBe('▓▓▓▓▓▓▓▓▓▓');
    expect(progressBar(-0.3)).toBe('░░░░░░░░░░');
    expect(progressBar(Number.NaN)).toBe('░░░░░░░░░░');
  });

  it('is full only when the target is reached', () => {
    expect(progressBar(0.97)).toBe('▓▓▓▓▓▓▓▓▓░');
    expect(progressBar(0.999, 3)).toBe('▓▓░');
  });

  it('always has the width asked for', () => {
    for (const fraction of [0, 0.05, 0.33, 0.66, 0.95, 1, 2]) expect([...progressBar(fraction, 7)]).toHaveLength(7);
  });

  it('refuses a width that is not a positive whole number', () => {
    expect(() => progressBar(0.5, 0)).toThrow(RangeError);
    expect(() => progressBar(0.5, 2.5)).toThrow(RangeError);
  });
});

describe('decimalsFor', () => {
  it('is the format fraction size, or 2 when there is none', () => {
    expect(decimalsFor()).toBe(2);
    expect(decimalsFor({})).toBe(2);
    expect(decimalsFor({ fractionSize: 0 })).toBe(0);
    expect(decimalsFor({ fractionSize: 3 })).toBe(3);
  });

  it('keeps odd fraction sizes within what can be shown', () => {
    expect(decimalsFor({ fractionSize: -1 })).toBe(0);
    expect(decimalsFor({ fractionSize: 1.6 })).toBe(2);
    expect(decimalsFor({ fractionSize: 99 })).toBe(20);
    expect(decimalsFor({ fractionSize: Number.NaN })).toBe(2);
  });
});
