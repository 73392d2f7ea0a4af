/** People's reminder settings: when and whether they are reminded, in their own time zone. */
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { OwnerStore } from '../../store/store.js';
import type { ReminderStore } from '../../store/reminder-store.js';
import { InvalidInputError } from '../errors.js';
import type { SlackDirectory } from '../ports.js';
import { safeTimeZone } from '../zoned-time.js';
import { effectiveSchedule, type ReminderRules } from './planner.js';
import type { EffectiveSettings } from './ports.js';
import { periodAfter, periodAt, type ReminderPeriod } from './schedule.js';

/** What a person's reminders look like now, for the settings modal and the App Home. */
export interface PersonReminderState {
  settings: EffectiveSettings;
  timeZone: string;
  period: ReminderPeriod;
  /** When the next reminder goes out if something is due then (null when reminders are off). */
  nextReminderAt: Date | null;
}

export interface ReminderSettingsServiceOptions {
  store: ReminderStore & Pick<OwnerStore, 'getSlackProfile'>;
  slack: Pick<SlackDirectory, 'timeZoneOf'>;
  clock: Clock;
  logger: Logger;
  rules: ReminderRules;
}

export class ReminderSettingsService {
  constructor(private readonly options: ReminderSettingsServiceOptions) {}

  get rules(): ReminderRules {
    return this.options.rules;
  }

  async stateOf(slackUserId: string): Promise<PersonReminderState> {
    const { store, clock, rules } = this.options;
    const now = clock.now();
    const [row, tzRaw] = await Promise.all([store.getReminderSettings(slackUserId), this.timeZoneOf(slackUserId)]);
    const timeZone = safeTimeZone(tzRaw);
    const { enabled, schedule } = effectiveSchedule(row, rules);
    const period = periodAt(now, timeZone, schedule, rules.working);
    let nextReminderAt: Date | null = null;
    if (enabled) {
      const open = await store.findReminder(slackUserId, period.key);
      nextReminderAt = !open && period.deliverAt > now ? period.deliverAt : periodAfter(period, timeZone, schedule, rules.working).deliverAt;
    }
    return { settings: { enabled, schedule, custom: row !== null }, timeZone, period, nextReminderAt };
  }

  async saveSettings(slackUserId: string, input: { enabled: boolean; days: number[]; minutes: number }): Promise<PersonReminderState> {
    const days = [...new Set(input.days)].filter((d) => Number.isInteger(d) && d >= 0 && d <= 6);
    if (input.enabled && days.length === 0) throw new InvalidInputError('Pick at least one day, or turn reminders off.');
    if (!Number.isInteger(input.minutes) || input.minutes < 0 || input.minutes > 1439) throw new InvalidInputError('Pick a time of day.');
    const now = this.options.clock.now();
    await this.options.store.putReminderSettings({ slackUserId, enabled: input.enabled, days, minutes: input.minutes, updatedAt: now });
    // The new schedule may be due at once: let the next tick look.
    await this.options.store.setNextReminderPass(now, true);
    return this.stateOf(slackUserId);
  }

  private async timeZoneOf(slackUserId: string): Promise<string | null> {
    try {
      return await this.options.slack.timeZoneOf(slackUserId);
    } catch (error) {
      this.options.logger.warn({ err: error, slackUserId }, 'could not read a time zone from Slack; using the cached profile');
      return (await this.options.store.getSlackProfile(slackUserId))?.tz ?? null;
    }
  }
}
