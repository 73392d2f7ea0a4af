/**
 * A key result's goal in words, the same in the modal, DMs, App Home and summaries:
 * "7 logos of 12 logos", "6 days → target ≤ 3 days", "99.1% · stay ≥ 99.5%". Plain text (escape it
 * for mrkdwn). Pure functions.
 */
import type { MetricFormat } from '../../../gtmhub/types.js';
import { targetGoalOf } from '../../../domain/target-goal.js';
import { formatPercent, formatStoredValue } from './progress.js';

export interface GoalInput {
  actual?: number | null | undefined;
  target?: number | null | undefined;
  format?: MetricFormat | null | undefined;
  targetOperator?: string | null | undefined;
}

function shown(value: number | null | undefined, format?: MetricFormat | null): string {
  return typeof value === 'number' && Number.isFinite(value) ? formatStoredValue(value, format) : '—';
}

/** The target with its direction, for a "Target:" label: "12 logos", "≤ 3 days", "stay ≥ 100%". */
export function targetText(input: Omit<GoalInput, 'actual'>): string {
  const goal = targetGoalOf(input.targetOperator);
  const target = shown(input.target, input.format);
  switch (goal.direction) {
    case 'decrease':
      return `≤ ${target}`;
    case 'stay_above':
      return `stay ≥ ${target}`;
    case 'stay_below':
      return `stay ≤ ${target}`;
    case 'increase':
      return goal.known ? target : `${target} (goal “${goal.operator}”, counted as at least)`;
  }
}

/** The goal alone: "target 12 logos", "target ≤ 3 days", "stay ≥ 100%", "stay ≤ 7 days". */
export function goalText(input: Omit<GoalInput, 'actual'>): string {
  return targetGoalOf(input.targetOperator).threshold ? targetText(input) : `target ${targetText(input)}`;
}

/** The value with its goal: "7 logos of 12 logos", "6 days → target ≤ 3 days", "99.1% · stay ≥ 99.5%". */
export function valueWithGoal(input: GoalInput, increaseJoin: 'of' | '/' = 'of'): string {
  const goal = targetGoalOf(input.targetOperator);
  const actual = shown(input.actual, input.format);
  if (goal.threshold) return `${actual} · ${goalText(input)}`;
  if (goal.direction === 'increase' && goal.known) return `${actual} ${increaseJoin} ${shown(input.target, input.format)}`;
  return `${actual} → ${goalText(input)}`;
}

/** Progress in words: a percentage, or for a threshold "met" / "not met" (never "0%" for a held threshold). */
export function progressWords(fraction: number, targetOperator: string | null | undefined): string {
  if (targetGoalOf(targetOperator).threshold) return fraction >= 1 ? 'met' : 'not met';
  return formatPercent(fraction);
}
