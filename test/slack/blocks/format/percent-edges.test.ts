import { describe, expect, it } from 'vitest';
import { formatPercent, progressBar } from '../../../../src/slack/blocks/format/progress.js';
import { progressWords } from '../../../../src/slack/blocks/format/goal.js';

describe('formatPercent never rounds onto 0% or 100% from the wrong side', () => {
  it('shows 99% for a fraction just below the target, and 100% or more only when it is reached', () => {
    expect(formatPercent(0.995)).toBe('99%');
    expect(formatPercent(0.9951)).toBe('99%');
    expect(formatPercent(0.999)).toBe('99%');
    // $996 of a $1,000 target
    expect(formatPercent(996 / 1000)).toBe('99%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(1.004)).toBe('100%');
    expect(formatPercent(1.005)).toBe('101%');
    // Floating point noise is taken for the number it stands for.
    expect(formatPercent((0.3 - 0.1) / 0.2)).toBe('100%');
  });

  it('shows 1% for any progress above 0, and -1% for any fraction below 0', () => {
    expect(formatPercent(0.004)).toBe('1%');
    expect(formatPercent(0.0001)).toBe('1%');
    expect(formatPercent(-0.004)).toBe('-1%');
    expect(formatPercent(-0.0001)).toBe('-1%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(-0)).toBe('0%');
    expect(formatPercent(0.1 + 0.2 - 0.3)).toBe('0%');
    expect(formatPercent(-(0.1 + 0.2 - 0.3))).toBe('0%');
  });

  it('reads the same through progressWords', () => {
    expect(progressWords(0.995, 'should_increase')).toBe('99%');
    expect(progressWords(0.004, null)).toBe('1%');
  });
});

describe('progressBar agrees with formatPercent', () => {
  it('is not full below the target and full at it, also after floating point noise', () => {
    expect(progressBar(0.995)).toBe('▓▓▓▓▓▓▓▓▓░');
    expect(progressBar(0.9999)).toBe('▓▓▓▓▓▓▓▓▓░');
    expect(progressBar(1)).toBe('▓▓▓▓▓▓▓▓▓▓');
    expect(progressBar((0.3 - 0.1) / 0.2)).toBe('▓▓▓▓▓▓▓▓▓▓');
  });

  it('is empty only when there is no progress', () => {
    expect(progressBar(0.004)).toBe('▓░░░░░░░░░');
    expect(progressBar(0.04)).toBe('▓░░░░░░░░░');
    expect(progressBar(0)).toBe('░░░░░░░░░░');
    expect(progressBar(-0.004)).toBe('░░░░░░░░░░');
    expect(progressBar(0.1 + 0.2 - 0.3)).toBe('░░░░░░░░░░');
    // One cell cannot be both not empty and not full: not full wins.
    expect(progressBar(0.5, 1)).toBe('░');
  });
});
