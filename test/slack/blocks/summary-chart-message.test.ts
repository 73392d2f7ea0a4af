import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../../src/emulator/slack/block-kit-validator.js';
import { tableChars, type DataTableBlock, type DataVisualizationBlock, type MessageBlock, type SeriesChart } from '../../../src/slack/blocks/chart-types.js';
import { summaryChartMessages } from '../../../src/slack/blocks/summary-chart-message.js';
import { attainmentChart, progressChart } from '../../../src/slack/blocks/summary-charts.js';
import { summaryPreview } from '../../../src/slack/blocks/summary-message.js';
import { valueToTarget } from '../../../src/slack/blocks/summary-table.js';
import { generatedItem, generatedSummary } from './summary-fixture.js';

const tablesOf = (blocks: MessageBlock[]) => blocks.filter((b): b is DataTableBlock => b.type === 'data_table');
const chartsOf = (blocks: MessageBlock[]) => blocks.filter((b): b is DataVisualizationBlock => b.type === 'data_visualization');
const linkedIds = (blocks: MessageBlock[]) => [...JSON.stringify(blocks).matchAll(/\/metric\/([0-9a-f]{24})\/"/g)].map((m) => m[1]!);
const seriesOf = (chart: DataVisualizationBlock) => (chart.chart as SeriesChart).series;

describe('summary with charts and data tables', () => {
  it.each([1, 150, 1000, 10_000])('%i key results: every message passes the Slack emulator and shows each key result exactly once', (count) => {
    const summary = generatedSummary(count);
    const messages = summaryChartMessages(summary);
    for (const [index, message] of messages.entries()) {
      expect(validateMessageBlocks(message.blocks), `message ${index + 1}`).toEqual([]);
      expect(message.text.length).toBeGreaterThan(0);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(chartsOf(message.blocks).length).toBe(index === 0 ? 2 : 0);
      expect(tablesOf(message.blocks).reduce((n, t) => n + tableChars(t), 0)).toBeLessThanOrEqual(20_000);
      for (const table of tablesOf(message.blocks)) expect(table.rows.length).toBeLessThanOrEqual(101);
    }
    const ids = messages.flatMap((m) => linkedIds(m.blocks));
    expect(ids).toHaveLength(count);
    expect(new Set(ids)).toEqual(new Set(summary.objectives.flatMap((o) => o.items.map((i) => i.metricId))));
    if (messages.length > 1) {
      expect(messages[0]!.blocks.at(-1)).toMatchObject({ type: 'context' });
      expect(JSON.stringify(messages[0]!.blocks.at(-1))).toContain(`${messages.length - 1} more message`);
      expect(messages[1]!.text).toMatch(/continued \(2\/\d+\) — key results [\d,]+–[\d,]+ of [\d,]+/);
    }
  });

  it('fits 1,000 key results in 5 messages and 10,000 in 60', () => {
    expect(summaryChartMessages(generatedSummary(1000)).length).toBeLessThanOrEqual(5);
    expect(summaryChartMessages(generatedSummary(10_000)).length).toBeLessThanOrEqual(60);
  });

  it('puts the charts, each followed by its words, above the lists', () => {
    const [first] = summaryChartMessages(generatedSummary(40));
    const types = first!.blocks.map((b) => b.type);
    expect(types.slice(0, 6)).toEqual(['header', 'section', 'data_visualization', 'context', 'data_visualization', 'context']);
    expect(types.indexOf('data_table')).toBeGreaterThan(types.lastIndexOf('data_visualization'));
    expect(JSON.stringify(first!.blocks[3])).toContain('Progress per objective: Objective of person 1 ');
  });

  it('orders table rows by objective with progress, value → target with direction, confidence, owner and last check-in', () => {
    const [first] = summaryChartMessages(generatedSummary(3));
    const [table] = tablesOf(first!.blocks);
    expect(table!.rows[0]).toEqual(['Objective', 'Key result', 'Progress', 'Value → target', 'Confidence', 'Owner', 'Last check-in'].map((text) => ({ type: 'raw_text', text })));
    expect(table!.rows[1]).toEqual([
      { type: 'raw_text', text: 'Objective of person 1' },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'link', url: generatedItem(1).url, text: 'Key result 1 of person 1' }] }] },
      { type: 'raw_number', value: 1, text: '1%' },
      { type: 'raw_text', text: '$1.00 → $100.00 ↓' },
      { type: 'raw_number', value: 0.1, text: '0.1' },
      { type: 'raw_text', text: 'Person number 1' },
      { type: 'raw_text', text: '2026-11-20' },
    ]);
    expect(table!.rows[3]![4]).toEqual({ type: 'raw_number', value: -1, text: '—' });
  });

  it('says which way a value has to go to meet its target', () => {
    const base = { actual: 12, target: 10, format: undefined };
    expect(valueToTarget({ ...base, direction: 'increase' })).toBe('12 → 10 ↑');
    expect(valueToTarget({ ...base, direction: 'decrease' })).toBe('12 → 10 ↓');
    expect(valueToTarget({ ...base, direction: 'stay_above' })).toBe('12 (stay ≥ 10)');
    expect(valueToTarget({ ...base, direction: 'stay_below' })).toBe('12 (stay ≤ 10)');
    expect(valueToTarget({ ...base, actual: null, target: null, direction: 'increase' })).toBe('—');
  });

  it('previews the first chart message with the buttons', () => {
    const summary = generatedSummary(10);
    const messages = summaryChartMessages(summary);
    const preview = summaryPreview(summary, 'req-1', 'team', messages.length - 1, messages[0]);
    expect(chartsOf(preview.blocks)).toHaveLength(2);
    expect(validateMessageBlocks(preview.blocks)).toEqual([]);
    expect(preview.blocks.at(-1)).toMatchObject({ type: 'actions' });
  });
});

describe('summary charts', () => {
  it('draws 20 bars at most: the 19 largest objectives and one for the rest, every label within 20 characters and unique', () => {
    const summary = generatedSummary(30 * 5, {}, 5);
    summary.objectives[0]!.items.push(...Array.from({ length: 3 }, (_, i) => generatedItem(1000 + i)));
    const { chart, description } = attainmentChart(summary);
    const categories = (chart.chart as SeriesChart).axis_config.categories;
    expect(categories).toHaveLength(20);
    expect(categories.at(-1)).toBe('11 others');
    expect(categories.slice(0, 3)).toEqual(['Objective of person…', 'Objective…person 2', 'Objective…person 3']);
    expect(new Set(categories).size).toBe(20);
    for (const label of categories) expect(label.length).toBeLessThanOrEqual(20);
    expect(seriesOf(chart).map((s) => s.name)).toEqual(['Progress', 'Expected by now']);
    expect(description).toMatch(/^Progress per objective: Objective of person 1 \d+% \(expected \d+%\), /);
  });

  it('compares owners when the scope is the people of a channel', () => {
    const { chart, description } = attainmentChart(generatedSummary(60, { scope: { kind: 'channel' } }));
    expect(chart.title).toBe('Progress per owner');
    expect((chart.chart as SeriesChart).axis_config.categories).toEqual(['Person number 1', 'Person number 2', 'Person number 3']);
    // Person 1 owns key results 1–20: attainment (n % 120) / 100, so a mean of 10.5 %.
    expect(seriesOf(chart)[0]!.data[0]).toEqual({ label: 'Person number 1', value: 10.5 });
    expect(description).toContain('Person number 1 11%');
  });

  it('keeps two owners who share a name as two bars (owners are told apart by their Gtmhub id)', () => {
    const summary = generatedSummary(40, { scope: { kind: 'channel' } });
    const items = summary.objectives.flatMap((o) => o.items);
    items.forEach((item, i) => {
      item.owner = { kind: 'gtmhub', name: 'Sam Lee', team: false, id: i % 2 === 0 ? 'a'.repeat(24) : 'b'.repeat(24) };
    });
    const { chart } = attainmentChart(summary);
    expect(chart.title).toBe('Progress per owner');
    const categories = (chart.chart as SeriesChart).axis_config.categories;
    expect(categories).toHaveLength(2);
    expect(new Set(categories).size).toBe(2);
    expect(categories.every((label) => label.startsWith('Sam Lee'))).toBe(true);
  });

  it('draws overall progress at the recorded summaries and now, against the pace, at most 20 points', () => {
    const history = Array.from({ length: 25 }, (_, i) => ({ takenAt: new Date(Date.UTC(2026, 5, 1 + i * 7)), overall: i / 100, expected: i / 50, keyResults: 10 }));
    const { chart, description } = progressChart(generatedSummary(10, { progressHistory: history }));
    const { categories } = (chart.chart as SeriesChart).axis_config;
    expect(categories).toHaveLength(20);
    expect(categories.at(-1)).toBe('Now (30 Nov)');
    expect(seriesOf(chart).map((s) => s.name)).toEqual(['Overall progress', 'Expected pace']);
    expect(seriesOf(chart)[0]!.data.at(-1)).toEqual({ label: 'Now (30 Nov)', value: 50 });
    expect(seriesOf(chart)[1]!.data.at(-1)).toEqual({ label: 'Now (30 Nov)', value: 60 });
    expect(description).toContain('Now (30 Nov) 50% (expected 60%)');
  });

  it('leaves the pace line out when a point has no known pace, and says so; a first summary says the line grows', () => {
    const history = [{ takenAt: new Date('2026-11-23T08:00:00Z'), overall: 0.4, expected: null, keyResults: 10 }];
    const withGap = progressChart(generatedSummary(10, { progressHistory: history }));
    expect(seriesOf(withGap.chart).map((s) => s.name)).toEqual(['Overall progress']);
    expect(withGap.description).toContain('The expected pace is unknown for some summaries.');
    expect(progressChart(generatedSummary(10)).description).toContain('first summary recorded');
  });
});
