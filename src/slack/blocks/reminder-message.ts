import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { keyResultMenu } from './key-result-manage.js';
import { attainment } from '../../services/progress.js';
import { formatPercent, formatValue, progressBar } from './format/progress.js';
import type { FollowUpMessage, ReminderMessage } from '../../services/reminders/ports.js';
import { ROWS_PER_MESSAGE } from '../../domain/limits.js';
import { SNOOZE_OPTIONS, type SnoozeOption } from '../../domain/snooze-options.js';
import { SNOOZE_LABELS } from './format/schedule.js';
import { localLabel } from './format/local-time.js';
import { safeTimeZone } from '../../services/zoned-time.js';
import type { ReminderItem, ReminderItemSnapshot, ReminderOutcome } from '../../store/reminder-store.js';
import { ACTION } from '../ids.js';
import { escapeMrkdwn, link, mrkdwn, plain, relativeTime, truncate } from './text.js';
import { SLACK_LIMITS } from './slack-limits.js';

/** action_ids of the reminder DM (the "Check in" button reuses ACTION.openCheckIn, value = metric id). */
export const REMINDER_ACTION = {
  noChange: 'reminder_no_change',
  snooze: 'reminder_snooze',
  skip: 'reminder_skip',
  noChangeForAll: 'reminder_no_change_all',
  settings: 'reminder_settings',
  nextPage: 'reminder_next_page',
} as const;

/** Button values carry ids only: `<reminder id>:<metric id>` (a snooze option adds `:<option>`). */
export function rowValue(reminderId: number, metricId: string, option?: SnoozeOption): string {
  return option ? `${reminderId}:${metricId}:${option}` : `${reminderId}:${metricId}`;
}

export function parseRowValue(value: string | undefined): { reminderId: number; metricId: string; option: SnoozeOption | null } | null {
  const match = /^(\d{1,15}):([0-9a-f]{24})(?::([a-z_]+))?$/i.exec(value ?? '');
  if (!match) return null;
  const option = (match[3] ?? null) as SnoozeOption | null;
  if (option !== null && !SNOOZE_OPTIONS.includes(option)) return null;
  return { reminderId: Number(match[1]), metricId: match[2]!, option };
}

export function parseReminderId(value: string | undefined): number | null {
  return /^\d{1,15}$/.test(value ?? '') ? Number(value) : null;
}

function valueLine(s: ReminderItemSnapshot): string {
  const format = s.format ?? undefined;
  const fraction = attainment({ initialValue: s.initialValue, target: s.target, actual: s.actual, targetOperator: s.targetOperator });
  const current = s.actual === null ? '—' : formatValue(s.actual, format);
  const target = s.target === null ? '—' : formatValue(s.target, format);
  return `\`${progressBar(fraction)}\` ${formatPercent(fraction)} · ${escapeMrkdwn(current)} of ${escapeMrkdwn(target)}`;
}

function lastCheckIn(s: ReminderItemSnapshot, now: Date): string {
  if (!s.lastCheckInDate) return 'never checked in';
  const at = new Date(s.lastCheckInDate);
  return Number.isNaN(at.getTime()) ? 'never checked in' : `last check-in ${relativeTime(at, now)}`;
}

export function outcomeText(outcome: ReminderOutcome, snapshot: ReminderItemSnapshot, timeZone: string, now: Date): string {
  const format = snapshot.format ?? undefined;
  switch (outcome.kind) {
    case 'checked_in': {
      const from = outcome.from === null ? '—' : formatValue(outcome.from, format);
      const text = `Checked in ${escapeMrkdwn(from)} → *${escapeMrkdwn(formatValue(outcome.to, format))}*`;
      return outcome.pending ? `:hourglass_flowing_sand: ${text} — waiting for Gtmhub; it will be recorded` : `:white_check_mark: ${text}`;
    }
    case 'no_change':
      return outcome.pending
        ? ':hourglass_flowing_sand: No change — waiting for Gtmhub; it will be recorded'
        : `:white_check_mark: No change (${escapeMrkdwn(formatValue(outcome.value, format))})`;
    case 'snoozed':
      return `:zzz: Snoozed until ${localLabel(new Date(outcome.until), timeZone, now)}`;
    case 'skipped':
      return ':fast_forward: Skipped this period';
    case 'already_checked_in':
      return outcome.at
        ? `:ballot_box_with_check: Already checked in (${localLabel(new Date(outcome.at), timeZone, now)})`
        : ':ballot_box_with_check: Already checked in';
    case 'not_checkable':
      return `:no_entry_sign: Not checked in: ${escapeMrkdwn(truncate(outcome.reason, 300))}`;
  }
}

function rowBlocks(reminderId: number, item: ReminderItem, timeZone: string, now: Date): KnownBlock[] {
  const s = item.snapshot;
  const soon = s.dueSoon && s.dueDate ? ` · :hourglass: *due ${relativeTime(new Date(s.dueDate), now)}*` : '';
  const lines = [
    `*${link(s.url ?? undefined, truncate(s.name, 200))}*  _${escapeMrkdwn(truncate(s.goalName, 150))}_`,
    `${valueLine(s)} · ${lastCheckIn(s, now)}${soon}`,
  ];
  if (item.outcome) lines.push(outcomeText(item.outcome, s, timeZone, now));
  const section: SectionBlock = { type: 'section', block_id: `row_${item.position}`, text: mrkdwn(lines.join('\n')) };
  if (item.outcome) return [section];
  const value = rowValue(reminderId, item.metricId);
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: `row_actions_${item.position}`,
    elements: [
      { type: 'button', action_id: ACTION.openCheckIn, text: plain('Check in'), value: item.metricId, style: 'primary' },
      { type: 'button', action_id: REMINDER_ACTION.noChange, text: plain('No change'), value },
      {
        type: 'static_select',
        action_id: REMINDER_ACTION.snooze,
        placeholder: plain('Snooze'),
        options: SNOOZE_OPTIONS.map((option) => ({ text: plain(SNOOZE_LABELS[option]), value: rowValue(reminderId, item.metricId, option) })),
      },
      { type: 'button', action_id: REMINDER_ACTION.skip, text: plain('Skip'), value },
      keyResultMenu(item.metricId),
    ],
  };
  return [section, actions];
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "Mon 30 Nov" in the person's zone (formatters are costly to build; a pass renders thousands). */
function dayLabel(date: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone });
    dayFormats.set(timeZone, format);
  }
  return format.format(date).replace(',', '');
}

function greeting(message: ReminderMessage, open: number, total: number): string {
  const { reminder, now } = message;
  const tz = safeTimeZone(reminder.timeZone);
  if (open === 0) return ':white_check_mark: *All done — thank you!* Every key result in this reminder is taken care of.';
  const count = `${open} key result${open === 1 ? '' : 's'}`;
  if (reminder.kind === 'wake') return `:alarm_clock: Snoozed key results are back: *${count}* still need${open === 1 ? 's' : ''} a check-in.`;
  const since = dayLabel(reminder.periodStart, tz);
  return open === total
    ? `:wave: Time for a check-in: *${count}* had no check-in since ${since}.`
    : `:wave: Time for a check-in: *${count}* still had no check-in since ${since} (${total - open} done).`;
}

/** The reminder DM: one row per key result (stalest first), paged when they do not fit one message. */
export function reminderMessage(message: ReminderMessage): { text: string; blocks: KnownBlock[] } {
  const { reminder, items, now } = message;
  const tz = safeTimeZone(reminder.timeZone);
  const open = items.filter((i) => i.outcome === null).length;
  const total = items.length;
  const head = greeting(message, open, total);
  const blocks: KnownBlock[] = [{ type: 'section', block_id: 'greeting', text: mrkdwn(head) }];
  if (open === 0) {
    blocks.push({ type: 'context', elements: [mrkdwn(items.map((i) => `${escapeMrkdwn(truncate(i.snapshot.name, 60))}: ${i.outcome ? outcomeText(i.outcome, i.snapshot, tz, now) : ''}`).join('\n'), SLACK_LIMITS.text)] });
    return { text: 'All done — every key result in this reminder is taken care of.', blocks };
  }

  const offset = reminder.pageOffset < total ? reminder.pageOffset : 0;
  const page = items.slice(offset, offset + ROWS_PER_MESSAGE);
  for (const item of page) blocks.push(...rowBlocks(reminder.id, item, tz, now));

  const footer: ActionsBlock = { type: 'actions', block_id: 'reminder_footer', elements: [] };
  if (total > ROWS_PER_MESSAGE) {
    const end = offset + page.length;
    blocks.push({ type: 'context', elements: [mrkdwn(`Showing ${offset + 1}–${end} of ${total}, stalest first.`)] });
    footer.elements.push({
      type: 'button',
      action_id: REMINDER_ACTION.nextPage,
      text: plain(end < total ? `Show the next ${Math.min(ROWS_PER_MESSAGE, total - end)}` : 'Back to the first'),
      value: String(reminder.id),
    });
  }
  // With one row left its own No change says it all.
  if (open > 1) {
    footer.elements.unshift({
      type: 'button',
      action_id: REMINDER_ACTION.noChangeForAll,
      text: plain(`No change for all ${open}`),
      value: String(reminder.id),
      confirm: {
        title: plain('No change for all?'),
        text: plain(`This checks in the current value of ${open} key results in Gtmhub.`),
        confirm: plain('Check them in'),
        deny: plain('Cancel'),
      },
    });
  }
  footer.elements.push({ type: 'button', action_id: REMINDER_ACTION.settings, text: plain('Settings'), value: String(reminder.id) });
  blocks.push(footer);
  return { text: truncate(head.replace(/[*_]/g, ''), 300), blocks };
}

export function followUpMessage(message: FollowUpMessage): { text: string; blocks: KnownBlock[] } {
  const n = message.pendingCount;
  const text = `:wave: A gentle nudge: ${n} key result${n === 1 ? '' : 's'} from this reminder still ${n === 1 ? 'waits' : 'wait'} for a check-in. The buttons above still work.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
