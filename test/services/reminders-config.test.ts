import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'shhh',
  GTMHUB_API_TOKEN: 'token',
  GTMHUB_ACCOUNT_ID: '5be26318e5274a0007f17f61',
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig({ ...valid, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('reminder configuration', () => {
  it('defaults to Mondays 10:00, 08:00–19:00 Monday to Friday, follow-ups on, a tick every 5 minutes', () => {
    const { reminders } = loadConfig(valid);
    expect(reminders).toEqual({
      tick: '0 */5 * * * *',
      defaultSchedule: { days: [1], minutes: 600 },
      working: { days: [1, 2, 3, 4, 5], startMinutes: 480, endMinutes: 1140 },
      followUp: true,
    });
  });

  it('reads every variable', () => {
    const { reminders } = loadConfig({
      ...valid,
      REMINDER_TICK: '*/2 * * * *',
      REMINDER_DEFAULT_SCHEDULE: 'mon,thu 09:30',
      WORKING_HOURS: '09:00-17:00',
      WORKING_DAYS: 'sun-thu',
      REMINDER_FOLLOW_UP: 'off',
    });
    expect(reminders).toEqual({
      tick: '*/2 * * * *',
      defaultSchedule: { days: [1, 4], minutes: 570 },
      working: { days: [0, 1, 2, 3, 4], startMinutes: 540, endMinutes: 1020 },
      followUp: false,
    });
  });

  it('names each invalid variable with an example', () => {
    const text = problems({
      REMINDER_TICK: 'every monday',
      REMINDER_DEFAULT_SCHEDULE: 'monday morning',
      WORKING_HOURS: '19:00-08:00',
      REMINDER_FOLLOW_UP: 'sometimes',
    });
    expect(text).toMatch(/REMINDER_TICK must be a cron expression/);
    expect(text).toMatch(/REMINDER_DEFAULT_SCHEDULE is invalid: .*e\.g\. "mon 10:00"/);
    expect(text).toMatch(/WORKING_HOURS or WORKING_DAYS is invalid: .*ends before it starts/);
    expect(text).toMatch(/REMINDER_FOLLOW_UP must be on or off/);
    expect(problems({ WORKING_DAYS: 'someday' })).toMatch(/WORKING_HOURS or WORKING_DAYS is invalid: "someday" is not a day/);
  });
});
