/**
 * A channel summary with Slack's native charts and data tables. The first message: the header and
 * overall line, the two charts (each followed by what it shows, in words), the lists (needs
 * attention, not checked in), then as many key results as fit as data tables; the other key results
 * follow as tables in thread replies. Each message keeps Slack's limits (chart-types.ts: two charts
 * per message, 100 rows per table, 20,000 table characters per message; 50 blocks) and its fallback
 * `text`. Where these blocks cannot be used, summary-message.ts lays out the same summary as text.
 */
import type { ContextBlock, KnownBlock } from '@slack/types';
import type { Summary } from '../../services/summaries/model.js';
import type { MessageBlock } from './chart-types.js';
import { packTables } from './data-table.js';
import { attainmentChart, chartDescriptionBlock, progressChart } from './summary-charts.js';
import { fallbackText, overviewBlocks, SUMMARY_LIMITS, type SummaryMessage } from './summary-message.js';
import { SUMMARY_TABLE_HEADER, summaryTableRows } from './summary-table.js';
import { escapeMrkdwn, mrkdwn, truncate } from './text.js';


const count = (n: number) => n.toLocaleString('en-US');

function caption(from: number, to: number, total: number): string {
  return `Key results ${count(from)}–${count(to)} of ${count(total)}, by objective`;
}

/** The overview with the charts after its first two blocks (header, overall line): above every list. */
function firstBlocks(summary: Summary): MessageBlock[] {
  const overview = overviewBlocks(summary);
  const bars = attainmentChart(summary);
  const line = progressChart(summary);
  return [
    ...overview.slice(0, 2),
    bars.chart,
    chartDescriptionBlock(bars),
    line.chart,
    chartDescriptionBlock(line),
    ...overview.slice(2),
  ];
}

function continuedNote(replies: number): ContextBlock {
  return {
    type: 'context',
    elements: [mrkdwn(`:thread: The key results continue in this message's thread (${replies} more message${replies === 1 ? '' : 's'}).`)],
  };
}

/** The summary as messages: the first goes to the channel, the others are its thread replies, in order. */
export function summaryChartMessages(summary: Summary): SummaryMessage[] {
  const rows = summaryTableRows(summary);
  const tables = packTables(rows, { header: SUMMARY_TABLE_HEADER, caption });
  const first = firstBlocks(summary);
  const room = SUMMARY_LIMITS.blocksPerMessage - first.length - 1;
  const [firstTables = [], ...rest] = tables;
  // The overview leaves fewer blocks than a message of tables; tables beyond that start the thread.
  const messagesTables = firstTables.length > room ? [firstTables.slice(0, room), firstTables.slice(room), ...rest] : [firstTables, ...rest];
  const total = messagesTables.length;
  const text = fallbackText(summary);
  let shownBefore = 0;
  return messagesTables.map((tablesOfMessage, index): SummaryMessage => {
    const rowsHere = tablesOfMessage.reduce((n, t) => n + t.rows.length - 1, 0);
    const range = rowsHere === 0 ? '' : ` — key results ${count(shownBefore + 1)}–${count(shownBefore + rowsHere)} of ${count(rows.length)}`;
    shownBefore += rowsHere;
    if (index === 0) {
      const blocks: MessageBlock[] = [...first, ...tablesOfMessage];
      if (total > 1) blocks.push(continuedNote(total - 1));
      return { text, blocks };
    }
    const note: KnownBlock = {
      type: 'context',
      elements: [mrkdwn(`${escapeMrkdwn(truncate(summary.title, 100))} · ${escapeMrkdwn(summary.period.label)} — continued (${index + 1}/${total})`)],
    };
    return { text: truncate(`${escapeMrkdwn(summary.title)} — continued (${index + 1}/${total})${range}`, 3000), blocks: [note, ...tablesOfMessage] };
  });
}
