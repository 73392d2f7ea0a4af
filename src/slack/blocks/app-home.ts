import type { HomeView, KnownBlock } from '@slack/types';
import { attainment } from '../../services/progress.js';
import { progressBar } from './format/progress.js';
import { progressWords, valueWithGoal } from './format/goal.js';
import type { HomeKeyResult, HomeModel } from '../../services/reminders/home.js';
import type { ReminderRules } from '../../services/reminders/planner.js';
import { describeSchedule } from './format/schedule.js';
import { localLabel } from './format/local-time.js';
import { ACTION } from '../ids.js';
import { REMINDER_ACTION } from './reminder-message.js';
import { KR_ADMIN_ACTION } from './key-result-admin-ids.js';
import { keyResultMenu } from './key-result-manage.js';
import { describeWorkingTime, nextReminderText } from './reminder-settings-modal.js';
import { escapeMrkdwn, link, mrkdwn, plain, relativeTime, truncate } from './text.js';
import { unmappedText } from './unmapped-message.js';
import { leftOutText } from './format/left-out.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { myKeyResultsTable } from './my-key-results-table.js';

/** A Home tab holds 100 blocks; this many key result rows leave room for headers and settings. */
const MAX_ROWS = 60;

function keyResultRow(row: HomeKeyResult, timeZone: string, now: Date): KnownBlock[] {
  const { metric } = row;
  const fraction = attainment(metric);
  const last = metric.lastCheckInDate ? `last check-in ${relativeTime(new Date(metric.lastCheckInDate), now)}` : 'never checked in';
  const marks = [
    row.due && !row.muted ? ':large_orange_circle: *due for a check-in*' : row.due ? '' : ':white_check_mark: checked in this period',
    row.muted?.kind === 'snooze' ? `:zzz: snoozed until ${localLabel(row.muted.until, timeZone, now)}` : '',
    row.muted?.kind === 'skip' ? ':fast_forward: skipped this period' : '',
    row.dueSoon && metric.dueDate ? `:hourglass: key result due ${relativeTime(new Date(metric.dueDate), now)}` : '',
  ].filter(Boolean);
  const value = valueWithGoal({ actual: metric.actual ?? metric.initialValue ?? 0, target: metric.target, format: metric.format, targetOperator: metric.targetOperator });
  return [
    {
      type: 'section',
      text: mrkdwn(
        `*${link(metric.url, truncate(metric.name, 200))}*\n\`${progressBar(fraction)}\` ${progressWords(fraction, metric.targetOperator)} · ${escapeMrkdwn(value)} · ${last}${marks.length > 0 ? `\n${marks.join(' · ')}` : ''}`,
      ),
    },
    {
      type: 'actions',
      block_id: `kr_row_${metric.id}`,
      elements: [
        { type: 'button', action_id: ACTION.openCheckIn, text: plain('Check in'), value: metric.id, ...(row.due && !row.muted ? { style: 'primary' as const } : {}) },
        keyResultMenu(metric.id),
      ],
    },
  ];
}

/** Rows stop before a Home tab's 100 blocks (two per row, one per objective, one for "more not shown"). */
const HOME_BLOCK_BUDGET = 96;

/** The App Home: reminder settings, then the person's key results with what is due. */
export function appHomeView(model: HomeModel, rules: ReminderRules, now: Date, context: { slackUserId: string; admins: string }): HomeView {
  const { state } = model;
  // Someone kr-checkin cannot match gets the explanation, not reminder settings that cannot apply to them.
  if (model.kind === 'unmapped') {
    return { type: 'home', blocks: [{ type: 'header', text: plain('kr-checkin', SLACK_LIMITS.headerText) }, { type: 'section', text: mrkdwn(unmappedText(model.reason, context.slackUserId, context.admins)) }] };
  }
  const schedule = state.settings.enabled ? `*${describeSchedule(state.settings.schedule)}* (${escapeMrkdwn(state.timeZone)})` : '*off*';
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Check-in reminders', SLACK_LIMITS.headerText) },
    {
      type: 'section',
      text: mrkdwn(`Reminders: ${schedule}. ${nextReminderText(state, now)}`),
      accessory: { type: 'button', action_id: REMINDER_ACTION.settings, text: plain('Change'), value: 'home' },
    },
    { type: 'context', elements: [mrkdwn(`I write only during working hours: ${describeWorkingTime(rules.working)}, your time.`)] },
    { type: 'divider' },
    { type: 'header', text: plain('Your key results', SLACK_LIMITS.headerText) },
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: KR_ADMIN_ACTION.newKeyResult, text: plain('New key result'), value: 'home' },
        { type: 'button', action_id: KR_ADMIN_ACTION.manageObjectives, text: plain('Your objectives'), value: 'home' },
      ],
    },
  ];
  const rows = model.groups.flatMap((g) => g.keyResults);
  const due = rows.filter((r) => r.due && !r.muted).length;
  const notOffered = leftOutText(model.leftOut);
  if (rows.length === 0) {
    blocks.push({ type: 'section', text: mrkdwn('You own no key results that take check-ins right now.') });
    if (notOffered) blocks.push({ type: 'context', elements: [mrkdwn(truncate(notOffered, SLACK_LIMITS.text))] });
    return { type: 'home', blocks };
  }
  blocks.push({
    type: 'context',
    elements: [mrkdwn(due > 0 ? `*${due}* of ${rows.length} due for a check-in this period.` : `All ${rows.length} checked in this period. :tada:`)],
  });
  // Charts are for messages only (chart-types.ts); a Home tab takes the data table.
  const table = myKeyResultsTable(model.groups);
  if (table) blocks.push(table, { type: 'header', text: plain('Check in', SLACK_LIMITS.headerText) });
  let shown = 0;
  for (const group of model.groups) {
    if (shown >= MAX_ROWS || blocks.length + 3 > HOME_BLOCK_BUDGET) break;
    blocks.push({ type: 'section', text: mrkdwn(`:dart: *${escapeMrkdwn(truncate(group.goalName, 200))}*`) });
    for (const row of group.keyResults) {
      if (shown >= MAX_ROWS || blocks.length + 2 > HOME_BLOCK_BUDGET) break;
      blocks.push(...keyResultRow(row, state.timeZone, now));
      shown++;
    }
  }
  if (shown < rows.length) blocks.push({ type: 'context', elements: [mrkdwn(`${rows.length - shown} more not shown — use \`/kr checkin\` to search them.`)] });
  if (notOffered) blocks.push({ type: 'context', elements: [mrkdwn(truncate(notOffered, SLACK_LIMITS.text))] });
  return { type: 'home', blocks };
}
