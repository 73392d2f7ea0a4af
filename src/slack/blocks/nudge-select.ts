/** "Nudge…" on a summary's "Not checked in" line: pick a key result, its owner gets a reminder DM now. */
import type { StaticSelect } from '@slack/types';
import type { SummaryItem, SummaryObjective } from '../../services/summaries/model.js';
import { KR_ADMIN_ACTION } from './key-result-admin-ids.js';
import { SLACK_LIMITS, STATIC_SELECT_LIMIT } from './slack-limits.js';
import { plain } from './text.js';

export function nudgeSelect(items: SummaryItem[]): StaticSelect | null {
  if (items.length === 0) return null;
  return {
    type: 'static_select',
    action_id: KR_ADMIN_ACTION.nudge,
    placeholder: plain('Nudge…'),
    options: items.slice(0, STATIC_SELECT_LIMIT).map((item) => ({
      text: plain(`${item.owner.kind === 'slack' ? `${item.owner.name}: ` : ''}${item.name}`, SLACK_LIMITS.optionText),
      value: item.metricId,
    })),
  };
}

/** "Objective…" on a summary: its owners (and admins) close or reopen one of the summary's objectives. */
export function objectiveSelect(objectives: SummaryObjective[]): StaticSelect | null {
  if (objectives.length === 0) return null;
  return {
    type: 'static_select',
    action_id: KR_ADMIN_ACTION.objectiveFromSummary,
    placeholder: plain('Close or reopen…'),
    options: objectives.slice(0, STATIC_SELECT_LIMIT).map((objective) => ({ text: plain(objective.name || 'Objective', SLACK_LIMITS.optionText), value: objective.goalId })),
  };
}
