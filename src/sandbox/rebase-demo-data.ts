/**
 * The demo data is written around a fixed day (DEMO_BASE_DATE): some due dates next week, some
 * check-ins yesterday. Shifting every date by whole days keeps those relations true on the day the
 * sandbox is first started, whatever that day is.
 */
import { NO_DUE_DATE, type EmulatorData } from '../emulator/gtmhub/index.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const DAY_MS = 24 * 60 * 60 * 1000;

function wholeDaysBetween(from: Date, to: Date): number {
  return Math.round((Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) - Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())) / DAY_MS);
}

function shiftDates(value: unknown, ms: number): unknown {
  if (typeof value === 'string') {
    if (value === NO_DUE_DATE || !ISO_INSTANT.test(value)) return value;
    const at = Date.parse(value);
    return Number.isNaN(at) ? value : new Date(at + ms).toISOString();
  }
  if (Array.isArray(value)) return value.map((item) => shiftDates(item, ms));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shiftDates(item, ms)]));
  }
  return value;
}

/** A copy of `data` whose dates moved by the whole days from `baseDate` to `today`. */
export function rebaseDemoData(data: EmulatorData, baseDate: Date, today: Date): EmulatorData {
  const days = wholeDaysBetween(baseDate, today);
  if (days === 0) return structuredClone(data);
  return shiftDates(data, days * DAY_MS) as EmulatorData;
}
