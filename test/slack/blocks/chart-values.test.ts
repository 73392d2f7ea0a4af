import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../../src/emulator/slack/block-kit-validator.js';
import type { SeriesChart } from '../../../src/slack/blocks/chart-types.js';
import { percentValue, seriesChart } from '../../../src/slack/blocks/charts.js';
import { keyResultChart } from '../../../src/slack/blocks/key-result-chart.js';

const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n));

describe('chart values keep what Gtmhub holds', () => {
  it('plots check-ins of 0.03, 0.04 and 0.06 below a target of 0.08 as they are', () => {
    const described = keyResultChart({
      name: 'Lower churn',
      format: { prefix: '', suffix: '', fractionSize: 2 },
      initialValue: 0,
      target: 0.08,
      checkIns: [{ at: day(0), value: 0.03 }, { at: day(10), value: 0.04 }, { at: day(20), value: 0.06 }],
      pace: { start: day(0), end: day(40) },
    })!;
    const series = (described.chart.chart as SeriesChart).series;
    expect(series.map((s) => [s.name, s.data.map((p) => p.value)])).toEqual([
      ['Value', [0.03, 0.04, 0.06]],
      ['Target', [0.08, 0.08, 0.08]],
      ['Expected pace', [0, 0.02, 0.04]],
    ]);
    const target = series[1]!.data[0]!.value;
    for (const point of series[0]!.data) expect(point.value).toBeLessThan(target);
    expect(validateMessageBlocks([described.chart])).toEqual([]);
  });

  it('keeps every decimal a value has, without floating point noise, and never NaN', () => {
    const chart = seriesChart('line', 'T', ['a', 'b', 'c', 'd'], [{ name: 'V', values: [11.25, 0.1 + 0.2, 1234567.891, Number.NaN] }]);
    expect((chart.chart as SeriesChart).series[0]!.data.map((p) => p.value)).toEqual([11.25, 0.3, 1234567.891, 0]);
  });

  it('shows percentages to a tenth, but never at 100 below the target or at 0 with progress', () => {
    expect(percentValue(0.105)).toBe(10.5);
    expect(percentValue(0.42857)).toBe(42.9);
    expect(percentValue(1)).toBe(100);
    expect(percentValue(0.9996)).toBeLessThan(100);
    expect(percentValue(0.9996)).toBeCloseTo(99.96, 10);
    expect(percentValue(0.0004)).toBeGreaterThan(0);
    expect(percentValue(-0.0004)).toBeLessThan(0);
    expect(percentValue(0)).toBe(0);
    expect(percentValue(Number.NaN)).toBe(0);
  });
});
