/**
 * Reminder periods in a person's own time zone: their schedule (weekdays + a time), the
 * workspace's working hours, and the moments derived from both (period bounds, delivery, the
 * follow-up morning, snooze ends). Pure functions of (instant, time zone, settings).
 */
import type { SnoozeOption } from '../../domain/snooze-options.js';
import { WEEKDAY_NAMES } from '../../domain/weekdays.js';
import { InvalidInputError } from '../errors.js';
import { addDays, civilKey, localDate, localMinutes, localParts, weekdayOf, zonedInstant, type CivilDate } from '../zoned-time.js';

export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** When a person is reminded: on these weekdays (0 = Sunday) at this minute of the local day. */
export interface ReminderSchedule {
  days: number[];
  minutes: number;
}

/** When the bot may send anything: these weekdays, from `startMinutes` (inclusive) to `endMinutes` (exclusive). */
export interface WorkingTime {
  days: number[];
  startMinutes: number;
  endMinutes: number;
}

/**
 * One reminder period: from local midnight of a scheduled day to local midnight of the next
 * scheduled day. A key result is due when it has no check-in since `start`.
 */
export interface ReminderPeriod {
  /** The scheduled day, `YYYY-MM-DD` in the person's zone: claims are keyed (person, key). */
  key: string;
  start: Date;
  end: Date;
  /** The scheduled moment (the day at the person's time). */
  slotAt: Date;
  /** The first working moment at or after `slotAt`. */
  deliverAt: Date;
}

/** A schedule or time of day that cannot be read (settings, `/kr subscribe`, configuration). */
export class ScheduleFormatError extends InvalidInputError {}

// ── parsing (configuration and settings) ───────────────────────────────────────────────────────

/** "09:30" → 570; null when it is not a 24-hour HH:MM time. */
export function parseTimeOfDay(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

function dayIndex(name: string): number {
  const index = DAY_NAMES.indexOf(name.slice(0, 3).toLowerCase() as (typeof DAY_NAMES)[number]);
  if (index < 0 || !WEEKDAY_NAMES[index]!.toLowerCase().startsWith(name.toLowerCase())) throw new ScheduleFormatError(`"${name}" is not a day of the week`);
  return index;
}

/** "mon-fri", "mon,wed,fri", "daily", "weekdays", "sat-sun" → sorted weekday numbers. */
export function parseDays(text: string): number[] {
  const spec = text.trim().toLowerCase();
  if (spec === 'daily' || spec === 'every day') return [0, 1, 2, 3, 4, 5, 6];
  if (spec === 'weekdays') return [1, 2, 3, 4, 5];
  const days = new Set<number>();
  for (const part of spec.split(',').map((p) => p.trim())) {
    if (!part) throw new ScheduleFormatError(`"${text}" has an empty day`);
    const range = part.split('-').map((p) => p.trim());
    if (range.length === 1) days.add(dayIndex(range[0]!));
    else if (range.length === 2) {
      const from = dayIndex(range[0]!);
      const to = dayIndex(range[1]!);
      for (let day = from; ; day = (day + 1) % 7) {
        days.add(day);
        if (day === to) break;
      }
    } else throw new ScheduleFormatError(`"${part}" is not a day or a range of days`);
  }
  return [...days].sort((a, b) => a - b);
}

/** "mon 10:00", "mon,thu 09:30", "weekdays 16:00". */
export function parseSchedule(text: string): ReminderSchedule {
  const match = /^\s*(.+?)\s+(\d{1,2}:\d{2})\s*$/.exec(text);
  if (!match) throw new ScheduleFormatError(`"${text}" is not "<days> <HH:MM>", e.g. "mon 10:00"`);
  const minutes = parseTimeOfDay(match[2]!);
  if (minutes === null) throw new ScheduleFormatError(`"${match[2]}" is not a 24-hour time`);
  return { days: parseDays(match[1]!), minutes };
}

/** "08:00-19:00" + "mon-fri". */
export function parseWorkingTime(hours: string, days: string): WorkingTime {
  const match = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(hours);
  const start = match ? parseTimeOfDay(match[1]!) : null;
  const end = match ? parseTimeOfDay(match[2]!) : null;
  if (start === null || end === null) throw new ScheduleFormatError(`"${hours}" is not "HH:MM-HH:MM", e.g. "08:00-19:00"`);
  if (end <= start) throw new ScheduleFormatError(`"${hours}" ends before it starts`);
  return { days: parseDays(days), startMinutes: start, endMinutes: end };
}

// ── moments ────────────────────────────────────────────────────────────────────────────────────

/** `instant` itself when it is working time in `timeZone`; otherwise the next working morning. */
export function nextWorkingMoment(instant: Date, timeZone: string, working: WorkingTime): Date {
  const today = localDate(instant, timeZone);
  const minutes = localMinutes(instant, timeZone);
  for (let offset = 0; offset <= 7; offset++) {
    const day = addDays(today, offset);
    if (!working.days.includes(weekdayOf(day))) continue;
    if (offset === 0) {
      if (minutes < working.startMinutes) return zonedInstant(day, working.startMinutes, timeZone);
      if (minutes < working.endMinutes) return instant;
      continue;
    }
    return zonedInstant(day, working.startMinutes, timeZone);
  }
  return instant;
}

export function isWorkingTime(instant: Date, timeZone: string, working: WorkingTime): boolean {
  return nextWorkingMoment(instant, timeZone, working).getTime() === instant.getTime();
}

/** Start of working hours on the first working day after the local day of `instant`. */
export function nextWorkingMorning(instant: Date, timeZone: string, working: WorkingTime): Date {
  const tomorrow = addDays(localDate(instant, timeZone), 1);
  return nextWorkingMoment(zonedInstant(tomorrow, working.startMinutes, timeZone), timeZone, working);
}

function lastScheduledDay(from: CivilDate, schedule: ReminderSchedule): CivilDate {
  for (let back = 0; back < 7; back++) {
    const day = addDays(from, -back);
    if (schedule.days.includes(weekdayOf(day))) return day;
  }
  throw new RangeError('a reminder schedule needs at least one day');
}

function nextScheduledDay(after: CivilDate, schedule: ReminderSchedule): CivilDate {
  for (let forward = 1; forward <= 7; forward++) {
    const day = addDays(after, forward);
    if (schedule.days.includes(weekdayOf(day))) return day;
  }
  throw new RangeError('a reminder schedule needs at least one day');
}

/** The period that contains `now` for someone in `timeZone` on `schedule`. */
export function periodAt(now: Date, timeZone: string, schedule: ReminderSchedule, working: WorkingTime): ReminderPeriod {
  const day = lastScheduledDay(localDate(now, timeZone), schedule);
  const slotAt = zonedInstant(day, schedule.minutes, timeZone);
  return {
    key: civilKey(day),
    start: zonedInstant(day, 0, timeZone),
    end: zonedInstant(nextScheduledDay(day, schedule), 0, timeZone),
    slotAt,
    deliverAt: nextWorkingMoment(slotAt, timeZone, working),
  };
}

/** The period after `period`. */
export function periodAfter(period: ReminderPeriod, timeZone: string, schedule: ReminderSchedule, working: WorkingTime): ReminderPeriod {
  return periodAt(period.end, timeZone, schedule, working);
}

/** When a snoozed key result comes back, in the person's zone, always at the start of working hours. */
export function snoozeUntil(option: SnoozeOption, now: Date, timeZone: string, working: WorkingTime): Date {
  const today = localDate(now, timeZone);
  switch (option) {
    case 'tomorrow':
      return nextWorkingMorning(now, timeZone, working);
    case 'three_days':
      return nextWorkingMoment(zonedInstant(addDays(today, 3), working.startMinutes, timeZone), timeZone, working);
    case 'next_week': {
      const weekday = localParts(now, timeZone).weekday;
      const toMonday = (8 - weekday) % 7 || 7;
      return nextWorkingMoment(zonedInstant(addDays(today, toMonday), working.startMinutes, timeZone), timeZone, working);
    }
  }
}
