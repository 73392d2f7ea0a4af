import { describe, expect, it } from 'vitest';
import {
  anchorDateFor,
  describeSchedule,
  latestSlot,
  nextSlot,
  parseTimeOfDay,
  parseWeekday,
  periodLabel,
  previousSlot,
  zonedInstant,
  type Schedule,
} from '../../src/services/summaries/periods.js';
import { parseSubscription } from '../../src/services/summaries/subscriptions.js';

const weekly = (over: Partial<Schedule> = {}): Schedule => ({
  frequency: 'weekly',
  day: 1,
  timeOfDay: '09:00',
  timeZone: 'Europe/Berlin',
  anchorDate: '2026-11-30',
  ...over,
});

describe('time zones', () => {
  it('turns a local wall time into the right instant, across DST', () => {
    expect(zonedInstant({ year: 2026, month: 11, day: 30 }, '09:00', 'Europe/Berlin').toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(zonedInstant({ year: 2026, month: 7, day: 1 }, '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(zonedInstant({ year: 2026, month: 11, day: 30 }, '09:00', 'America/Los_Angeles').toISOString()).toBe('2026-11-30T17:00:00.000Z');
    // 02:30 does not exist on 29 March 2026 in Berlin: it moves on by the gap.
    expect(zonedInstant({ year: 2026, month: 3, day: 29 }, '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('slots', () => {
  it('weekly: the latest Monday 09:00 Berlin that has passed, and the next one', () => {
    const now = new Date('2026-12-02T12:00:00Z'); // Wednesday
    expect(latestSlot(weekly(), now)).toEqual({ period: '2026-11-30', at: new Date('2026-11-30T08:00:00Z') });
    expect(nextSlot(weekly(), now)).toEqual({ period: '2026-12-07', at: new Date('2026-12-07T08:00:00Z') });
    // At 08:59 on Monday the slot of that day has not come yet.
    expect(latestSlot(weekly(), new Date('2026-11-30T07:59:00Z'))?.period).toBe('2026-11-23');
    expect(latestSlot(weekly(), new Date('2026-11-30T08:00:00Z'))?.period).toBe('2026-11-30');
  });

  it('daily runs Monday to Friday', () => {
    const daily = weekly({ frequency: 'daily', day: null });
    expect(latestSlot(daily, new Date('2026-12-05T12:00:00Z'))?.period).toBe('2026-12-04'); // Saturday → Friday
    expect(nextSlot(daily, new Date('2026-12-04T12:00:00Z'))?.period).toBe('2026-12-07'); // Friday → Monday
    expect(previousSlot(daily, { period: '2026-12-07', at: new Date('2026-12-07T08:00:00Z') })?.period).toBe('2026-12-04');
  });

  it('biweekly keeps the parity of its anchor week', () => {
    const biweekly = weekly({ frequency: 'biweekly', anchorDate: '2026-11-30' });
    expect(latestSlot(biweekly, new Date('2026-12-10T12:00:00Z'))?.period).toBe('2026-11-30');
    expect(nextSlot(biweekly, new Date('2026-12-01T00:00:00Z'))?.period).toBe('2026-12-14');
    expect(latestSlot(biweekly, new Date('2026-11-29T12:00:00Z'))?.period).toBe('2026-11-16');
  });

  it('monthly on the 31st falls on the last day of shorter months', () => {
    const monthly = weekly({ frequency: 'monthly', day: 31 });
    expect(latestSlot(monthly, new Date('2027-03-05T12:00:00Z'))?.period).toBe('2027-02-28');
    expect(nextSlot(monthly, new Date('2027-03-05T12:00:00Z'))?.period).toBe('2027-03-31');
  });

  it('anchors at the first slot at or after creation', () => {
    expect(anchorDateFor(weekly(), new Date('2026-11-30T07:00:00Z'))).toBe('2026-11-30');
    expect(anchorDateFor(weekly(), new Date('2026-11-30T09:00:00Z'))).toBe('2026-12-07');
  });
});

describe('parsing and wording', () => {
  it('reads weekdays and times', () => {
    expect(parseWeekday('Mon')).toBe(1);
    expect(parseWeekday('thurs')).toBe(4);
    expect(parseWeekday('weds')).toBe(3);
    expect(parseWeekday('m')).toBeNull();
    expect(parseTimeOfDay('9:05')).toBe('09:05');
    expect(parseTimeOfDay('24:00')).toBeNull();
  });

  it('reads a subscription with defaults and a scope', () => {
    expect(parseSubscription('weekly')).toEqual({ ok: true, frequency: 'weekly', day: 1, timeOfDay: '09:00', scopeText: '' });
    expect(parseSubscription('weekly fri 16:30 goal:"Revenue growth"')).toEqual({
      ok: true,
      frequency: 'weekly',
      day: 5,
      timeOfDay: '16:30',
      scopeText: 'goal:"Revenue growth"',
    });
    expect(parseSubscription('monthly 15th 08:00 mine')).toEqual({ ok: true, frequency: 'monthly', day: 15, timeOfDay: '08:00', scopeText: 'mine' });
    expect(parseSubscription('daily 7:45 team:"Sales"')).toEqual({ ok: true, frequency: 'daily', day: null, timeOfDay: '07:45', scopeText: 'team:"Sales"' });
    expect(parseSubscription('fortnightly tue')).toMatchObject({ ok: true, frequency: 'biweekly', day: 2 });
    expect(parseSubscription('hourly').ok).toBe(false);
    expect(parseSubscription('daily mon').ok).toBe(false);
    expect(parseSubscription('monthly 32').ok).toBe(false);
    expect(parseSubscription('weekly 25:00').ok).toBe(false);
  });

  it('describes schedules and periods', () => {
    expect(describeSchedule(weekly({ frequency: 'biweekly', day: 3 }))).toBe('every other Wednesday at 09:00 (Europe/Berlin)');
    expect(describeSchedule(weekly({ frequency: 'monthly', day: 1 }))).toBe('monthly on the 1st at 09:00 (Europe/Berlin)');
    expect(periodLabel(new Date('2026-11-23T08:00:00Z'), new Date('2026-11-30T08:00:00Z'), 'Europe/Berlin')).toBe('23 Nov – 30 Nov 2026');
    expect(periodLabel(new Date('2026-12-28T08:00:00Z'), new Date('2027-01-04T08:00:00Z'), 'UTC')).toBe('28 Dec 2026 – 4 Jan 2027');
  });
});
