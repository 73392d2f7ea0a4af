/** A summary's key results as data table rows: objective, key result, progress, value → target, confidence, owner, last check-in. */
import type { Summary, SummaryItem, SummaryOwner } from '../../services/summaries/model.js';
import { linkCell, numberCell, textCell, type TableCell } from './data-table.js';
import { progressWords } from './format/goal.js';
import { formatStoredValue } from './format/progress.js';
import { truncate } from './text.js';

export const SUMMARY_TABLE_HEADER = ['Objective', 'Key result', 'Progress', 'Value → target', 'Confidence', 'Owner', 'Last check-in'];

/** Cell widths that keep 200 typical rows within one message's 20,000 table characters. */
export const SUMMARY_TABLE_CELLS = { objective: 40, keyResult: 60, owner: 30 } as const;

/** "40 → 100 ↑", "80 → 20 ↓", "12 (stay ≥ 10)": the value and the target as Gtmhub holds them, and which way it has to go. */
export function valueToTarget(item: Pick<SummaryItem, 'actual' | 'target' | 'format' | 'direction'>): string {
  const value = item.actual === null ? '—' : formatStoredValue(item.actual, item.format);
  if (item.target === null) return value;
  const target = formatStoredValue(item.target, item.format);
  switch (item.direction) {
    case 'increase':
      return `${value} → ${target} ↑`;
    case 'decrease':
      return `${value} → ${target} ↓`;
    case 'stay_above':
      return `${value} (stay ≥ ${target})`;
    case 'stay_below':
      return `${value} (stay ≤ ${target})`;
  }
}

function ownerCell(owner: SummaryOwner): string {
  if (owner.kind === 'none') return 'no owner';
  return truncate(owner.kind === 'gtmhub' && owner.team ? `${owner.name} (team)` : owner.name, SUMMARY_TABLE_CELLS.owner);
}

/** One key result's row; numbers are number cells so the table sorts them as numbers. */
export function summaryTableRow(objectiveName: string, item: SummaryItem): TableCell[] {
  return [
    textCell(truncate(objectiveName.replace(/\s+/g, ' ').trim() || 'Objective', SUMMARY_TABLE_CELLS.objective)),
    linkCell(truncate(item.name.replace(/\s+/g, ' ').trim() || 'Untitled key result', SUMMARY_TABLE_CELLS.keyResult), item.url),
    // A threshold reads met / not met; the number still sorts it.
    numberCell(Math.round(item.attainment * 100), progressWords(item.attainment, item.targetOperator)),
    textCell(valueToTarget(item)),
    // No confidence sorts below every confidence given.
    item.confidence === null ? numberCell(-1, '—') : numberCell(item.confidence, item.confidenceLabel ?? item.confidence.toFixed(1)),
    textCell(ownerCell(item.owner)),
    textCell(item.lastCheckInDate ? item.lastCheckInDate.toISOString().slice(0, 10) : 'never'),
  ];
}

/** Every key result of the summary, objective by objective, in the order of the text layout. */
export function summaryTableRows(summary: Summary): TableCell[][] {
  return summary.objectives.flatMap((objective) => objective.items.map((item) => summaryTableRow(objective.closedStatus ? `🔒 ${objective.name}` : objective.name, item)));
}
