/**
 * The two charts above a summary's lists, each with a short text of what it shows (for screen
 * readers and for anyone who would rather read): attainment per objective (per owner when the scope
 * is the people of a channel), and overall progress against the expected pace across the summaries
 * recorded for this scope.
 */
import type { ContextBlock } from '@slack/types';
import type { Summary, SummaryItem, SummaryOwner } from '../../services/summaries/model.js';
import type { SummaryProgressPoint } from '../../store/summary-history-store.js';
import { CHART_LIMITS, type DataVisualizationBlock } from './chart-types.js';
import { percentValue, seriesChart, type SeriesInput } from './charts.js';
import { formatPercent } from './format/progress.js';
import { escapeMrkdwn, mrkdwn, truncate } from './text.js';

export interface DescribedChart {
  chart: DataVisualizationBlock;
  /** What the chart shows, in words. */
  description: string;
}

/** A chart's words, read with it. */
export const DESCRIPTION_CHARS = 1500;

interface Group {
  name: string;
  items: SummaryItem[];
}

const capped = (value: number) => Math.min(1, Math.max(0, value));

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function ownerName(owner: SummaryOwner): string {
  if (owner.kind === 'none') return 'No owner';
  return owner.kind === 'gtmhub' && owner.team ? `${owner.name} (team)` : owner.name;
}

/** The channel's people are compared with each other; any other scope by objective. */
function groupsOf(summary: Summary): { by: 'objective' | 'owner'; groups: Group[] } {
  if (summary.scope.kind === 'channel') {
    const owners = new Map<string, Group>();
    for (const item of summary.objectives.flatMap((o) => o.items)) {
      const name = ownerName(item.owner);
      // By id: two people who share a name are two bars.
      const key = item.owner.kind === 'slack' ? item.owner.slackUserId : item.owner.kind === 'gtmhub' && item.owner.id ? `gtmhub:${item.owner.id}` : `${item.owner.kind}:${name.toLowerCase()}`;
      const group = owners.get(key) ?? { name, items: [] };
      group.items.push(item);
      owners.set(key, group);
    }
    if (owners.size > 1) {
      const groups = [...owners.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true, sensitivity: 'base' }));
      return { by: 'owner', groups };
    }
  }
  return { by: 'objective', groups: summary.objectives.map((o) => ({ name: o.name, items: o.items })) };
}

/** Up to 20 bars: when there are more groups, the largest 19 and one bar for the rest. */
function shownGroups(groups: Group[]): Group[] {
  if (groups.length <= CHART_LIMITS.points) return groups;
  const largest = [...groups].sort((a, b) => b.items.length - a.items.length || a.name.localeCompare(b.name, 'en', { numeric: true })).slice(0, CHART_LIMITS.points - 1);
  const kept = new Set(largest);
  const rest = groups.filter((g) => !kept.has(g));
  return [...groups.filter((g) => kept.has(g)), { name: `${rest.length} others`, items: rest.flatMap((g) => g.items) }];
}

function attainmentOf(group: Group): number {
  return mean(group.items.map((i) => capped(i.attainment))) ?? 0;
}

function expectedOf(group: Group): number | null {
  return mean(group.items.filter((i) => i.gap !== null).map((i) => capped(i.attainment - i.gap!)));
}

function listed(parts: string[], max = DESCRIPTION_CHARS): string {
  let text = '';
  for (let i = 0; i < parts.length; i++) {
    const next = `${text}${i > 0 ? ', ' : ''}${parts[i]}`;
    if (next.length > max - 20) return `${text} and ${parts.length - i} more`;
    text = next;
  }
  return text;
}

/** Bars of attainment per objective (or owner), next to the progress expected by now. */
export function attainmentChart(summary: Summary): DescribedChart {
  const { by, groups } = groupsOf(summary);
  const shown = shownGroups(groups);
  const expected = shown.map(expectedOf);
  const series: SeriesInput[] = [{ name: 'Progress', values: shown.map((g) => percentValue(attainmentOf(g))) }];
  if (expected.some((e) => e !== null)) series.push({ name: 'Expected by now', values: expected.map((e) => percentValue(e ?? 0)) });
  const chart = seriesChart('bar', by === 'owner' ? 'Progress per owner' : 'Progress per objective', shown.map((g) => g.name), series, {
    x: by === 'owner' ? 'Owner' : 'Objective',
    y: '% of target',
  });
  const parts = shown.map((g, i) => {
    const pace = expected[i] === null || expected[i] === undefined ? '' : ` (expected ${formatPercent(expected[i]!)})`;
    return `${g.name} ${formatPercent(attainmentOf(g))}${pace}`;
  });
  return { chart, description: `Progress per ${by}: ${listed(parts)}.` };
}

function pointLabel(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
}

/** Overall progress at each recorded summary and now, against the pace expected at each. */
export function progressChart(summary: Summary): DescribedChart {
  const now: SummaryProgressPoint = { takenAt: summary.generatedAt, overall: summary.overall, expected: summary.expected, keyResults: summary.total };
  const points = [...summary.progressHistory.filter((p) => p.takenAt.getTime() < now.takenAt.getTime()), now].slice(-CHART_LIMITS.points);
  const labels = points.map((p, i) => (i === points.length - 1 ? `Now (${pointLabel(p.takenAt)})` : pointLabel(p.takenAt)));
  const series: SeriesInput[] = [{ name: 'Overall progress', values: points.map((p) => percentValue(p.overall)) }];
  const paced = points.every((p) => p.expected !== null);
  if (paced) series.push({ name: 'Expected pace', values: points.map((p) => percentValue(p.expected!)) });
  const chart = seriesChart('line', 'Overall progress against the expected pace', labels, series, { x: 'Summary', y: '% of target' });
  const parts = points.map((p, i) => `${labels[i]} ${formatPercent(p.overall)}${p.expected === null ? '' : ` (expected ${formatPercent(p.expected)})`}`);
  const first = points.length === 1 ? ' This is the first summary recorded for this scope; the line grows with each one.' : '';
  return { chart, description: `Overall progress: ${listed(parts)}.${paced ? '' : ' The expected pace is unknown for some summaries.'}${first}` };
}

/** The words under a chart. */
export function chartDescriptionBlock(described: DescribedChart): ContextBlock {
  return { type: 'context', elements: [mrkdwn(truncate(`:bar_chart: ${escapeMrkdwn(described.description)}`, DESCRIPTION_CHARS + 20))] };
}
