/** Closing and reopening objectives: the list of objectives a person may manage, and the close dialog. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Goal } from '../../gtmhub/types.js';
import { KR_ADMIN_ACTION, KR_ADMIN_VIEW } from './key-result-admin-ids.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { escapeMrkdwn, link, mrkdwn, plain, truncate } from './text.js';

export const CLOSE_FIELD = { status: 'status', reason: 'reason' } as const;

function closedStatus(goal: Goal): string | null {
  const status = (goal.closedStatus ?? goal.goalClosedStatus)?.status;
  return status && status !== 'active' ? status : null;
}

export function objectivesView(goals: Goal[]): ModalView {
  const blocks: KnownBlock[] = goals.length === 0 ? [{ type: 'section', text: mrkdwn('You own no objective in an open session.') }] : [];
  for (const goal of goals) {
    const status = closedStatus(goal);
    blocks.push({
      type: 'section',
      block_id: `objective_${goal.id}`,
      text: mrkdwn(`${status ? ':lock:' : ':dart:'} *${link(goal.url, truncate(goal.name, 300))}*${status ? ` — closed (${escapeMrkdwn(status)})` : ''}`),
      accessory: status
        ? { type: 'button', action_id: KR_ADMIN_ACTION.reopenObjective, text: plain('Reopen'), value: goal.id }
        : { type: 'button', action_id: KR_ADMIN_ACTION.closeObjective, text: plain('Close…'), value: goal.id },
    });
  }
  return { type: 'modal', callback_id: 'kr_admin_objectives', title: plain('Your objectives', SLACK_LIMITS.modalLabel), close: plain('Done', SLACK_LIMITS.modalLabel), blocks };
}

export function closeObjectiveView(goal: Goal): ModalView {
  return {
    type: 'modal',
    callback_id: KR_ADMIN_VIEW.closeObjective,
    private_metadata: goal.id,
    title: plain('Close objective', SLACK_LIMITS.modalLabel),
    submit: plain('Close it', SLACK_LIMITS.modalLabel),
    close: plain('Cancel', SLACK_LIMITS.modalLabel),
    blocks: [
      { type: 'section', text: mrkdwn(`Close *${escapeMrkdwn(truncate(goal.name, 300))}*? Its key results stop taking check-ins and reminders.`) },
      {
        type: 'input',
        block_id: CLOSE_FIELD.status,
        label: plain('Status'),
        element: {
          type: 'static_select',
          action_id: CLOSE_FIELD.status,
          options: [
            { text: plain('Achieved'), value: 'achieved' },
            { text: plain('Abandoned'), value: 'abandoned' },
          ],
        },
      },
      { type: 'input', block_id: CLOSE_FIELD.reason, optional: true, label: plain('Reason'), element: { type: 'plain_text_input', action_id: CLOSE_FIELD.reason, multiline: true, max_length: 500 } },
    ],
  };
}
