/** Chart blocks within Slack's documented limits (chart-types.ts): labels shortened and kept unique, counts capped. */
import { CHART_LIMITS, type ChartAxisConfig, type DataVisualizationBlock, type SeriesChart } from './chart-types.js';
import { truncate } from './text.js';

export interface SeriesInput {
  name: string;
  /** One value per category, in the categories' order. */
  values: number[];
}

/** "Objective…person 12": both ends of a long name, where names differ at the end. */
function middleTruncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${text.slice(0, head).trimEnd()}…${text.slice(text.length - tail).trimStart()}`;
}

/**
 * Labels of at most 20 characters, whitespace folded, never empty, and unique: a label that would
 * repeat an earlier one keeps both ends of its name ("Objective…person 12"), or else gets a number.
 */
export function chartLabels(labels: readonly string[], max: number = CHART_LIMITS.label): string[] {
  const seen = new Set<string>();
  return labels.map((raw) => {
    const base = raw.replace(/\s+/g, ' ').trim() || '—';
    let label = truncate(base, max);
    if (seen.has(label)) label = middleTruncate(base, max);
    for (let n = 2; seen.has(label); n++) label = `${truncate(base, max - String(n).length - 3)} (${n})`;
    seen.add(label);
    return label;
  });
}

/**
 * A value as it is, only without binary floating point noise (12 significant digits: 0.1 + 0.2 is
 * 0.3): a chart never rounds a value to a precision of its own, so check-ins of 0.03 and 0.06 stay
 * below a target of 0.08. Never NaN or Infinity (Slack needs a number).
 */
function chartValue(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(12)) + 0 : 0;
}

/** To a tenth, half away from zero. */
function toTenth(value: number): number {
  return (Math.sign(value) * Math.round(Number((Math.abs(value) * 10).toPrecision(12)))) / 10 + 0;
}

/**
 * A bar, area or line chart. Categories and series beyond Slack's counts are left out, so callers
 * pick what to show first; every series gets exactly one point per category.
 */
export function seriesChart(
  type: SeriesChart['type'],
  title: string,
  categories: readonly string[],
  series: readonly SeriesInput[],
  axis: { x?: string; y?: string } = {},
): DataVisualizationBlock {
  const labels = chartLabels(categories.slice(0, CHART_LIMITS.points));
  const names = chartLabels(series.slice(0, CHART_LIMITS.series).map((s) => s.name));
  const axisConfig: ChartAxisConfig = { categories: labels };
  if (axis.x) axisConfig.x_label = truncate(axis.x, CHART_LIMITS.axisTitle);
  if (axis.y) axisConfig.y_label = truncate(axis.y, CHART_LIMITS.axisTitle);
  return {
    type: 'data_visualization',
    title: truncate(title.replace(/\s+/g, ' ').trim() || 'Chart', CHART_LIMITS.title),
    chart: {
      type,
      series: names.map((name, s) => ({
        name,
        data: labels.map((label, i) => ({ label, value: chartValue(series[s]!.values[i] ?? 0) })),
      })),
      axis_config: axisConfig,
    },
  };
}

/**
 * Percent of a fraction, as a chart value, to a tenth of a percent; but never onto 100 short of the
 * target or onto 0 from either side (as `formatPercent`): such a value keeps its own decimals
 * (0.9996 → 99.96, 0.0004 → 0.04).
 */
export function percentValue(fraction: number): number {
  const percent = chartValue(fraction * 100);
  const tenth = toTenth(percent);
  const crosses = (percent < 100 && tenth >= 100) || (percent !== 0 && tenth === 0);
  return crosses ? percent : tenth;
}
