/**
 * The data visualization (chart) and data table blocks, checked by their documented rules. Problems
 * are reported like every other Block Kit problem, so Slack's `invalid_blocks` answer carries them.
 * The emulator keeps its own copy of the figures (it must not agree with the app by construction).
 *
 * docs.slack.dev/reference/block-kit/blocks/data-visualization-block: title ≤ 50; pie segments 1–6;
 * series 1–6. …/data-table-block: page_size 1–100; caption required; 2–101 rows (header + 100);
 * rows of equal length; raw_text / raw_number / rich_text cells, no rich_text in the header.
 * From a capture of the same pages (the stored excerpt stops early): 2 charts per message, messages
 * only (tables: messages and Home tabs); labels, names and categories ≤ 20; 1–20 points, one per
 * category; unique series names; axis titles ≤ 50; 1–20 columns; ≤ 20,000 characters across a
 * table's cells and across one message's table cells.
 */
import type { BlockKitProblem } from './block-kit-validator.js';

const CHART_LIMITS = { title: 50, chartsPerMessage: 2, segments: 6, series: 6, label: 20, points: 20, axisTitle: 50 } as const;
const DATA_TABLE_LIMITS = { rows: 100, pageSize: 100, columns: 20, chars: 20_000 } as const;

type Json = Record<string, unknown>;
type Add = (pointer: string, reason: string) => void;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function string(add: Add, value: unknown, pointer: string, name: string, max: number, required = true): value is string {
  if (value === undefined || value === null) {
    if (required) add(pointer.replace(/\/[^/]*$/, ''), `missing required field: ${name}`);
    return false;
  }
  if (typeof value !== 'string') {
    add(pointer, 'must be a string');
    return false;
  }
  if (value.length < 1) add(pointer, 'must be more than 0 characters');
  if (value.length > max) add(pointer, `must be less than ${max + 1} characters`);
  return true;
}

function array(add: Add, value: unknown, pointer: string, name: string, min: number, max: number): value is unknown[] {
  if (value === undefined || value === null) {
    add(pointer.replace(/\/[^/]*$/, ''), `missing required field: ${name}`);
    return false;
  }
  if (!Array.isArray(value)) {
    add(pointer, 'must be an array');
    return false;
  }
  if (value.length < min) add(pointer, `must provide at least ${min} items`);
  if (value.length > max) add(pointer, `no more than ${max} items allowed`);
  return true;
}

function finiteNumber(add: Add, value: unknown, pointer: string): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    add(pointer, 'must be a number');
    return false;
  }
  return true;
}

/** A `data_visualization` block: title, and a pie, bar, area or line chart within Slack's counts. */
export function validateDataVisualization(block: Json, pointer: string, add: Add): void {
  string(add, block.title, `${pointer}/title`, 'title', CHART_LIMITS.title);
  const chart = block.chart;
  if (!isObject(chart)) {
    add(chart === undefined ? pointer : `${pointer}/chart`, chart === undefined ? 'missing required field: chart' : 'must be an object');
    return;
  }
  const at = `${pointer}/chart`;
  if (chart.type === 'pie') {
    if (!array(add, chart.segments, `${at}/segments`, 'segments', 1, CHART_LIMITS.segments)) return;
    chart.segments.forEach((segment, i) => {
      const p = `${at}/segments/${i}`;
      if (!isObject(segment)) return add(p, 'must be an object');
      string(add, segment.label, `${p}/label`, 'label', CHART_LIMITS.label);
      if (finiteNumber(add, segment.value, `${p}/value`) && segment.value <= 0) add(`${p}/value`, 'must be greater than 0');
    });
    return;
  }
  if (chart.type !== 'bar' && chart.type !== 'area' && chart.type !== 'line') {
    add(`${at}/type`, 'must be one of: pie, bar, area, line');
    return;
  }
  const axis = chart.axis_config;
  let categories: string[] = [];
  if (!isObject(axis)) {
    add(axis === undefined ? at : `${at}/axis_config`, axis === undefined ? 'missing required field: axis_config' : 'must be an object');
  } else {
    if (array(add, axis.categories, `${at}/axis_config/categories`, 'categories', 1, CHART_LIMITS.points)) {
      axis.categories.forEach((c, i) => string(add, c, `${at}/axis_config/categories/${i}`, 'category', CHART_LIMITS.label));
      categories = axis.categories.filter((c): c is string => typeof c === 'string');
      if (new Set(categories).size !== categories.length) add(`${at}/axis_config/categories`, 'categories must be unique');
    }
    string(add, axis.x_label, `${at}/axis_config/x_label`, 'x_label', CHART_LIMITS.axisTitle, false);
    string(add, axis.y_label, `${at}/axis_config/y_label`, 'y_label', CHART_LIMITS.axisTitle, false);
  }
  if (!array(add, chart.series, `${at}/series`, 'series', 1, CHART_LIMITS.series)) return;
  const names = new Set<string>();
  chart.series.forEach((series, s) => {
    const p = `${at}/series/${s}`;
    if (!isObject(series)) return add(p, 'must be an object');
    if (string(add, series.name, `${p}/name`, 'name', CHART_LIMITS.label)) {
      if (names.has(series.name)) add(`${p}/name`, `series name \`${series.name}\` is not unique in this chart`);
      names.add(series.name);
    }
    if (!array(add, series.data, `${p}/data`, 'data', 1, CHART_LIMITS.points)) return;
    const labels = new Set<string>();
    series.data.forEach((point, i) => {
      const q = `${p}/data/${i}`;
      if (!isObject(point)) return add(q, 'must be an object');
      finiteNumber(add, point.value, `${q}/value`);
      if (!string(add, point.label, `${q}/label`, 'label', CHART_LIMITS.label)) return;
      if (!categories.includes(point.label)) add(`${q}/label`, `label \`${point.label}\` is not one of axis_config.categories`);
      if (labels.has(point.label)) add(`${q}/label`, `label \`${point.label}\` appears twice in this series`);
      labels.add(point.label);
    });
    const missing = categories.filter((c) => !labels.has(c));
    if (missing.length > 0) add(`${p}/data`, `must have one data point for every category (missing: ${missing.join(', ')})`);
  });
}

function cellChars(cell: unknown): number {
  if (Array.isArray(cell)) return cell.reduce((n: number, c) => n + cellChars(c), 0);
  if (!isObject(cell)) return 0;
  return (typeof cell.text === 'string' ? cell.text.length : 0) + cellChars(cell.elements);
}

/** A `data_table` block; returns the characters of its cells (for the per-message total). */
export function validateDataTable(block: Json, pointer: string, add: Add): number {
  string(add, block.caption, `${pointer}/caption`, 'caption', Number.MAX_SAFE_INTEGER);
  if (block.page_size !== undefined) {
    const size = block.page_size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > DATA_TABLE_LIMITS.pageSize) {
      add(`${pointer}/page_size`, `must be a whole number from 1 to ${DATA_TABLE_LIMITS.pageSize}`);
    }
  }
  if (!array(add, block.rows, `${pointer}/rows`, 'rows', 2, DATA_TABLE_LIMITS.rows + 1)) return 0;
  const rows = block.rows;
  const width = Array.isArray(rows[0]) ? rows[0].length : 0;
  rows.forEach((row, r) => {
    const p = `${pointer}/rows/${r}`;
    if (!array(add, row, p, 'row', 1, DATA_TABLE_LIMITS.columns)) return;
    if (row.length !== width) add(p, `every row must have the same number of cells (${width})`);
    row.forEach((cell, c) => {
      const q = `${p}/${c}`;
      if (!isObject(cell)) return add(q, 'must be an object');
      switch (cell.type) {
        case 'raw_text':
          string(add, cell.text, `${q}/text`, 'text', Number.MAX_SAFE_INTEGER);
          return;
        case 'raw_number':
          finiteNumber(add, cell.value, `${q}/value`);
          string(add, cell.text, `${q}/text`, 'text', Number.MAX_SAFE_INTEGER);
          return;
        case 'rich_text':
          if (r === 0) add(`${q}/type`, 'rich_text cannot be used for header cells');
          array(add, cell.elements, `${q}/elements`, 'elements', 1, Number.MAX_SAFE_INTEGER);
          return;
        default:
          add(`${q}/type`, 'must be one of: raw_text, raw_number, rich_text');
      }
    });
  });
  if (block.row_header_column_index !== undefined) {
    const index = block.row_header_column_index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= width) {
      add(`${pointer}/row_header_column_index`, `must be a column index from 0 to ${Math.max(0, width - 1)}`);
    }
  }
  const chars = cellChars(rows);
  if (chars > DATA_TABLE_LIMITS.chars) add(`${pointer}/rows`, `the table's cells must not exceed ${DATA_TABLE_LIMITS.chars} characters (found ${chars})`);
  return chars;
}

/** Rules across one message's blocks: two charts at most, and 20,000 table characters in all. */
export function validateMessageDataBlocks(blocks: unknown[], pointer: string): BlockKitProblem[] {
  const problems: BlockKitProblem[] = [];
  let charts = 0;
  let tableChars = 0;
  blocks.forEach((block, index) => {
    if (!isObject(block)) return;
    if (block.type === 'data_visualization' && ++charts === CHART_LIMITS.chartsPerMessage + 1) {
      problems.push({ pointer: `${pointer}/${index}`, reason: `no more than ${CHART_LIMITS.chartsPerMessage} data_visualization blocks allowed per message` });
    }
    if (block.type === 'data_table') {
      tableChars += cellChars(block.rows);
      if (tableChars > DATA_TABLE_LIMITS.chars && tableChars - cellChars(block.rows) <= DATA_TABLE_LIMITS.chars) {
        problems.push({ pointer: `${pointer}/${index}`, reason: `the table cells of one message must not exceed ${DATA_TABLE_LIMITS.chars} characters in all` });
      }
    }
  });
  return problems;
}
