import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { keyResultMenu } from './key-result-manage.js';
import { attainment } from '../../services/progress.js';
import { formatStoredValue, progressBar } from './format/progress.js';
import { progressWords, valueWithGoal } from './format/goal.js';
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
  /** Undo a snooze or a skip from the row (value = rowValue). */
  undoMute: 'reminder_undo_mute',
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
  const value = valueWithGoal({ actual: s.actual, target: s.target, format, targetOperator: s.targetOperator });
  const confidence = s.confidence ? ` · confidence ${escapeMrkdwn(truncate(s.confidence, 40))}` : '';
  return `\`${progressBar(fraction)}\` ${progressWords(fraction, s.targetOperator)} · ${escapeMrkdwn(value)}${confidence}`;
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
      const from = outcome.from === null ? '—' : formatStoredValue(outcome.from, format);
      const text = `Checked in ${escapeMrkdwn(from)} → *${escapeMrkdwn(formatStoredValue(outcome.to, format))}*`;
      return outcome.pending ? `:hourglass_flowing_sand: ${text} — waiting for Gtmhub; it will be recorded` : `:white_check_mark: ${text}`;
    }
    case 'no_change':
      return outcome.pending
        ? ':hourglass_flowing_sand: No change — waiting for Gtmhub; it will be recorded'
        : `:white_check_mark: No change (${escapeMrkdwn(formatStoredValue(outcome.value, format))})`;
    case 'snoozed':
      return `:zzz: Snoozed until ${localLabel(new Date(outcome.until), timeZone, now)}`;
    case 'skipped':
      return ':fast_forward: Skipped this period';
    case 'already_checked_in': {
      const by = outcome.by ? ` by ${escapeMrkdwn(truncate(outcome.by, 80))}` : '';
      const when = outcome.at ? localLabel(new Date(outcome.at), timeZone, now) : '';
      const at = !when ? '' : by ? `, ${when}` : ` (${when})`;
      return `:ballot_box_with_check: Already checked in${by}${at}`;
    }
    case 'not_checkable':
      return `:no_entry_sign: Not checked in: ${escapeMrkdwn(truncate(outcome.reason, 300))}`;
  }
}

/**
 * The row's key result as it is now. After a check-in that landed its details are the check-in's:
 * the new value, its date (when it was recorded; for outcomes stored without one, when the row was
 * acted on) and its confidence — left out when the check-in recorded none, never the stale one.
 * A check-in still waiting for Gtmhub changes only the value it shows (Gtmhub has the rest as before).
 */
function currentSnapshot(item: ReminderItem): ReminderItemSnapshot {
  const { outcome, snapshot } = item;
  if (outcome?.kind !== 'checked_in' && outcome?.kind !== 'no_change' && outcome?.kind !== 'already_checked_in') return snapshot;
  if (outcome.kind === 'already_checked_in') {
    // Checked in elsewhere: what the check-in recorded, as far as the outcome knows it.
    const current: ReminderItemSnapshot = { ...snapshot, ...(outcome.at ? { lastCheckInDate: outcome.at } : {}) };
    if (outcome.value !== undefined) current.actual = outcome.value;
    if (outcome.confidence !== undefined) current.confidence = outcome.confidence;
    return current;
  }
  const actual = outcome.kind === 'checked_in' ? outcome.to : outcome.value;
  if (outcome.pending) return { ...snapshot, actual };
  const at = outcome.at ?? item.actedAt?.toISOString() ?? snapshot.lastCheckInDate;
  return { ...snapshot, actual, lastCheckInDate: at, confidence: outcome.confidence ?? null };
}

function rowBlocks(reminderId: number, item: ReminderItem, timeZone: string, now: Date): KnownBlock[] {
  const s = currentSnapshot(item);
  const soon = s.dueSoon && s.dueDate ? ` · :hourglass: *due ${relativeTime(new Date(s.dueDate), now)}*` : '';
  const lines = [
    `*${link(s.url ?? undefined, truncate(s.name, 200))}*  _${escapeMrkdwn(truncate(s.goalName, 150))}_`,
    `${valueLine(s)} · ${lastCheckIn(s, now)}${soon}`,
  ];
  if (item.outcome) lines.push(outcomeText(item.outcome, s, timeZone, now));
  const section: SectionBlock = { type: 'section', block_id: `row_${item.position}`, text: mrkdwn(lines.join('\n')) };
  if (item.outcome?.kind === 'snoozed' || item.outcome?.kind === 'skipped') {
    section.accessory = { type: 'button', action_id: REMINDER_ACTION.undoMute, text: plain(item.outcome.kind === 'snoozed' ? 'Undo snooze' : 'Undo skip'), value: rowValue(reminderId, item.metricId) };
    return [section];
  }
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

/** What became of the rows that are done, each kind counted apart: "2 checked in, 1 snoozed". */
export function doneCounts(items: ReminderItem[]): string {
  const counts = new Map<string, number>();
  const word = (outcome: NonNullable<ReminderItem['outcome']>): string => {
    switch (outcome.kind) {
      case 'checked_in':
      case 'no_change':
      case 'already_checked_in':
        return 'checked in';
      case 'snoozed':
        return 'snoozed';
      case 'skipped':
        return 'skipped';
      case 'not_checkable':
        return 'not checkable';
    }
  };
  for (const item of items) if (item.outcome) counts.set(word(item.outcome), (counts.get(word(item.outcome)) ?? 0) + 1);
  return [...counts].map(([what, n]) => `${n} ${what}`).join(', ');
}

function greeting(message: ReminderMessage, open: number, total: number): string {
  const { reminder, items } = message;
  const tz = safeTimeZone(reminder.timeZone);
  if (open === 0) return `:white_check_mark: *All done — thank you!* Every key result in this reminder is taken care of (${doneCounts(items)}).`;
  const count = `${open} key result${open === 1 ? '' : 's'}`;
  const are = open === 1 ? 'is' : 'are';
  const done = open === total ? '' : ` (${doneCounts(items)})`;
  if (reminder.kind === 'wake') return `:alarm_clock: Snoozed key results are back: *${count} ${are} due for a check-in*${done}.`;
  const since = dayLabel(reminder.periodStart, tz);
  return `:wave: *${count} ${are}${open === total ? '' : ' still'} due for a check-in* since ${since}${done}.`;
}

/** Slack allows 25 elements in an actions block. */
const MAX_UNDO_BUTTONS = 20;

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
    // A snooze or a skip stays undoable when it was the last thing done.
    const muted = items.filter((i) => i.outcome?.kind === 'snoozed' || i.outcome?.kind === 'skipped').slice(0, MAX_UNDO_BUTTONS);
    // One block each: an action_id is unique within its block.
    for (const i of muted) {
      blocks.push({
        type: 'actions',
        block_id: `undo_${i.position}`,
        elements: [{ type: 'button', action_id: REMINDER_ACTION.undoMute, text: plain(`Undo ${i.outcome!.kind === 'snoozed' ? 'snooze' : 'skip'}: ${truncate(i.snapshot.name, 40)}`), value: rowValue(reminder.id, i.metricId) }],
      });
    }
    return { text: `All done — every key result in this reminder is taken care of (${doneCounts(items)}).`, blocks };
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
