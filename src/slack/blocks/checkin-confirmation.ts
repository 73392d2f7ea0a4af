import type { KnownBlock, ModalView } from '@slack/types';
import { hasDueDate, type Metric, type Snapshot } from '../../gtmhub/types.js';
import type { MessageBlock } from './chart-types.js';
import { checkInsOf, keyResultChart, keyResultChartDescription } from './key-result-chart.js';
import type { CheckInChange } from '../../services/checkin-types.js';
import { MAX_COMMENT_LENGTH } from '../../domain/limits.js';
import { ownWords } from '../../domain/checkin-signature.js';
import { formatStoredValue, progressBar } from './format/progress.js';
import { progressWords } from './format/goal.js';
import type { OutboxEntry, RejectedKeyResult } from '../../store/store.js';
import { ACTION, EDIT_COMMENT_MODAL } from '../ids.js';
import { escapeMrkdwn, link, mrkdwn, plain, slackDate, slackDay, truncate } from './text.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { keyResultMenu } from './key-result-manage.js';

export const EDIT_COMMENT_BLOCK = 'comment';
export const EDIT_COMMENT_ACTION = 'comment_input';

/** View / Edit / Undo need the check-in's id in Gtmhub; without one (it landed unseen) they are left out. */
function followUpButtons(entry: OutboxEntry): KnownBlock[] {
  if (!entry.snapshotId) return [];
  const value = String(entry.id);
  return [
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.viewCheckIn, text: plain('View check-in'), value },
        { type: 'button', action_id: ACTION.editComment, text: plain('Edit comment'), value },
        {
          type: 'button',
          action_id: ACTION.undoCheckIn,
          text: plain('Undo'),
          value,
          style: 'danger',
          confirm: {
            title: plain('Undo this check-in?'),
            text: plain('It will be deleted from Gtmhub.'),
            confirm: plain('Undo'),
            deny: plain('Keep it'),
          },
        },
        keyResultMenu(entry.metricId),
      ],
    },
  ];
}

const finiteOrNull = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The key result's check-ins, this one included, against its target and pace (creation to due date); none before a second check-in. */
function checkInChart(entry: OutboxEntry, change: CheckInChange): MessageBlock[] {
  const { metric } = change;
  const start = metric.dateCreated ? new Date(metric.dateCreated) : null;
  const end = metric.dueDate && hasDueDate(metric.dueDate) ? new Date(metric.dueDate) : null;
  const described = keyResultChart({
    name: metric.name,
    format: metric.format,
    initialValue: finiteOrNull(metric.initialValue),
    target: finiteOrNull(metric.target),
    checkIns: checkInsOf(metric, [{ at: entry.submittedAt, value: change.newActual }]),
    pace: start && end && !Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime()) ? { start, end } : null,
  });
  return described ? [described.chart, keyResultChartDescription(described)] : [];
}

/** DM after a check-in landed (at once, or later from the outbox). */
export function checkInConfirmation(entry: OutboxEntry, change: CheckInChange | null, late: boolean): { text: string; blocks: MessageBlock[] } {
  const when = late ? ` (submitted ${slackDay(entry.submittedAt)}; Gtmhub was unavailable until now)` : '';
  if (!change) {
    const text = `:white_check_mark: Your check-in is in Gtmhub${when}.`;
    return { text, blocks: [{ type: 'section', text: mrkdwn(text) }, ...followUpButtons(entry)] };
  }
  const { metric } = change;
  const from = change.previousActual === null ? '—' : escapeMrkdwn(formatStoredValue(change.previousActual, metric.format));
  const to = escapeMrkdwn(formatStoredValue(change.newActual, metric.format));
  const text = `Checked in ${escapeMrkdwn(metric.name)}: ${from} → ${to}, progress ${progressWords(change.newAttainment, metric.targetOperator)}${escapeMrkdwn(when)}`;
  return {
    text: truncate(text, 3000),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:white_check_mark: Checked in *${link(metric.url, metric.name)}*${escapeMrkdwn(when)}\n${from} → *${to}*   \`${progressBar(change.newAttainment)}\` ${progressWords(change.newAttainment, metric.targetOperator)}`,
        ),
      },
      ...checkInChart(entry, change),
      ...followUpButtons(entry),
    ],
  };
}

/** DM when a check-in that was waiting in the outbox was finally refused: which key result (when it was read), the value in its format, why. */
export function checkInRejectedNotice(entry: OutboxEntry, reason: string, keyResult?: RejectedKeyResult): { text: string; blocks: KnownBlock[] } {
  const value = formatStoredValue(entry.actual, keyResult?.format);
  const what = keyResult ? `Your check-in of *${escapeMrkdwn(truncate(keyResult.name, 300))}* (${escapeMrkdwn(value)}` : `Your check-in (value ${escapeMrkdwn(value)}`;
  const text = `:no_entry: ${what}, submitted ${slackDay(entry.submittedAt)}) could not be saved in Gtmhub. ${escapeMrkdwn(reason)}`;
  return {
    text: truncate(text, 3000),
    blocks: [
      { type: 'section', text: mrkdwn(text) },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: ACTION.openCheckIn, text: plain('Check in again'), value: entry.metricId, style: 'primary' }],
      },
    ],
  };
}

export function checkInDetailsView(entry: OutboxEntry, snapshot: Snapshot, metric: Metric): ModalView {
  const lines = [
    `*${link(metric.url, metric.name)}*`,
    `*Value:* ${escapeMrkdwn(formatStoredValue(snapshot.value, metric.format))}`,
    `*Confidence:* ${typeof snapshot.confidence === 'number' ? snapshot.confidence : '—'}`,
    `*When:* ${slackDate(new Date(snapshot.checkInDate ?? snapshot.createdAt ?? entry.submittedAt))}`,
    `*Comment:* ${snapshot.comment ? escapeMrkdwn(snapshot.comment) : '—'}`,
  ];
  return {
    type: 'modal',
    title: plain('Check-in', SLACK_LIMITS.modalLabel),
    close: plain('Close', SLACK_LIMITS.modalLabel),
    blocks: [{ type: 'section', text: mrkdwn(lines.join('\n')) }],
  };
}

/**
 * The comment editor of a check-in from its confirmation DM, prefilled from `heldComment`: the
 * comment as Gtmhub holds it now (never the outbox entry's words, which are those first checked in).
 */
export function editCommentView(entry: Pick<OutboxEntry, 'id'>, heldComment: string): ModalView {
  return {
    type: 'modal',
    callback_id: EDIT_COMMENT_MODAL,
    title: plain('Edit comment', SLACK_LIMITS.modalLabel),
    submit: plain('Save', SLACK_LIMITS.modalLabel),
    close: plain('Cancel', SLACK_LIMITS.modalLabel),
    private_metadata: String(entry.id),
    blocks: [
      { type: 'context', elements: [mrkdwn('Only the comment can change; the value stays as checked in.')] },
      {
        type: 'input',
        block_id: EDIT_COMMENT_BLOCK,
        optional: true,
        label: plain('Comment'),
        element: {
          type: 'plain_text_input',
          action_id: EDIT_COMMENT_ACTION,
          multiline: true,
          max_length: MAX_COMMENT_LENGTH,
          initial_value: truncate(ownWords(heldComment), MAX_COMMENT_LENGTH),
        },
      },
    ],
  };
}

export function simpleModal(title: string, text: string): ModalView {
  return { type: 'modal', title: plain(title, SLACK_LIMITS.modalLabel), close: plain('Close', SLACK_LIMITS.modalLabel), blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
