/**
 * Slack's data visualization block (charts; not in @slack/types 3.2) typed locally, and the one place
 * where the documented limits of it and of the data table block (`DataTableBlock`, in @slack/types)
 * are written down. The builders and the Slack emulator both read them from here.
 *
 * Sources, looked up with the search tool:
 * - docs.slack.dev/reference/block-kit/blocks/data-visualization-block — title ≤ 50 characters;
 *   chart is pie | bar | area | line; pie segments 1–6; bar/area/line series 1–6.
 * - docs.slack.dev/reference/block-kit/blocks/data-table-block — page_size 1–100 (default 5);
 *   caption required; 2–101 rows (a header row + up to 100); every row the same number of cells;
 *   raw_text, raw_number or rich_text cells (no rich_text in the header).
 * - The stored excerpt of those pages stops before the rest. The figures marked FROM-CAPTURE come
 *   from a repository capture of the same reference pages (another revision of them: it allows 12
 *   series and 200 rows where the live page says 6 and 100 — we keep the live page's stricter
 *   figures): at most 2 data visualization blocks per message, which are for messages only (data
 *   tables: messages and Home tabs); a series name, data point label, segment label and category
 *   ≤ 20 characters; 1–20 data points per series, exactly one per category; series names unique;
 *   axis titles ≤ 50; 1–20 columns; ≤ 20,000 characters across a table's cells and across all table
 *   cells of one message.
 */
import type { Block, DataTableBlock, KnownBlock } from '@slack/types';

export interface ChartDataPoint {
  label: string;
  value: number;
}

export interface ChartSeries {
  name: string;
  data: ChartDataPoint[];
}

export interface ChartAxisConfig {
  categories: string[];
  x_label?: string;
  y_label?: string;
}

export interface PieChart {
  type: 'pie';
  segments: ChartDataPoint[];
}

export interface SeriesChart {
  type: 'bar' | 'area' | 'line';
  series: ChartSeries[];
  axis_config: ChartAxisConfig;
}

export type Chart = PieChart | SeriesChart;

export interface DataVisualizationBlock extends Block {
  type: 'data_visualization';
  title: string;
  chart: Chart;
}

/** Any block a message may carry: what @slack/types knows, and the chart block. */
export type MessageBlock = KnownBlock | DataVisualizationBlock;

export type { DataTableBlock };

export const CHART_LIMITS = {
  title: 50,
  chartsPerMessage: 2, // FROM-CAPTURE
  segments: 6,
  series: 6,
  /** Series name, data point label, segment label and each category. FROM-CAPTURE */
  label: 20,
  /** Data points per series, and so categories. FROM-CAPTURE */
  points: 20,
  axisTitle: 50, // FROM-CAPTURE
} as const;

export const DATA_TABLE_LIMITS = {
  /** Rows after the header row. */
  rows: 100,
  pageSize: 100,
  columns: 20, // FROM-CAPTURE
  /** Across one table's cells, and across every table cell of one message. FROM-CAPTURE */
  chars: 20_000,
} as const;

export function isDataVisualization(block: MessageBlock): block is DataVisualizationBlock {
  return block.type === 'data_visualization';
}

/** The characters a data table's cells count against DATA_TABLE_LIMITS.chars. */
export function tableChars(table: Pick<DataTableBlock, 'rows'>): number {
  let n = 0;
  for (const row of table.rows) for (const cell of row) n += cellChars(cell);
  return n;
}

function cellChars(cell: DataTableBlock['rows'][number][number]): number {
  if (cell.type === 'raw_text' || cell.type === 'raw_number') return cell.text.length;
  return textLength(cell.elements);
}

/** The visible text of rich text elements (their `text` fields). */
function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textLength(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  const record = value as Record<string, unknown>;
  return (typeof record.text === 'string' ? record.text.length : 0) + textLength(record.elements);
}
