import { describe, expect, it } from 'vitest';
import {
  isWorkingTime,
  nextWorkingMoment,
  nextWorkingMorning,
  parseDays,
  parseSchedule,
  parseWorkingTime,
  periodAfter,
  periodAt,
  ScheduleFormatError,
  snoozeUntil,
} from '../../src/services/reminders/schedule.js';
import { zonedInstant } from '../../src/services/zoned-time.js';

const monday10 = parseSchedule('mon 10:00');
const working = parseWorkingTime('08:00-19:00', 'mon-fri');
const iso = (d: Date) => d.toISOString();

describe('parsing schedules and working time', () => {
  it('reads days, ranges and times', () => {
    expect(parseSchedule('mon 10:00')).toEqual({ days: [1], minutes: 600 });
    expect(parseSchedule('Mon,Thu 9:30')).toEqual({ days: [1, 4], minutes: 570 });
    expect(parseSchedule('weekdays 16:05').days).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays('fri-mon')).toEqual([0, 1, 5, 6]);
    expect(parseDays('daily')).toHaveLength(7);
    expect(parseWorkingTime('09:00-17:30', 'mon-thu')).toEqual({ days: [1, 2, 3, 4], startMinutes: 540, endMinutes: 1050 });
  });

  it('refuses what it cannot read, with a reason', () => {
    expect(() => parseSchedule('monday')).toThrow(ScheduleFormatError);
    expect(() => parseSchedule('mon 25:00')).toThrow(/24-hour/);
    expect(() => parseSchedule('moo 10:00')).toThrow(/not a day/);
    expect(() => parseWorkingTime('19:00-08:00', 'mon-fri')).toThrow(/ends before it starts/);
    expect(() => parseWorkingTime('8-19', 'mon-fri')).toThrow(/HH:MM-HH:MM/);
  });
});

describe('periods in the person\'s own time zone', () => {
  const now = new Date('2026-11-30T12:00:00Z');

  it('starts the week at local midnight on Monday and delivers at local 10:00', () => {
    const tokyo = periodAt(now, 'Asia/Tokyo', monday10, working);
    expect(tokyo.key).toBe('2026-11-30');
    expect(iso(tokyo.start)).toBe('2026-11-29T15:00:00.000Z');
    expect(iso(tokyo.deliverAt)).toBe('2026-11-30T01:00:00.000Z');
    expect(iso(tokyo.end)).toBe('2026-12-06T15:00:00.000Z');

    const berlin = periodAt(now, 'Europe/Berlin', monday10, working);
    expect(iso(berlin.deliverAt)).toBe('2026-11-30T09:00:00.000Z');

    // Monday noon UTC is still Monday 04:00 in Los Angeles: the new week there started at 08:00 UTC.
    const la = periodAt(now, 'America/Los_Angeles', monday10, working);
    expect(la.key).toBe('2026-11-30');
    expect(iso(la.deliverAt)).toBe('2026-11-30T18:00:00.000Z');
    // Before LA's midnight, LA is in last week's period.
    expect(periodAt(new Date('2026-11-30T07:59:00Z'), 'America/Los_Angeles', monday10, working).key).toBe('2026-11-23');
  });

  it('has several periods a week when the schedule names several days', () => {
    const twice = parseSchedule('mon,thu 10:00');
    const p = periodAt(new Date('2026-12-02T12:00:00Z'), 'Europe/Berlin', twice, working);
    expect(p.key).toBe('2026-11-30');
    expect(periodAfter(p, 'Europe/Berlin', twice, working).key).toBe('2026-12-03');
  });

  it('keeps local 10:00 across daylight-saving changes', () => {
    // Berlin moves to summer time on Sunday 29 March 2026.
    const before = periodAt(new Date('2026-03-23T12:00:00Z'), 'Europe/Berlin', monday10, working);
    const after = periodAfter(before, 'Europe/Berlin', monday10, working);
    expect(iso(before.deliverAt)).toBe('2026-03-23T09:00:00.000Z');
    expect(iso(after.deliverAt)).toBe('2026-03-30T08:00:00.000Z');
    // A wall time skipped by the change moves forward; a repeated one is the first.
    expect(iso(zonedInstant({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('quiet hours', () => {
  it('sends only on working days within working hours, else at the next working morning', () => {
    const tz = 'Europe/Berlin';
    expect(isWorkingTime(new Date('2026-11-30T07:00:00Z'), tz, working)).toBe(true); // Mon 08:00
    expect(isWorkingTime(new Date('2026-11-30T18:00:00Z'), tz, working)).toBe(false); // Mon 19:00
    expect(iso(nextWorkingMoment(new Date('2026-11-30T05:00:00Z'), tz, working))).toBe('2026-11-30T07:00:00.000Z');
    expect(iso(nextWorkingMoment(new Date('2026-12-04T19:30:00Z'), tz, working))).toBe('2026-12-07T07:00:00.000Z'); // Fri night → Mon
    expect(iso(nextWorkingMoment(new Date('2026-12-05T10:00:00Z'), tz, working))).toBe('2026-12-07T07:00:00.000Z'); // Saturday
    expect(iso(nextWorkingMorning(new Date('2026-12-04T09:00:00Z'), tz, working))).toBe('2026-12-07T07:00:00.000Z'); // Fri → Mon
  });

  it('defers a reminder scheduled outside working hours', () => {
    const early = periodAt(new Date('2026-11-30T12:00:00Z'), 'Europe/Berlin', parseSchedule('mon 06:30'), working);
    expect(iso(early.deliverAt)).toBe('2026-11-30T07:00:00.000Z');
    const saturday = periodAt(new Date('2026-12-05T12:00:00Z'), 'Europe/Berlin', parseSchedule('sat 10:00'), working);
    expect(iso(saturday.deliverAt)).toBe('2026-12-07T07:00:00.000Z');
  });
});

describe('snoozes in local time', () => {
  const tz = 'America/Los_Angeles';
  const wednesday = new Date('2026-12-02T20:00:00Z'); // Wed 12:00 LA

  it('ends tomorrow morning, in three days, or next week, always in working hours', () => {
    expect(iso(snoozeUntil('tomorrow', wednesday, tz, working))).toBe('2026-12-03T16:00:00.000Z'); // Thu 08:00
    expect(iso(snoozeUntil('three_days', wednesday, tz, working))).toBe('2026-12-07T16:00:00.000Z'); // Sat → Mon 08:00
    expect(iso(snoozeUntil('next_week', wednesday, tz, working))).toBe('2026-12-07T16:00:00.000Z');
    const friday = new Date('2026-12-04T20:00:00Z');
    expect(iso(snoozeUntil('tomorrow', friday, tz, working))).toBe('2026-12-07T16:00:00.000Z');
  });
});
