/** Delete confirmation, history, check-in comment editing and the "created" message of the key-result management surfaces. */
import type { KnownBlock, ModalView } from '@slack/types';
import { MAX_COMMENT_LENGTH } from '../../domain/limits.js';
import type { Goal, Metric } from '../../gtmhub/types.js';
import type { HistoryView } from '../../services/key-results-admin/history.js';
import { ACTION } from '../ids.js';
import { goalText, progressWords, valueWithGoal } from './format/goal.js';
import { formatStoredValue, progressBar } from './format/progress.js';
import { KR_ADMIN_ACTION, KR_ADMIN_VIEW, menuValue } from './key-result-admin-ids.js';
import { checkInsOf, keyResultChart, keyResultChartDescription } from './key-result-chart.js';
import { hasDueDate } from '../../gtmhub/types.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { escapeMrkdwn, link, mrkdwn, plain, shortDate, truncate } from './text.js';

export const COMMENT_FIELD = 'comment';

function fraction(metric: Metric): number {
  return typeof metric.attainment === 'number' && Number.isFinite(metric.attainment) ? metric.attainment : 0;
}

/** The overflow menu of a key-result row (App Home, confirmations): Edit, History, Delete. */
export function keyResultMenu(metricId: string) {
  return {
    type: 'overflow' as const,
    action_id: KR_ADMIN_ACTION.menu,
    options: [
      { text: plain('Edit'), value: menuValue('edit', metricId) },
      { text: plain('History'), value: menuValue('history', metricId) },
      { text: plain('Delete'), value: menuValue('delete', metricId) },
    ],
  };
}

export function deleteKeyResultView(keyResult: Metric, objective: Goal): ModalView {
  return {
    type: 'modal',
    callback_id: KR_ADMIN_VIEW.delete,
    private_metadata: keyResult.id,
    title: plain('Delete key result?', SLACK_LIMITS.modalLabel),
    submit: plain('Delete', SLACK_LIMITS.modalLabel),
    close: plain('Keep it', SLACK_LIMITS.modalLabel),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `Delete *${link(keyResult.url, truncate(keyResult.name, 300))}* from the objective *${escapeMrkdwn(truncate(objective.name, 300))}*?\n\nIt is removed from Gtmhub with its check-ins; reminders and summaries stop showing it. This cannot be undone from Slack.`,
        ),
      },
    ],
  };
}

function historyLine(entry: HistoryView['entries'][number], metric: Metric, timeZone: string): string {
  const when = entry.at ? shortDate(new Date(entry.at), timeZone) : 'unknown date';
  const value = entry.value === null ? '—' : formatStoredValue(entry.value, metric.format);
  const confidence = entry.confidence === null ? '' : ` · confidence ${entry.confidence}`;
  const comment = entry.comment ? `\n>${escapeMrkdwn(truncate(entry.comment, 500)).replace(/\n/g, '\n>')}` : '';
  return `*${escapeMrkdwn(value)}* · ${escapeMrkdwn(truncate(entry.by, 80))} · ${escapeMrkdwn(when)}${escapeMrkdwn(confidence)}${comment}`;
}

const finiteOrNull = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The key result's chart in words (issue 16's builder): Slack allows the chart block itself in messages
 * only, not in modals, so the history shows what the chart would show.
 */
function historyChart(keyResult: Metric): KnownBlock[] {
  const start = keyResult.dateCreated ? new Date(keyResult.dateCreated) : null;
  const end = hasDueDate(keyResult.dueDate) ? new Date(keyResult.dueDate) : null;
  const described = keyResultChart({
    name: keyResult.name,
    format: keyResult.format,
    initialValue: finiteOrNull(keyResult.initialValue),
    target: finiteOrNull(keyResult.target),
    checkIns: checkInsOf(keyResult),
    pace: start && end && !Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime()) ? { start, end } : null,
  });
  return described ? [keyResultChartDescription(described)] : [];
}

/** A time zone Intl accepts: the viewer's, else UTC. */
function zoneOf(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

export function historyView(history: HistoryView): ModalView {
  const { keyResult, objective, entries, mayChange } = history;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `*${link(keyResult.url, truncate(keyResult.name, 300))}*\n_${escapeMrkdwn(truncate(objective.name, 300))}_\n\`${progressBar(fraction(keyResult))}\` ${progressWords(fraction(keyResult), keyResult.targetOperator)} · ${escapeMrkdwn(valueWithGoal({ actual: keyResult.actual ?? keyResult.initialValue ?? 0, target: keyResult.target, format: keyResult.format, targetOperator: keyResult.targetOperator }))}`,
      ),
    },
    ...historyChart(keyResult),
    { type: 'actions', elements: [{ type: 'button', action_id: KR_ADMIN_ACTION.nudge, text: plain('Nudge owner'), value: keyResult.id }] },
    { type: 'divider' },
  ];
  if (entries.length === 0) blocks.push({ type: 'section', text: mrkdwn('No check-ins yet.') });
  for (const entry of entries) {
    const section: KnownBlock = { type: 'section', text: mrkdwn(historyLine(entry, keyResult, zoneOf(history.timeZone))) };
    if (mayChange && entry.ref) {
      blocks.push(section, {
        type: 'actions',
        elements: [
          { type: 'button', action_id: KR_ADMIN_ACTION.historyEditComment, text: plain('Edit comment'), value: entry.ref },
          {
            type: 'button',
            action_id: KR_ADMIN_ACTION.historyDelete,
            text: plain('Delete'),
            value: entry.ref,
            style: 'danger',
            confirm: { title: plain('Delete this check-in?'), text: plain('It will be deleted from Gtmhub.'), confirm: plain('Delete'), deny: plain('Keep it') },
          },
        ],
      });
    } else blocks.push(section);
  }
  const note = mayChange
    ? 'Check-ins made from Slack can be edited or deleted here; Gtmhub lets only account admins delete check-ins.'
    : 'Only the key result’s owner, its objective’s owner and kr-checkin admins may change its check-ins.';
  blocks.push({ type: 'context', elements: [mrkdwn(note)] });
  return {
    type: 'modal',
    callback_id: KR_ADMIN_VIEW.history,
    private_metadata: keyResult.id,
    title: plain('Check-in history', SLACK_LIMITS.modalLabel),
    close: plain('Close', SLACK_LIMITS.modalLabel),
    blocks,
  };
}

export function editCheckInCommentView(ref: string, ownWords: string): ModalView {
  return {
    type: 'modal',
    callback_id: KR_ADMIN_VIEW.editCheckInComment,
    private_metadata: ref,
    title: plain('Edit comment', SLACK_LIMITS.modalLabel),
    submit: plain('Save', SLACK_LIMITS.modalLabel),
    close: plain('Cancel', SLACK_LIMITS.modalLabel),
    blocks: [
      {
        type: 'input',
        block_id: COMMENT_FIELD,
        optional: true,
        label: plain('Comment'),
        element: { type: 'plain_text_input', action_id: COMMENT_FIELD, multiline: true, max_length: MAX_COMMENT_LENGTH, ...(ownWords ? { initial_value: ownWords } : {}) },
      },
    ],
  };
}

/** The DM after a key result was created: what it is, with **Check in** and the row menu. */
export function keyResultCreatedMessage(keyResult: Metric, objective: Goal, ownerSlackUserId: string): { text: string; blocks: KnownBlock[] } {
  const text = `Created ${keyResult.name} under ${objective.name}`;
  return {
    text: escapeMrkdwn(truncate(text, 3000)),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:sparkles: Created *${link(keyResult.url, truncate(keyResult.name, 300))}* under _${escapeMrkdwn(truncate(objective.name, 300))}_, owned by <@${ownerSlackUserId}>.\nStarts at ${escapeMrkdwn(formatStoredValue(keyResult.initialValue ?? 0, keyResult.format))}, ${escapeMrkdwn(goalText(keyResult))}.`,
        ),
        accessory: keyResultMenu(keyResult.id),
      },
      { type: 'actions', elements: [{ type: 'button', action_id: ACTION.openCheckIn, text: plain('Check in'), value: keyResult.id, style: 'primary' }] },
    ],
  };
}
