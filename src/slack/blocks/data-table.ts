/** Data table blocks within Slack's documented limits (chart-types.ts), split into tables and messages as needed. */
import type { RawNumberElement, RawTextElement, RichTextBlock } from '@slack/types';
import { DATA_TABLE_LIMITS, tableChars, type DataTableBlock } from './chart-types.js';

export type TableCell = RawTextElement | RawNumberElement | RichTextBlock;

/** A text cell; Slack needs at least one character. */
export function textCell(text: string): RawTextElement {
  const folded = text.replace(/\s+/g, ' ').trim();
  return { type: 'raw_text', text: folded || '—' };
}

/** Only a plain http(s) URL of sensible length becomes a link; anything else shows the text alone. */
const LINKABLE_URL = /^https?:\/\/[^\s<>|]+$/i;

/** A text cell that links to `url` (rich text; not for the header row). */
export function linkCell(text: string, url: string | undefined): TableCell {
  const cell = textCell(text);
  if (!url || url.length > 500 || !LINKABLE_URL.test(url)) return cell;
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'link', url, text: cell.text }] }] };
}

/** A number cell: sorted by `value`, shown as `text`. */
export function numberCell(value: number, text: string): RawNumberElement {
  return { type: 'raw_number', value: Number.isFinite(value) ? value : 0, text: text.trim() || '—' };
}

export interface TablePackOptions {
  header: string[];
  /** The caption of the table holding rows `from`–`to` (1-based) of `total`. */
  caption: (from: number, to: number, total: number) => string;
  pageSize?: number;
  /** Table characters a message may still take (the first message may share its budget). */
  charsPerMessage?: number;
}

/**
 * Rows into tables of at most 100 rows and 20,000 characters, and tables into messages of at most
 * 20,000 table characters in all. Returns one list of tables per message, in order; every row is
 * in exactly one table.
 */
export function packTables(rows: TableCell[][], options: TablePackOptions): DataTableBlock[][] {
  const header = options.header.map(textCell);
  const headerChars = tableChars({ rows: [header] });
  const budget = Math.min(options.charsPerMessage ?? DATA_TABLE_LIMITS.chars, DATA_TABLE_LIMITS.chars);
  const messages: Array<Array<{ from: number; rows: TableCell[][] }>> = [];
  let message: Array<{ from: number; rows: TableCell[][] }> = [];
  let messageChars = 0;
  let table: { from: number; rows: TableCell[][] } | null = null;

  rows.forEach((row, index) => {
    const rowChars = tableChars({ rows: [row] });
    const needsTable = table === null || table.rows.length >= DATA_TABLE_LIMITS.rows;
    const cost = rowChars + (needsTable ? headerChars : 0);
    if (messageChars + cost > budget && (message.length > 0 || table !== null)) {
      messages.push(message);
      message = [];
      messageChars = 0;
      table = null;
    }
    if (table === null || table.rows.length >= DATA_TABLE_LIMITS.rows) {
      table = { from: index + 1, rows: [] };
      message.push(table);
      messageChars += headerChars;
    }
    table.rows.push(row);
    messageChars += rowChars;
  });
  if (message.length > 0) messages.push(message);

  return messages.map((tables) =>
    tables.map(
      (t): DataTableBlock => ({
        type: 'data_table',
        caption: options.caption(t.from, t.from + t.rows.length - 1, rows.length),
        page_size: Math.min(options.pageSize ?? 10, DATA_TABLE_LIMITS.pageSize),
        rows: [header, ...t.rows],
      }),
    ),
  );
}
