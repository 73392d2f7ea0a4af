/** App Home, "My key results" as one sortable, paged data table: objective, key result, progress, value → target, last check-in, state. */
import type { DataTableBlock } from '@slack/types';
import { targetGoalOf } from '../../domain/target-goal.js';
import type { HomeKeyResult } from '../../services/reminders/home.js';
import { attainment } from '../../services/progress.js';
import { DATA_TABLE_LIMITS } from './chart-types.js';
import { linkCell, numberCell, packTables, textCell, type TableCell } from './data-table.js';
import { progressWords } from './format/goal.js';
import { SUMMARY_TABLE_CELLS, valueToTarget } from './summary-table.js';
import { truncate } from './text.js';

const HEADER = ['Objective', 'Key result', 'Progress', 'Value → target', 'Last check-in', 'This period'];

function stateOf(row: HomeKeyResult): string {
  if (row.muted?.kind === 'snooze') return `snoozed to ${row.muted.until.toISOString().slice(0, 10)}`;
  if (row.muted?.kind === 'skip') return 'skipped';
  return row.due ? 'due' : 'checked in';
}

function rowOf(goalName: string, row: HomeKeyResult): TableCell[] {
  const { metric } = row;
  const fraction = attainment(metric);
  const actual = metric.actual ?? metric.initialValue ?? null;
  return [
    textCell(truncate(goalName, SUMMARY_TABLE_CELLS.objective)),
    linkCell(truncate(metric.name, SUMMARY_TABLE_CELLS.keyResult), metric.url),
    numberCell(Math.round(fraction * 100), progressWords(fraction, metric.targetOperator)),
    textCell(valueToTarget({ actual: typeof actual === 'number' && Number.isFinite(actual) ? actual : null, target: metric.target ?? null, format: metric.format, direction: targetGoalOf(metric.targetOperator).direction })),
    textCell(metric.lastCheckInDate ? metric.lastCheckInDate.slice(0, 10) : 'never'),
    textCell(stateOf(row)),
  ];
}

/** The first key results that fit one table (100 rows, 20,000 characters); null when there are none. */
export function myKeyResultsTable(groups: Array<{ goalName: string; keyResults: HomeKeyResult[] }>): DataTableBlock | null {
  const rows = groups.flatMap((g) => g.keyResults.map((row) => rowOf(g.goalName, row)));
  const [first] = packTables(rows.slice(0, DATA_TABLE_LIMITS.rows), {
    header: HEADER,
    caption: (from, to) => (to < rows.length ? `My key results ${from}–${to} of ${rows.length}` : `My key results (${rows.length})`),
  });
  return first?.[0] ?? null;
}
