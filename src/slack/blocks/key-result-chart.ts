/**
 * One key result's own chart: its check-ins over time against its target and the pace expected
 * between the start and the end of its period, with the words of what it shows. Pure; for the
 * check-in confirmation, and for any other message about one key result (history, link preview).
 */
import type { ContextBlock } from '@slack/types';
import type { Metric, MetricFormat } from '../../gtmhub/types.js';
import { CHART_LIMITS } from './chart-types.js';
import { chartLabels, seriesChart, type SeriesInput } from './charts.js';
import { formatStoredValue, formatValue } from './format/progress.js';
import type { DescribedChart } from './summary-charts.js';
import { escapeMrkdwn, mrkdwn, truncate } from './text.js';

export interface KeyResultCheckIn {
  at: Date;
  value: number;
}

export interface KeyResultChartInput {
  name: string;
  format?: MetricFormat | undefined;
  initialValue: number | null;
  target: number | null;
  /** Check-ins in any order; the latest 20 are drawn. */
  checkIns: KeyResultCheckIn[];
  /** The period the pace runs over (the session, or creation to due date); no pace line when unknown. */
  pace: { start: Date; end: Date } | null;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The check-ins Gtmhub's history holds with a value (`metricHistory` entries carry one where Gtmhub
 * gives it), plus any given in `extra` (e.g. the one just made).
 */
export function checkInsOf(metric: Pick<Metric, 'metricHistory'>, extra: KeyResultCheckIn[] = []): KeyResultCheckIn[] {
  const fromHistory = (metric.metricHistory ?? []).flatMap((entry) => {
    const at = entry.createdAt ? new Date(entry.createdAt) : null;
    const value = entry.value;
    return at && !Number.isNaN(at.getTime()) && finite(value) ? [{ at, value }] : [];
  });
  return [...fromHistory, ...extra];
}

/** Where the value should be at `at` to reach the target on time. */
function expectedAt(input: KeyResultChartInput, at: Date): number | null {
  if (!input.pace || input.initialValue === null || input.target === null) return null;
  const span = input.pace.end.getTime() - input.pace.start.getTime();
  if (!(span > 0)) return null;
  const fraction = Math.min(1, Math.max(0, (at.getTime() - input.pace.start.getTime()) / span));
  return input.initialValue + (input.target - input.initialValue) * fraction;
}

function dayLabel(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
}

/** The chart and its words; null when there are fewer than two check-ins to draw a line through. */
export function keyResultChart(input: KeyResultChartInput): DescribedChart | null {
  const points = [...input.checkIns].sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-CHART_LIMITS.points);
  if (points.length < 2) return null;
  const labels = chartLabels(points.map((p) => dayLabel(p.at)));
  const series: SeriesInput[] = [{ name: 'Value', values: points.map((p) => p.value) }];
  if (input.target !== null) series.push({ name: 'Target', values: points.map(() => input.target!) });
  const expected = points.map((p) => expectedAt(input, p.at));
  if (expected.every((e) => e !== null)) series.push({ name: 'Expected pace', values: expected as number[] });
  const unit = [input.format?.prefix, input.format?.suffix].filter(Boolean).join(' ').trim();
  const chart = seriesChart('line', `Check-ins: ${input.name}`, labels, series, { x: 'Check-in', y: unit ? `Value (${unit})` : 'Value' });

  // Check-ins and the target are values Gtmhub holds (every decimal); the pace is computed (rounded to the format).
  const show = (value: number) => formatStoredValue(value, input.format);
  const first = points[0]!;
  const last = points.at(-1)!;
  const target = input.target === null ? '' : `; target ${show(input.target)}`;
  const pace = expected.at(-1);
  const paceText = pace === null || pace === undefined ? '' : `; expected by the last check-in ${formatValue(pace, input.format)}`;
  const description = `${points.length} check-ins of ${input.name}, from ${show(first.value)} on ${dayLabel(first.at)} to ${show(last.value)} on ${dayLabel(last.at)}${target}${paceText}.`;
  return { chart, description };
}

/** The words under the chart. */
export function keyResultChartDescription(described: DescribedChart): ContextBlock {
  return { type: 'context', elements: [mrkdwn(truncate(`:chart_with_upwards_trend: ${escapeMrkdwn(described.description)}`, 1500))] };
}
