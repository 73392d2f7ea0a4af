import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../../src/services/reminders/schedule.js';
import { describeSchedule } from '../../../../src/slack/blocks/format/schedule.js';

const monday10 = parseSchedule('mon 10:00');

describe('schedules in words', () => {
  it('describes a schedule in words', () => {
    expect(describeSchedule(monday10)).toBe('Mondays at 10:00');
    expect(describeSchedule(parseSchedule('mon-fri 09:00'))).toBe('Monday to Friday at 09:00');
    expect(describeSchedule(parseSchedule('mon,thu 09:00'))).toBe('Mon, Thu at 09:00');
  });
});
