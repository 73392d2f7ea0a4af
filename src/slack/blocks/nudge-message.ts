/** The DM a nudge sends to a key result's owner, and what the nudger is told. */
import type { KnownBlock } from '@slack/types';
import type { NudgeMessage, NudgeOutcome } from '../../services/key-results-admin/nudges.js';
import { ACTION } from '../ids.js';
import { progressWords, valueWithGoal } from './format/goal.js';
import { progressBar } from './format/progress.js';
import { escapeMrkdwn, link, mrkdwn, plain, truncate } from './text.js';

export function nudgeMessage({ keyResult, objectiveName, nudgerSlackUserId }: NudgeMessage): { text: string; blocks: KnownBlock[] } {
  const fraction = typeof keyResult.attainment === 'number' && Number.isFinite(keyResult.attainment) ? keyResult.attainment : 0;
  const value = valueWithGoal({ actual: keyResult.actual ?? keyResult.initialValue ?? 0, target: keyResult.target, format: keyResult.format, targetOperator: keyResult.targetOperator });
  return {
    text: truncate(`<@${nudgerSlackUserId}> nudged you to check in ${escapeMrkdwn(keyResult.name)}`, 3000),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:wave: <@${nudgerSlackUserId}> nudged you to check in *${link(keyResult.url, truncate(keyResult.name, 300))}*\n_${escapeMrkdwn(truncate(objectiveName, 300))}_\n\`${progressBar(fraction)}\` ${progressWords(fraction, keyResult.targetOperator)} · ${escapeMrkdwn(value)}`,
        ),
      },
      { type: 'actions', elements: [{ type: 'button', action_id: ACTION.openCheckIn, text: plain('Check in'), value: keyResult.id, style: 'primary' }] },
    ],
  };
}

export function nudgeOutcomeText(name: string, outcomes: NudgeOutcome[], timeLabel: (at: Date) => string): string {
  return outcomes
    .map((o) => (o.sent ? `:wave: Nudged <@${o.ownerSlackUserId}> about *${escapeMrkdwn(name)}*.` : `:hourglass: <@${o.ownerSlackUserId}> was already nudged about *${escapeMrkdwn(name)}* today (${timeLabel(o.lastNudgeAt)}); one nudge a day is enough.`))
    .join('\n');
}
