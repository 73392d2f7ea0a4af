/** Reminder schedules and snooze choices in words. */
import { WEEKDAY_NAMES } from '../../../domain/weekdays.js';
import type { SnoozeOption } from '../../../domain/snooze-options.js';
import type { ReminderSchedule } from '../../../services/reminders/schedule.js';

/** 570 → "09:30". */
export function formatTimeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "Mondays at 10:00", "Mon, Wed, Fri at 09:30", "every day at 10:00". */
export function describeSchedule(schedule: ReminderSchedule): string {
  const time = formatTimeOfDay(schedule.minutes);
  if (schedule.days.length === 7) return `every day at ${time}`;
  if (schedule.days.length === 1) return `${WEEKDAY_NAMES[schedule.days[0]!]}s at ${time}`;
  if (schedule.days.join() === '1,2,3,4,5') return `Monday to Friday at ${time}`;
  return `${schedule.days.map((d) => WEEKDAY_NAMES[d]!.slice(0, 3)).join(', ')} at ${time}`;
}

export const SNOOZE_LABELS: Record<SnoozeOption, string> = {
  tomorrow: 'Until tomorrow morning',
  three_days: 'For 3 days',
  next_week: 'Until next week',
};
