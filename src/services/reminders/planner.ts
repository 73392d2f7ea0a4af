/**
 * The reminder rules for one person, as a pure function: their key results, settings, mutes and
 * open reminders, and now → what to send, why nothing is sent, and when to look again. No store, no
 * Slack, no clock: the pass (pass.ts) gathers the inputs and carries out the plan.
 */
import type { Metric } from '../../gtmhub/types.js';
import type { Reminder, ReminderMute, ReminderSettings } from '../../store/reminder-store.js';
import { byStalestFirst } from '../key-results.js';
import { isDueIn, isMuteActive } from './due.js';
import {
  isWorkingTime,
  nextWorkingMoment,
  periodAfter,
  periodAt,
  type ReminderPeriod,
  type ReminderSchedule,
  type WorkingTime,
} from './schedule.js';

export interface ReminderRules {
  defaultSchedule: ReminderSchedule;
  working: WorkingTime;
  followUp: boolean;
}

export interface PlannedPerson {
  slackUserId: string;
  gtmhubUserId: string;
  metrics: Map<string, Metric>;
}

export type ReminderJob =
  | { type: 'period'; person: PlannedPerson; tz: string; period: ReminderPeriod; metrics: Metric[]; endedSnoozes: string[] }
  | { type: 'wake'; person: PlannedPerson; tz: string; period: ReminderPeriod; until: Date; metrics: Metric[]; endedSnoozes: string[] }
  | { type: 'follow_up'; person: PlannedPerson; reminder: Reminder; stillDue: Set<string> };

export type SendJob = Extract<ReminderJob, { type: 'period' | 'wake' }>;

/** Why nothing new goes to a person now (the pass report counts each). */
export type NotSentReason = 'off' | 'nothingDue' | 'notYet' | 'quietHours' | 'snoozed' | 'alreadySent';

export interface PersonPlan {
  jobs: ReminderJob[];
  notSent: NotSentReason | null;
  /** Moments when something may become due for this person; the next pass runs at the earliest. */
  lookAgainAt: Date[];
}

export interface PersonInputs {
  person: PlannedPerson;
  /** The person's own settings row; undefined when they never chose (the workspace default applies). */
  settings: ReminderSettings | undefined;
  /** The person's Slack time zone (only read when reminders are on). */
  timeZone: string;
  mutes: ReminderMute[];
  /** The person's open reminder for a period, by period key. */
  openReminder: (periodKey: string) => Reminder | undefined;
}

export function effectiveSchedule(settings: ReminderSettings | null | undefined, rules: ReminderRules): { enabled: boolean; schedule: ReminderSchedule } {
  if (!settings) return { enabled: true, schedule: rules.defaultSchedule };
  const schedule = settings.days.length > 0 ? { days: settings.days, minutes: settings.minutes } : rules.defaultSchedule;
  return { enabled: settings.enabled, schedule };
}

interface Timing {
  period: ReminderPeriod;
  next: ReminderPeriod;
  working: boolean;
  nextWorking: Date;
}

/**
 * Plans every person of one pass at one moment. Everyone in one zone on one schedule shares the
 * same period and working-time moments; Intl is too slow to redo them per person, so they are memoised.
 */
export class ReminderPlanner {
  private readonly timings = new Map<string, Timing>();

  constructor(
    private readonly now: Date,
    private readonly rules: ReminderRules,
  ) {}

  private timingOf(tz: string, schedule: ReminderSchedule): Timing {
    const key = `${tz}|${schedule.days.join(',')}|${schedule.minutes}`;
    let timing = this.timings.get(key);
    if (!timing) {
      const { now, rules } = this;
      const period = periodAt(now, tz, schedule, rules.working);
      timing = {
        period,
        next: periodAfter(period, tz, schedule, rules.working),
        working: isWorkingTime(now, tz, rules.working),
        nextWorking: nextWorkingMoment(now, tz, rules.working),
      };
      this.timings.set(key, timing);
    }
    return timing;
  }

  plan(inputs: PersonInputs): PersonPlan {
    const { now, rules } = this;
    const { person, settings: own, timeZone: tz, mutes } = inputs;
    const lookAgainAt: Date[] = [];
    const result = (notSent: NotSentReason | null, jobs: ReminderJob[] = []): PersonPlan => ({ jobs, notSent, lookAgainAt });
    const { enabled, schedule } = effectiveSchedule(own, rules);
    if (!enabled) return result('off');

    const { period, next, working, nextWorking } = this.timingOf(tz, schedule);
    const due = [...person.metrics.values()].filter((m) => isDueIn(m, period));
    const muted = new Set(mutes.filter((m) => isMuteActive(m, period, now)).map((m) => m.metricId));
    const active = due.filter((m) => !muted.has(m.id));
    const main = inputs.openReminder(period.key);
    lookAgainAt.push(next.deliverAt);

    if (!main || main.status === 'claimed') {
      // A period whose reminder time was already past when the person chose this schedule starts with the next one.
      const chosenLater = !main && own !== undefined && period.deliverAt < own.updatedAt;
      if (due.length === 0) return result('nothingDue');
      if (now < period.deliverAt || chosenLater) {
        lookAgainAt.push(period.deliverAt);
        return result('notYet');
      }
      if (!working) {
        lookAgainAt.push(nextWorking);
        return result('quietHours');
      }
      if (active.length === 0) {
        for (const mute of mutes) if (mute.until && mute.until > now) lookAgainAt.push(mute.until);
        return result('snoozed');
      }
      const endedSnoozes = mutes.filter((m) => m.kind === 'snooze' && m.until && m.until <= now).map((m) => m.metricId);
      return result(null, [{ type: 'period', person, tz, period, metrics: active.sort(byStalestFirst), endedSnoozes }]);
    }

    const jobs: ReminderJob[] = [];
    if (main.status !== 'sent') return result('alreadySent');
    if (rules.followUp && main.followUpAt && main.followUpStatus !== 'sent' && main.followUpStatus !== 'skipped') {
      if (main.followUpAt > now) lookAgainAt.push(main.followUpAt);
      else if (!working) lookAgainAt.push(nextWorking);
      else jobs.push({ type: 'follow_up', person, reminder: main, stillDue: new Set(active.map((m) => m.id)) });
    }
    // Snoozes that ended after this period's reminder went out bring their key results back.
    const dueIds = new Set(due.map((m) => m.id));
    const ended = mutes.filter((m) => m.kind === 'snooze' && m.until && m.until <= now && dueIds.has(m.metricId) && !muted.has(m.metricId));
    const byUntil = new Map<number, Metric[]>();
    for (const mute of ended) {
      const list = byUntil.get(mute.until!.getTime()) ?? [];
      list.push(person.metrics.get(mute.metricId)!);
      byUntil.set(mute.until!.getTime(), list);
    }
    for (const mute of mutes) if (mute.until && mute.until > now) lookAgainAt.push(mute.until);
    if (byUntil.size > 0 && !working) lookAgainAt.push(nextWorking);
    else {
      for (const [until, metrics] of byUntil) {
        jobs.push({ type: 'wake', person, tz, period, until: new Date(until), metrics: metrics.sort(byStalestFirst), endedSnoozes: metrics.map((m) => m.id) });
      }
    }
    return result('alreadySent', jobs);
  }
}
