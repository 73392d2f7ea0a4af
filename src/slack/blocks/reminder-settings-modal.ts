import type { KnownBlock, ModalView } from '@slack/types';
import type { PersonReminderState } from '../../services/reminders/settings.js';
import type { ReminderRules } from '../../services/reminders/planner.js';
import { WEEKDAY_NAMES } from '../../domain/weekdays.js';
import type { WorkingTime } from '../../services/reminders/schedule.js';
import { describeSchedule, formatTimeOfDay } from './format/schedule.js';
import { localLabel } from './format/local-time.js';
import { escapeMrkdwn, mrkdwn, plain } from './text.js';
import { SLACK_LIMITS } from './slack-limits.js';

export const REMINDER_SETTINGS_MODAL = 'reminder_settings_modal';

export const SETTINGS_BLOCK = { enabled: 'reminders_enabled', days: 'reminder_days', time: 'reminder_time' } as const;
export const SETTINGS_ACTION = { enabled: 'reminders_enabled_input', days: 'reminder_days_input', time: 'reminder_time_input' } as const;

/** Monday first, the way calendars in most workspaces show a week. */
const WEEK = [1, 2, 3, 4, 5, 6, 0];

function dayOption(day: number) {
  return { text: plain(WEEKDAY_NAMES[day]!), value: String(day) };
}

export function describeWorkingTime(working: WorkingTime): string {
  const days = working.days.length === 7 ? 'every day' : working.days.join() === '1,2,3,4,5' ? 'Monday to Friday' : working.days.map((d) => WEEKDAY_NAMES[d]!.slice(0, 3)).join(', ');
  return `${formatTimeOfDay(working.startMinutes)}–${formatTimeOfDay(working.endMinutes)}, ${days}`;
}

export function nextReminderText(state: PersonReminderState, now: Date): string {
  if (!state.settings.enabled) return 'Reminders are off.';
  if (!state.nextReminderAt) return '';
  return `Next reminder: *${localLabel(state.nextReminderAt, state.timeZone, now)}* (if something is due then).`;
}

/** `/kr remind`, the reminder's Settings button and the App Home open this. */
export function reminderSettingsModal(state: PersonReminderState, rules: ReminderRules, now: Date): ModalView {
  const { settings } = state;
  const enabledOptions = [
    { text: plain('Remind me'), value: 'on' },
    { text: plain('No reminders'), value: 'off' },
  ];
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `I send you one DM per period listing your key results that have no check-in since it started. ${settings.custom ? 'Your schedule' : 'The workspace default'}: *${describeSchedule(settings.schedule)}*.`,
      ),
    },
    {
      type: 'input',
      block_id: SETTINGS_BLOCK.enabled,
      label: plain('Reminders'),
      element: {
        type: 'radio_buttons',
        action_id: SETTINGS_ACTION.enabled,
        options: enabledOptions,
        initial_option: settings.enabled ? enabledOptions[0]! : enabledOptions[1]!,
      },
    },
    {
      type: 'input',
      block_id: SETTINGS_BLOCK.days,
      label: plain('On these days'),
      hint: plain('Kept while reminders are off, for when you turn them back on.'),
      element: {
        type: 'checkboxes',
        action_id: SETTINGS_ACTION.days,
        options: WEEK.map(dayOption),
        ...(settings.schedule.days.length > 0 ? { initial_options: WEEK.filter((d) => settings.schedule.days.includes(d)).map(dayOption) } : {}),
      },
    },
    {
      type: 'input',
      block_id: SETTINGS_BLOCK.time,
      label: plain('At'),
      element: { type: 'timepicker', action_id: SETTINGS_ACTION.time, initial_time: formatTimeOfDay(settings.schedule.minutes) },
    },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `Times are in your Slack time zone (${escapeMrkdwn(state.timeZone)}). I only write during working hours (${describeWorkingTime(rules.working)}); a reminder that falls outside waits for the next working morning. ${nextReminderText(state, now)}`,
        ),
      ],
    },
  ];
  return {
    type: 'modal',
    callback_id: REMINDER_SETTINGS_MODAL,
    title: plain('Reminder settings', SLACK_LIMITS.modalLabel),
    submit: plain('Save', SLACK_LIMITS.modalLabel),
    close: plain('Cancel', SLACK_LIMITS.modalLabel),
    blocks,
  };
}

export function settingsSavedModal(state: PersonReminderState, now: Date): ModalView {
  const what = state.settings.enabled ? `I will remind you *${describeSchedule(state.settings.schedule)}* (${escapeMrkdwn(state.timeZone)}).` : 'You will get no reminder DMs.';
  return {
    type: 'modal',
    title: plain('Reminder settings', SLACK_LIMITS.modalLabel),
    close: plain('Done', SLACK_LIMITS.modalLabel),
    blocks: [{ type: 'section', text: mrkdwn(`:white_check_mark: Saved. ${what} ${nextReminderText(state, now)}`) }],
  };
}
