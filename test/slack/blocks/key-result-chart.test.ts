import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../../src/emulator/slack/block-kit-validator.js';
import type { SeriesChart } from '../../../src/slack/blocks/chart-types.js';
import { checkInConfirmation } from '../../../src/slack/blocks/checkin-confirmation.js';
import type { OutboxEntry } from '../../../src/store/store.js';
import type { CheckInChange } from '../../../src/services/checkin-types.js';
import { checkInsOf, keyResultChart, keyResultChartDescription } from '../../../src/slack/blocks/key-result-chart.js';

const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n));

describe("a key result's own chart", () => {
  it('draws the check-ins against the target and the expected pace, with its words', () => {
    const described = keyResultChart({
      name: 'Reach 1,000 paying customers this quarter',
      format: { prefix: '', suffix: ' customers', fractionSize: 0 },
      initialValue: 0,
      target: 1000,
      checkIns: [{ at: day(10), value: 200 }, { at: day(0), value: 50 }, { at: day(20), value: 260 }],
      pace: { start: day(0), end: day(40) },
    })!;
    expect(described.chart.title).toBe('Check-ins: Reach 1,000 paying customers this quar…');
    const chart = described.chart.chart as SeriesChart;
    expect(chart.type).toBe('line');
    expect(chart.axis_config.categories).toEqual(['1 Oct', '11 Oct', '21 Oct']);
    expect(chart.series).toEqual([
      { name: 'Value', data: [{ label: '1 Oct', value: 50 }, { label: '11 Oct', value: 200 }, { label: '21 Oct', value: 260 }] },
      { name: 'Target', data: ['1 Oct', '11 Oct', '21 Oct'].map((label) => ({ label, value: 1000 })) },
      { name: 'Expected pace', data: [{ label: '1 Oct', value: 0 }, { label: '11 Oct', value: 250 }, { label: '21 Oct', value: 500 }] },
    ]);
    expect(described.description).toBe(
      '3 check-ins of Reach 1,000 paying customers this quarter, from 50 customers on 1 Oct to 260 customers on 21 Oct; target 1,000 customers; expected by the last check-in 500 customers.',
    );
    expect(validateMessageBlocks([described.chart, keyResultChartDescription(described)])).toEqual([]);
  });

  it('keeps the latest 20 check-ins, labels unique, and no pace line without a period', () => {
    const checkIns = Array.from({ length: 30 }, (_, i) => ({ at: new Date(day(0).getTime() + i * 3600_000), value: i }));
    const described = keyResultChart({ name: 'KR', initialValue: 0, target: 40, checkIns, pace: null })!;
    const chart = described.chart.chart as SeriesChart;
    expect(chart.series.map((s) => s.name)).toEqual(['Value', 'Target']);
    expect(chart.series[0]!.data.map((p) => p.value)).toEqual(Array.from({ length: 20 }, (_, i) => i + 10));
    expect(new Set(chart.axis_config.categories).size).toBe(20);
    expect(validateMessageBlocks([described.chart])).toEqual([]);
  });

  it('needs two check-ins, and reads values only where Gtmhub history carries them', () => {
    expect(keyResultChart({ name: 'KR', initialValue: 0, target: 1, checkIns: [{ at: day(0), value: 1 }], pace: null })).toBeNull();
    const history = [
      { createdAt: day(1).toISOString(), value: 3 },
      { createdAt: day(2).toISOString(), comment: 'no value' },
      { createdAt: 'not a date', value: 4 },
    ];
    expect(checkInsOf({ metricHistory: history }, [{ at: day(3), value: 5 }])).toEqual([
      { at: day(1), value: 3 },
      { at: day(3), value: 5 },
    ]);
  });

  it('is in the check-in confirmation with the check-in just made, once there are two to draw', () => {
    const metric = {
      id: 'm1', name: 'Hire engineers', goalId: 'g1', initialValue: 0, target: 10, actual: 4,
      format: { prefix: '', suffix: ' hires', fractionSize: 0 },
      dateCreated: day(0).toISOString(), dueDate: day(50).toISOString(),
      metricHistory: [{ createdAt: day(10).toISOString(), comment: '', value: 4 }],
    };
    const change = { metric, goalName: 'Hiring', previousActual: 4, previousAttainment: 0.4, newActual: 6, newAttainment: 0.6, snapshotId: 's1' } as CheckInChange;
    const entry = { id: 1, actual: 6, submittedAt: day(25), snapshotId: 's1' } as OutboxEntry;
    const { blocks, text } = checkInConfirmation(entry, change, false);
    expect(text).toContain('Hire engineers');
    const chart = blocks.find((b) => b.type === 'data_visualization');
    expect((chart as { chart: SeriesChart }).chart.series.map((s) => [s.name, s.data.map((p) => p.value)])).toEqual([
      ['Value', [4, 6]],
      ['Target', [10, 10]],
      ['Expected pace', [2, 5]],
    ]);
    expect(validateMessageBlocks(blocks)).toEqual([]);
    const first = checkInConfirmation(entry, { ...change, metric: { ...metric, metricHistory: [] } }, false);
    expect(first.blocks.some((b) => b.type === 'data_visualization')).toBe(false);
  });
});
