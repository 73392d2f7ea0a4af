import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView, type BlockKitProblem } from '../../../src/emulator/slack/block-kit-validator.js';

const reasons = (problems: BlockKitProblem[]) => problems.map((p) => `${p.pointer} ${p.reason}`);

function bar(categories: string[], series: Array<{ name: string; values: number[] }>, extra: Record<string, unknown> = {}) {
  return {
    type: 'data_visualization',
    title: 'Progress per objective',
    chart: {
      type: 'bar',
      series: series.map((s) => ({ name: s.name, data: categories.map((label, i) => ({ label, value: s.values[i] ?? 0 })) })),
      axis_config: { categories, x_label: 'Objective', y_label: '% of target' },
    },
    ...extra,
  };
}

const cell = (text: string) => ({ type: 'raw_text', text });
const table = (rows: unknown[][], extra: Record<string, unknown> = {}) => ({ type: 'data_table', caption: 'Key results', page_size: 10, rows, ...extra });
const rowsOf = (n: number, width = 3, text = 'x') => Array.from({ length: n }, () => Array.from({ length: width }, () => cell(text)));

describe('data visualization block', () => {
  it('accepts bar, line, area and pie charts within the documented limits', () => {
    const categories = Array.from({ length: 20 }, (_, i) => `Objective ${i + 1}`.padEnd(20, '.'));
    const series = Array.from({ length: 6 }, (_, i) => ({ name: `Series ${i}`, values: categories.map((_, j) => j * i - 10) }));
    expect(validateMessageBlocks([bar(categories, series)])).toEqual([]);
    const line = bar(['Mon', 'Tue'], [{ name: 'A', values: [1, 2] }]);
    expect(validateMessageBlocks([{ ...line, chart: { ...line.chart, type: 'line' } }, { ...line, chart: { ...line.chart, type: 'area' } }])).toEqual([]);
    const pie = { type: 'data_visualization', title: 'Status', chart: { type: 'pie', segments: Array.from({ length: 6 }, (_, i) => ({ label: `S${i}`, value: i + 1 })) } };
    expect(validateMessageBlocks([pie])).toEqual([]);
  });

  it('limits the title to 50 characters, series to 6, points to 20 and labels to 20 characters', () => {
    const ok = bar(['a'], [{ name: 'A', values: [1] }]);
    expect(reasons(validateMessageBlocks([{ ...ok, title: 'x'.repeat(51) }]))).toEqual(['/blocks/0/title must be less than 51 characters']);
    expect(reasons(validateMessageBlocks([{ ...ok, title: undefined }]))).toEqual(['/blocks/0 missing required field: title']);
    const seven = Array.from({ length: 7 }, (_, i) => ({ name: `S${i}`, values: [1] }));
    expect(reasons(validateMessageBlocks([bar(['a'], seven)]))).toEqual(['/blocks/0/chart/series no more than 6 items allowed']);
    const many = Array.from({ length: 21 }, (_, i) => `c${i}`);
    expect(reasons(validateMessageBlocks([bar(many, [{ name: 'A', values: [] }])]))).toEqual([
      '/blocks/0/chart/axis_config/categories no more than 20 items allowed',
      '/blocks/0/chart/series/0/data no more than 20 items allowed',
    ]);
    expect(reasons(validateMessageBlocks([bar(['x'.repeat(21)], [{ name: 'y'.repeat(21), values: [1] }])]))).toEqual([
      '/blocks/0/chart/axis_config/categories/0 must be less than 21 characters',
      '/blocks/0/chart/series/0/name must be less than 21 characters',
      '/blocks/0/chart/series/0/data/0/label must be less than 21 characters',
    ]);
    const axis = bar(['a'], [{ name: 'A', values: [1] }]);
    axis.chart.axis_config.y_label = 'z'.repeat(51);
    expect(reasons(validateMessageBlocks([axis]))).toEqual(['/blocks/0/chart/axis_config/y_label must be less than 51 characters']);
  });

  it('needs one point per category in every series, labels among the categories, unique series names and numbers', () => {
    const chart = bar(['a', 'b'], [{ name: 'A', values: [1, 2] }, { name: 'A', values: [3, 4] }]);
    chart.chart.series[0]!.data = [{ label: 'a', value: 1 }, { label: 'c', value: Number.NaN }];
    expect(reasons(validateMessageBlocks([chart]))).toEqual([
      '/blocks/0/chart/series/0/data/1/value must be a number',
      '/blocks/0/chart/series/0/data/1/label label `c` is not one of axis_config.categories',
      '/blocks/0/chart/series/0/data must have one data point for every category (missing: b)',
      '/blocks/0/chart/series/1/name series name `A` is not unique in this chart',
    ]);
  });

  it('rejects an unknown chart type, a pie segment that is not positive, and a missing axis_config', () => {
    const base = { type: 'data_visualization', title: 'T' };
    expect(reasons(validateMessageBlocks([{ ...base, chart: { type: 'scatter' } }]))).toEqual(['/blocks/0/chart/type must be one of: pie, bar, area, line']);
    expect(reasons(validateMessageBlocks([{ ...base, chart: { type: 'pie', segments: [{ label: 'a', value: 0 }] } }]))).toEqual([
      '/blocks/0/chart/segments/0/value must be greater than 0',
    ]);
    expect(reasons(validateMessageBlocks([{ ...base, chart: { type: 'line', series: [{ name: 'A', data: [{ label: 'a', value: 1 }] }] } }]))).toEqual([
      '/blocks/0/chart missing required field: axis_config',
      '/blocks/0/chart/series/0/data/0/label label `a` is not one of axis_config.categories',
    ]);
  });

  it('allows two charts per message and only in messages', () => {
    const chart = bar(['a'], [{ name: 'A', values: [1] }]);
    expect(validateMessageBlocks([chart, chart])).toEqual([]);
    expect(reasons(validateMessageBlocks([chart, chart, chart]))).toEqual(['/blocks/2 no more than 2 data_visualization blocks allowed per message']);
    expect(reasons(validateView({ type: 'home', blocks: [chart] }))).toEqual(['/view/blocks/0/type block type `data_visualization` is not allowed in a home view']);
  });
});

describe('data table block', () => {
  it('accepts a header and 100 rows of text, number and rich text cells, in messages and Home tabs', () => {
    const rows = [[cell('Name'), cell('Progress'), cell('Link')], ...rowsOf(100).map((r) => [r[0], { type: 'raw_number', value: 42, text: '42%' }, { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'link', url: 'https://x.example', text: 'x' }] }] }])];
    expect(validateMessageBlocks([table(rows)])).toEqual([]);
    expect(validateView({ type: 'home', blocks: [table(rows)] })).toEqual([]);
  });

  it('limits rows to a header and 100, needs a caption, equal rows, 1–20 columns and a page size of 1–100', () => {
    expect(reasons(validateMessageBlocks([table(rowsOf(102))]))).toEqual(['/blocks/0/rows no more than 101 items allowed']);
    expect(reasons(validateMessageBlocks([table(rowsOf(1))]))).toEqual(['/blocks/0/rows must provide at least 2 items']);
    expect(reasons(validateMessageBlocks([table(rowsOf(2), { caption: undefined })]))).toEqual(['/blocks/0 missing required field: caption']);
    expect(reasons(validateMessageBlocks([table([...rowsOf(2, 3), ...rowsOf(1, 2)])]))).toEqual(['/blocks/0/rows/2 every row must have the same number of cells (3)']);
    expect(reasons(validateMessageBlocks([table(rowsOf(2, 21))]))).toEqual(['/blocks/0/rows/0 no more than 20 items allowed', '/blocks/0/rows/1 no more than 20 items allowed']);
    expect(reasons(validateMessageBlocks([table(rowsOf(2), { page_size: 101 })]))).toEqual(['/blocks/0/page_size must be a whole number from 1 to 100']);
    expect(reasons(validateMessageBlocks([table(rowsOf(2), { row_header_column_index: 3 })]))).toEqual(['/blocks/0/row_header_column_index must be a column index from 0 to 2']);
  });

  it('refuses rich text in the header, empty text cells and unknown cell types', () => {
    const rich = { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'H' }] }] };
    expect(reasons(validateMessageBlocks([table([[rich], [cell('')], [{ type: 'image' }]])]))).toEqual([
      '/blocks/0/rows/0/0/type rich_text cannot be used for header cells',
      '/blocks/0/rows/1/0/text must be more than 0 characters',
      '/blocks/0/rows/2/0/type must be one of: raw_text, raw_number, rich_text',
    ]);
  });

  it('limits one table, and all the tables of a message, to 20,000 characters of cells', () => {
    // A header of two 1-character cells, 99 rows of 2 × 100 characters and one of 2 × 99: exactly 20,000.
    const exactly = (header: string) => table([[cell(header), cell('b')], ...rowsOf(99, 2, 'x'.repeat(100)), ...rowsOf(1, 2, 'x'.repeat(99))]);
    expect(validateMessageBlocks([exactly('a')])).toEqual([]);
    expect(reasons(validateMessageBlocks([exactly('ab')]))).toEqual([
      "/blocks/0/rows the table's cells must not exceed 20000 characters (found 20001)",
      '/blocks/0 the table cells of one message must not exceed 20000 characters in all',
    ]);
    const half = table(rowsOf(51, 2, 'x'.repeat(100)));
    expect(validateMessageBlocks([half])).toEqual([]);
    expect(reasons(validateMessageBlocks([half, half]))).toEqual(['/blocks/1 the table cells of one message must not exceed 20000 characters in all']);
  });

  it('is not allowed in modals', () => {
    expect(reasons(validateView({ type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [table(rowsOf(2))] }))).toEqual([
      '/view/blocks/0/type block type `data_table` is not allowed in a modal view',
    ]);
  });
});
