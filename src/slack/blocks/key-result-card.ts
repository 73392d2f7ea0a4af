/** The compact card a pasted Gtmhub link unfurls into. */
import type { KnownBlock } from '@slack/types';
import type { Goal, Metric } from '../../gtmhub/types.js';
import type { Preview } from '../../services/key-results-admin/unfurls.js';
import { DIRECTION_LABELS, directionOf } from '../../domain/key-result-form.js';
import { ACTION } from '../ids.js';
import { progressWords } from './format/goal.js';
import { formatPercent, formatStoredValue, progressBar } from './format/progress.js';
import { KR_ADMIN_ACTION } from './key-result-admin-ids.js';
import { escapeMrkdwn, link, mrkdwn, plain, relativeTime, truncate } from './text.js';

function fractionOf(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function ownerName(metric: Metric): string {
  const names = [metric.assignee, ...(metric.assignees ?? [])].map((a) => a?.name?.trim()).filter((n): n is string => !!n);
  return names[0] ?? 'no owner named';
}

function keyResultCard(keyResult: Metric, objectiveName: string, now: Date): KnownBlock[] {
  const fraction = fractionOf(keyResult.attainment);
  const direction = DIRECTION_LABELS[directionOf(keyResult.targetOperator)].toLowerCase();
  const value = `${formatStoredValue(keyResult.actual ?? keyResult.initialValue ?? 0, keyResult.format)} · ${direction} ${formatStoredValue(keyResult.target ?? 0, keyResult.format)}`;
  const confidence = typeof keyResult.confidence?.value === 'number' ? ` · confidence ${keyResult.confidence.value}` : '';
  const last = keyResult.lastCheckInDate ? `last check-in ${relativeTime(new Date(keyResult.lastCheckInDate), now)}` : 'never checked in';
  return [
    {
      type: 'section',
      text: mrkdwn(
        `*${link(keyResult.url, truncate(keyResult.name, 300))}*  _${escapeMrkdwn(truncate(objectiveName, 200))}_\n\`${progressBar(fraction)}\` ${progressWords(fraction, keyResult.targetOperator)} · ${escapeMrkdwn(value)}\n${escapeMrkdwn(truncate(ownerName(keyResult), 100))}${escapeMrkdwn(confidence)} · ${last}`,
      ),
    },
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.openCheckIn, text: plain('Check in (owner)'), value: keyResult.id },
        { type: 'button', action_id: KR_ADMIN_ACTION.nudge, text: plain('Nudge owner'), value: keyResult.id },
      ],
    },
  ];
}

function objectiveCard(objective: Goal): KnownBlock[] {
  const fraction = fractionOf(objective.attainment);
  const status = (objective.closedStatus ?? objective.goalClosedStatus)?.status;
  const closed = status && status !== 'active' ? ` · :lock: closed (${escapeMrkdwn(status)})` : '';
  return [{ type: 'section', text: mrkdwn(`:dart: *${link(objective.url, truncate(objective.name, 300))}*\n\`${progressBar(fraction)}\` ${formatPercent(fraction)}${closed}`) }];
}

/** chat.unfurl's `unfurls` argument: URL → blocks. */
export function unfurlsOf(previews: Preview[], now: Date): Record<string, { blocks: KnownBlock[] }> {
  const unfurls: Record<string, { blocks: KnownBlock[] }> = {};
  for (const preview of previews) {
    unfurls[preview.url] = { blocks: preview.kind === 'key_result' ? keyResultCard(preview.keyResult, preview.objectiveName, now) : objectiveCard(preview.objective) };
  }
  return unfurls;
}
