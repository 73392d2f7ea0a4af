/**
 * When a summary subscription runs, in the subscriber's time zone. Pure functions over instants:
 * a period is identified by the local date of its slot ("2026-11-30"), which is the key the store
 * claims exactly once. Only the latest slot that has passed is ever due, so after an outage a
 * subscription posts once, late, instead of once per missed period.
 */
import type { SummaryFrequency } from '../../store/subscription-store.js';
import { isValidTimeZone, localParts, zonedInstant as zonedInstantAtMinutes, type LocalDateTime as LocalTime } from '../zoned-time.js';

export { isValidTimeZone } from '../zoned-time.js';

export const FREQUENCIES: readonly SummaryFrequency[] = ['daily', 'weekly', 'biweekly', 'monthly'];

/** What decides the slots of a subscription. */
export interface Schedule {
  frequency: SummaryFrequency;
  /** ISO weekday 1–7 (weekly, biweekly), day of month 1–31 (monthly), null (daily). */
  day: number | null;
  /** "HH:MM" */
  timeOfDay: string;
  timeZone: string;
  /** Biweekly parity: slots fall in weeks an even number of weeks from this local date. */
  anchorDate: string;
}

export interface Slot {
  /** Local date of the slot, "YYYY-MM-DD": the period key. */
  period: string;
  at: Date;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 24 * 3600_000;
/** Longer than any gap between two slots (monthly on the 31st, clamped). */
const SEARCH_DAYS = 70;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** "mon", "Monday", "tue", "thurs", "weds" … → 1–7 (any prefix of two letters or more). */
export function parseWeekday(text: string): number | null {
  const word = text.trim().toLowerCase().replace(/^weds$/, 'wed');
  if (word.length < 2) return null;
  const index = WEEKDAYS.findIndex((name) => name.startsWith(word));
  return index < 0 ? null : index + 1;
}

/** "9:30", "09:30", "17:05" → "09:30"; null for anything else. */
export function parseTimeOfDay(text: string): string | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return null;
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

/** The wall clock in `timeZone` at `instant`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  return localParts(instant, timeZone);
}

/** The instant at which the wall clock in `timeZone` shows this date and `HH:MM` (a time skipped by DST moves on by the gap). */
export function zonedInstant(date: LocalDate, timeOfDay: string, timeZone: string): Date {
  const [hours = 0, minutes = 0] = timeOfDay.split(':').map(Number);
  return zonedInstantAtMinutes(date, hours * 60 + minutes, timeZone);
}

export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function parseLocalDate(text: string): LocalDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function dayNumber(date: LocalDate): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
}

function fromDayNumber(n: number): LocalDate {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday, 1 = Monday. */
function weekdayOf(n: number): number {
  // Day 0 (1970-01-01) was a Thursday.
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function runsOn(schedule: Schedule, n: number, withParity: boolean): boolean {
  const weekday = weekdayOf(n);
  switch (schedule.frequency) {
    case 'daily':
      return weekday <= 5;
    case 'weekly':
      return weekday === schedule.day;
    case 'biweekly': {
      if (weekday !== schedule.day) return false;
      if (!withParity) return true;
      const anchor = parseLocalDate(schedule.anchorDate);
      if (!anchor) return true;
      const weeks = Math.floor((n - dayNumber(anchor)) / 7);
      return ((weeks % 2) + 2) % 2 === 0;
    }
    case 'monthly': {
      const date = fromDayNumber(n);
      return date.day === Math.min(schedule.day ?? 1, daysInMonth(date.year, date.month));
    }
  }
}

function slotOf(schedule: Schedule, n: number): Slot {
  const date = fromDayNumber(n);
  return { period: formatLocalDate(date), at: zonedInstant(date, schedule.timeOfDay, schedule.timeZone) };
}

/** The latest slot at or before `now`; null only for a schedule that never runs. */
export function latestSlot(schedule: Schedule, now: Date): Slot | null {
  const today = dayNumber(localTime(now, schedule.timeZone));
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    if (!runsOn(schedule, today - i, true)) continue;
    const slot = slotOf(schedule, today - i);
    if (slot.at.getTime() <= now.getTime()) return slot;
  }
  return null;
}

/** The first slot strictly after `after`. */
export function nextSlot(schedule: Schedule, after: Date): Slot | null {
  const today = dayNumber(localTime(after, schedule.timeZone));
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    if (!runsOn(schedule, today + i, true)) continue;
    const slot = slotOf(schedule, today + i);
    if (slot.at.getTime() > after.getTime()) return slot;
  }
  return null;
}

/** The slot before `slot` (the start of its period). */
export function previousSlot(schedule: Schedule, slot: Slot): Slot | null {
  return latestSlot(schedule, new Date(slot.at.getTime() - 1));
}

/** Local date of the first slot at or after `createdAt` ignoring biweekly parity: the anchor to store. */
export function anchorDateFor(schedule: Omit<Schedule, 'anchorDate'>, createdAt: Date): string {
  const full: Schedule = { ...schedule, anchorDate: '' };
  const today = dayNumber(localTime(createdAt, schedule.timeZone));
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    if (!runsOn(full, today + i, false)) continue;
    const slot = slotOf(full, today + i);
    if (slot.at.getTime() >= createdAt.getTime()) return slot.period;
  }
  return formatLocalDate(fromDayNumber(today));
}

/** Nominal length of a period, used when a subscription has no previous slot yet. */
export function nominalPeriodMs(frequency: SummaryFrequency): number {
  switch (frequency) {
    case 'daily':
      return DAY_MS;
    case 'weekly':
      return 7 * DAY_MS;
    case 'biweekly':
      return 14 * DAY_MS;
    case 'monthly':
      return 30 * DAY_MS;
  }
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
}

function weekdayName(day: number | null): string {
  const name = WEEKDAYS[(day ?? 1) - 1] ?? 'monday';
  return name[0]!.toUpperCase() + name.slice(1);
}

/** "every weekday at 09:00", "every other Monday at 09:00", "monthly on the 1st at 09:00" (+ zone). */
export function describeSchedule(schedule: Omit<Schedule, 'anchorDate'>): string {
  const at = `at ${schedule.timeOfDay} (${schedule.timeZone})`;
  switch (schedule.frequency) {
    case 'daily':
      return `every weekday (Mon–Fri) ${at}`;
    case 'weekly':
      return `every ${weekdayName(schedule.day)} ${at}`;
    case 'biweekly':
      return `every other ${weekdayName(schedule.day)} ${at}`;
    case 'monthly':
      return `monthly on the ${ordinal(schedule.day ?? 1)}${(schedule.day ?? 1) > 28 ? ' (or the month’s last day)' : ''} ${at}`;
  }
}

const labelFormats = new Map<string, Intl.DateTimeFormat>();

function dayMonth(date: Date, timeZone: string, withYear: boolean): string {
  const key = `${timeZone}|${withYear}`;
  let format = labelFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone });
    labelFormats.set(key, format);
  }
  return format.format(date);
}

/** "23 Nov – 30 Nov 2026" in the reader's zone. */
export function periodLabel(start: Date, end: Date, timeZone: string): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const sameYear = localTime(start, zone).year === localTime(end, zone).year;
  return `${dayMonth(start, zone, !sameYear)} – ${dayMonth(end, zone, true)}`;
}
