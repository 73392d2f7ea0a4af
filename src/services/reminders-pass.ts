/**
 * One reminder pass. State-based: it reads what is due now from Gtmhub (paged list calls, never
 * one per person) and what was already done from the store, so a late, doubled or crashed pass
 * does the right thing. Every DM is claimed in the store before it is posted (keyed person +
 * period), and its channel and ts are recorded after.
 */
import type { Clock } from '../clock.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import type { Metric } from '../gtmhub/types.js';
import type { Logger } from '../logger.js';
import type { NewReminderClaim, Reminder, ReminderMute, ReminderSettings, ReminderStore } from '../store/reminder-store.js';
import type { OwnerStore } from '../store/store.js';
import type { KeyResultService } from './key-results.js';
import type { DirectorySnapshot, WorkspaceDirectory } from './reminders-directory.js';
import { byStalestFirst, isDueIn, isMuteActive, ownersOf, REMINDER_METRIC_FIELDS, snapshotOf, type MetricOwner } from './reminders-due.js';
import { forEachBounded, RateLimitGate, TimeSlicer } from './reminders-pacing.js';
import { SlackPermanentError, type ReminderMessage, type ReminderMessenger, type WorkspaceMember } from './reminders-ports.js';
import { emptyReport, type ReminderPassReport } from './reminders-report.js';
import {
  isWorkingTime,
  nextWorkingMoment,
  nextWorkingMorning,
  periodAfter,
  periodAt,
  type ReminderPeriod,
  type ReminderSchedule,
  type WorkingTime,
} from './reminders-schedule.js';
import { safeTimeZone } from './reminders-time.js';

export interface ReminderRules {
  defaultSchedule: ReminderSchedule;
  working: WorkingTime;
  followUp: boolean;
}

export interface ReminderPassTuning {
  /** Slack posts in flight at once. */
  concurrency: number;
  /** How long a claim holds before another worker may take it over (its worker is presumed dead). */
  claimLeaseMs: number;
  /** A tick scans Gtmhub at least this often even when nothing is known to be due (new key results, new people). */
  rescanMs: number;
  pageSize: number;
  /** Finished reminders are kept this long after their period ended. */
  retentionMs: number;
}

export const DEFAULT_TUNING: ReminderPassTuning = {
  concurrency: 4,
  claimLeaseMs: 10 * 60_000,
  rescanMs: 60 * 60_000,
  pageSize: 200,
  retentionMs: 30 * 24 * 60 * 60_000,
};

export interface ReminderPassDependencies {
  gtmhub: Pick<GtmhubClient, 'iterateMetrics' | 'iterateGoals'>;
  store: ReminderStore & Pick<OwnerStore, 'findOwnerLinksByGtmhubUser' | 'getOwnerLink'>;
  keyResults: Pick<KeyResultService, 'closedSessionIds' | 'goalNamesFor' | 'notCheckableReason'>;
  messenger: ReminderMessenger;
  directory: WorkspaceDirectory;
  clock: Clock;
  logger: Logger;
  rules: ReminderRules;
  tuning: ReminderPassTuning;
}

interface Person {
  slackUserId: string;
  gtmhubUserId: string;
  member: WorkspaceMember | undefined;
  metrics: Map<string, Metric>;
}

type Job =
  | { type: 'period'; person: Person; tz: string; period: ReminderPeriod; metrics: Metric[] }
  | { type: 'wake'; person: Person; tz: string; period: ReminderPeriod; until: Date; metrics: Metric[] }
  | { type: 'follow_up'; person: Person; reminder: Reminder; stillDue: Set<string> };

export function effectiveSchedule(settings: ReminderSettings | null | undefined, rules: ReminderRules): { enabled: boolean; schedule: ReminderSchedule } {
  if (!settings) return { enabled: true, schedule: rules.defaultSchedule };
  const schedule = settings.days.length > 0 ? { days: settings.days, minutes: settings.minutes } : rules.defaultSchedule;
  return { enabled: settings.enabled, schedule };
}

export function slotKeyOfWake(periodKey: string, until: Date): string {
  return `${periodKey}/wake/${until.toISOString()}`;
}

const SMALL_GOAL_LOOKUP = 100;

export class ReminderPass {
  private readonly gate = new RateLimitGate();
  private readonly slicer = new TimeSlicer();
  private readonly report: ReminderPassReport;
  private readonly now: Date;
  private nextEventAt: number;

  constructor(
    private readonly deps: ReminderPassDependencies,
    trigger: string,
  ) {
    this.now = deps.clock.now();
    this.report = emptyReport(trigger, this.now);
    this.nextEventAt = this.now.getTime() + deps.tuning.rescanMs;
  }

  async run(): Promise<ReminderPassReport> {
    const started = performance.now();
    const { store } = this.deps;
    try {
      const owners = await this.scanGtmhub();
      await store.setReminderScanned(this.now);
      const directory = await this.deps.directory.snapshot();
      const people = await this.mapOwners(owners, directory);
      const jobs = await this.plan(people);
      await this.attachGoalNames(jobs);
      await forEachBounded(jobs, this.deps.tuning.concurrency, (job) => this.runJob(job));
      await store.pruneReminders(new Date(this.now.getTime() - this.deps.tuning.retentionMs));
    } catch (error) {
      this.report.error = error instanceof Error ? error.message : String(error);
      this.deps.logger.error({ err: error }, 'reminder pass failed; the next tick tries again');
      this.nextEventAt = Math.min(this.nextEventAt, this.now.getTime() + 5 * 60_000);
    }
    this.report.rateLimited = this.gate.stats.rateLimited;
    this.report.rateLimitPausedMs = this.gate.stats.pausedMs;
    this.report.durationMs = Math.round(performance.now() - started);
    this.report.finishedAt = new Date(this.now.getTime() + this.report.durationMs).toISOString();
    await this.scheduleNextPass();
    return this.report;
  }

  /** Metrics that could be due, grouped by owner. Requests: key results / page size. */
  private async scanGtmhub(): Promise<Map<string, { owner: MetricOwner; metrics: Metric[] }>> {
    const { gtmhub, keyResults, tuning } = this.deps;
    const closed = await keyResults.closedSessionIds();
    const byOwner = new Map<string, { owner: MetricOwner; metrics: Metric[] }>();
    for await (const metric of gtmhub.iterateMetrics({ filter: { dynamic: false }, fields: REMINDER_METRIC_FIELDS, sort: 'id', pageSize: tuning.pageSize })) {
      this.report.keyResultsScanned++;
      for (const owner of ownersOf(metric)) {
        if (keyResults.notCheckableReason(metric, owner.gtmhubUserId, closed) !== null) continue;
        let entry = byOwner.get(owner.gtmhubUserId);
        if (!entry) {
          entry = { owner, metrics: [] };
          byOwner.set(owner.gtmhubUserId, entry);
        }
        if (!entry.owner.email && owner.email) entry.owner = owner;
        entry.metrics.push(metric);
      }
      await this.slicer.maybeYield();
    }
    return byOwner;
  }

  /** Gtmhub owner → Slack person: an admin's manual link, else the email in the member list, else a cached match. */
  private async mapOwners(owners: Map<string, { owner: MetricOwner; metrics: Metric[] }>, directory: DirectorySnapshot): Promise<Map<string, Person>> {
    const { store } = this.deps;
    const people = new Map<string, Person>();
    for (const { owner, metrics } of owners.values()) {
      await this.slicer.maybeYield();
      const links = await store.findOwnerLinksByGtmhubUser(owner.gtmhubUserId);
      let slackUserId = links.find((l) => l.source === 'manual')?.slackUserId ?? null;
      if (!slackUserId && owner.email) {
        const member = directory.byEmail.get(owner.email.toLowerCase());
        if (member) {
          const link = await store.getOwnerLink(member.slackUserId);
          if (!(link?.source === 'manual' && link.gtmhubUserId !== owner.gtmhubUserId)) slackUserId = member.slackUserId;
        }
      }
      slackUserId ??= links.find((l) => l.expiresAt && l.expiresAt > this.now)?.slackUserId ?? null;
      if (!slackUserId) {
        this.report.unmapped.push({ gtmhubUserId: owner.gtmhubUserId, name: owner.name, email: owner.email, reason: owner.email ? 'no_slack_user' : 'no_email' });
        continue;
      }
      let person = people.get(slackUserId);
      if (!person) {
        person = { slackUserId, gtmhubUserId: owner.gtmhubUserId, member: directory.byId.get(slackUserId), metrics: new Map() };
        people.set(slackUserId, person);
      }
      for (const metric of metrics) person.metrics.set(metric.id, metric);
    }
    this.report.people = people.size;
    return people;
  }

  /** Decides, per person, what is due now; everything else only moves the next pass time. */
  private async plan(people: Map<string, Person>): Promise<Job[]> {
    const { store, rules } = this.deps;
    const settings = new Map((await store.listReminderSettings()).map((s) => [s.slackUserId, s]));
    const mutes = new Map<string, ReminderMute[]>();
    for (const mute of await store.listReminderMutes()) {
      const list = mutes.get(mute.slackUserId);
      if (list) list.push(mute);
      else mutes.set(mute.slackUserId, [mute]);
    }
    const open = new Map((await store.listOpenReminders(this.now)).map((r) => [`${r.slackUserId}\n${r.slotKey}`, r]));
    const jobs: Job[] = [];
    const now = this.now;

    for (const person of people.values()) {
      await this.slicer.maybeYield();
      const own = settings.get(person.slackUserId);
      const { enabled, schedule } = effectiveSchedule(own, rules);
      if (!enabled) {
        this.report.off++;
        continue;
      }
      const tz = safeTimeZone(person.member?.tz ?? (await this.deps.directory.timeZoneOf(person.slackUserId)));
      const period = periodAt(now, tz, schedule, rules.working);
      const personMutes = mutes.get(person.slackUserId) ?? [];
      const due = [...person.metrics.values()].filter((m) => isDueIn(m, period));
      const muted = new Set(personMutes.filter((m) => isMuteActive(m, period, now)).map((m) => m.metricId));
      const active = due.filter((m) => !muted.has(m.id));
      const working = isWorkingTime(now, tz, rules.working);
      const main = open.get(`${person.slackUserId}\n${period.key}`);
      this.later(periodAfter(period, tz, schedule, rules.working).deliverAt);

      if (!main || main.status === 'claimed') {
        // A period whose reminder time was already past when the person chose this schedule starts with the next one.
        const chosenLater = !main && own !== undefined && period.deliverAt < own.updatedAt;
        if (due.length === 0) this.report.nothingDue++;
        else if (now < period.deliverAt || chosenLater) {
          this.report.notYet++;
          this.later(period.deliverAt);
        } else if (!working) {
          this.report.quietHours++;
          this.later(nextWorkingMoment(now, tz, rules.working));
        } else if (active.length === 0) {
          this.report.snoozed++;
          for (const mute of personMutes) if (mute.until && mute.until > now) this.later(mute.until);
        } else jobs.push({ type: 'period', person, tz, period, metrics: active.sort(byStalestFirst) });
        continue;
      }

      this.report.alreadySent++;
      if (main.status !== 'sent') continue;
      if (rules.followUp && main.followUpAt && main.followUpStatus !== 'sent' && main.followUpStatus !== 'skipped') {
        if (main.followUpAt > now) this.later(main.followUpAt);
        else if (!working) this.later(nextWorkingMoment(now, tz, rules.working));
        else jobs.push({ type: 'follow_up', person, reminder: main, stillDue: new Set(active.map((m) => m.id)) });
      }
      // Snoozes that ended after this period's reminder went out bring their key results back.
      const dueIds = new Set(due.map((m) => m.id));
      const ended = personMutes.filter((m) => m.kind === 'snooze' && m.until && m.until <= now && dueIds.has(m.metricId) && !muted.has(m.metricId));
      const byUntil = new Map<number, Metric[]>();
      for (const mute of ended) {
        const list = byUntil.get(mute.until!.getTime()) ?? [];
        list.push(person.metrics.get(mute.metricId)!);
        byUntil.set(mute.until!.getTime(), list);
      }
      for (const mute of personMutes) if (mute.until && mute.until > now) this.later(mute.until);
      if (byUntil.size === 0) continue;
      if (!working) {
        this.later(nextWorkingMoment(now, tz, rules.working));
        continue;
      }
      for (const [until, metrics] of byUntil) jobs.push({ type: 'wake', person, tz, period, until: new Date(until), metrics: metrics.sort(byStalestFirst) });
    }
    return jobs;
  }

  private goalNames = new Map<string, string>();

  /** Objective names for the rows about to be sent: a lookup by id when few, else one paged walk of goals. */
  private async attachGoalNames(jobs: Job[]): Promise<void> {
    const ids = new Set<string>();
    for (const job of jobs) if (job.type !== 'follow_up') for (const metric of job.metrics) if (!metric.goalName) ids.add(metric.goalId);
    if (ids.size === 0) return;
    if (ids.size <= SMALL_GOAL_LOOKUP) {
      this.goalNames = await this.deps.keyResults.goalNamesFor(ids);
      return;
    }
    try {
      for await (const goal of this.deps.gtmhub.iterateGoals({ fields: 'id,name', sort: 'id', pageSize: 1000 })) {
        if (ids.has(goal.id)) this.goalNames.set(goal.id, goal.name);
        await this.slicer.maybeYield();
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not list objective names; reminders say "Objective"');
    }
  }

  private goalNameOf(metric: Metric): string {
    return (typeof metric.goalName === 'string' && metric.goalName) || this.goalNames.get(metric.goalId) || 'Objective';
  }

  private async runJob(job: Job): Promise<void> {
    try {
      if (job.type === 'follow_up') await this.followUp(job);
      else await this.remind(job);
    } catch (error) {
      this.report.failed++;
      this.deps.logger.warn({ err: error, slackUserId: job.person.slackUserId, job: job.type }, 'reminder not sent; the next pass tries again');
      this.later(new Date(this.deps.clock.now().getTime() + 60_000));
    }
  }

  private async remind(job: Extract<Job, { type: 'period' | 'wake' }>): Promise<void> {
    const { store, messenger, clock, rules, tuning } = this.deps;
    const now = clock.now();
    const followUpAt = job.type === 'period' && rules.followUp ? nextWorkingMorning(now, job.tz, rules.working) : null;
    const claim: NewReminderClaim = {
      slackUserId: job.person.slackUserId,
      gtmhubUserId: job.person.gtmhubUserId,
      slotKey: job.type === 'period' ? job.period.key : slotKeyOfWake(job.period.key, job.until),
      kind: job.type,
      periodKey: job.period.key,
      periodStart: job.period.start,
      periodEnd: job.period.end,
      timeZone: job.tz,
      followUpAt: followUpAt && followUpAt < job.period.end ? followUpAt : null,
      items: job.metrics.map((metric, position) => ({ metricId: metric.id, position, snapshot: snapshotOf(metric, this.goalNameOf(metric), now) })),
    };
    const metricIds = job.metrics.map((m) => m.id);
    const result = await store.claimReminder(claim, now, tuning.claimLeaseMs);
    if (!result.claimed) {
      if (result.existing.status === 'claimed') {
        this.report.inProgress++;
        if (result.existing.leaseUntil) this.later(result.existing.leaseUntil);
      } else this.report.alreadySent++;
      if (result.existing.status === 'sent') await store.deleteEndedSnoozes(job.person.slackUserId, metricIds, now);
      return;
    }
    const reminder = result.reminder;
    const items = await store.listReminderItems(reminder.id);
    const message: ReminderMessage = { reminder, items, now };
    let posted: { channel: string; ts: string };
    try {
      posted = await this.gate.run(() => messenger.postReminder(job.person.slackUserId, message));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof SlackPermanentError) await store.markReminderFailed(reminder.id, reminder.claimToken!, reason);
      else await store.releaseReminderClaim(reminder.id, reminder.claimToken!, reason, clock.now());
      throw error;
    }
    const recorded = await store.markReminderSent(reminder.id, reminder.claimToken!, posted.channel, posted.ts, clock.now());
    if (!recorded) this.deps.logger.warn({ reminderId: reminder.id }, 'reminder posted after its claim had expired; another worker may post it too');
    // Snoozes that ended are now covered by this message.
    await store.deleteEndedSnoozes(job.person.slackUserId, metricIds, now);
    if (job.type === 'period') {
      this.report.sent++;
      if (claim.followUpAt) this.later(claim.followUpAt);
    } else this.report.wakeUpsSent++;
  }

  private async followUp(job: Extract<Job, { type: 'follow_up' }>): Promise<void> {
    const { store, messenger, clock, tuning } = this.deps;
    const { reminder } = job;
    if (!(await store.claimFollowUp(reminder.id, clock.now(), tuning.claimLeaseMs))) return;
    const items = await store.listReminderItems(reminder.id);
    const pending = items.filter((item) => item.outcome === null && job.stillDue.has(item.metricId));
    // Acting on any row, or checking everything in elsewhere, counts as "done something".
    if (items.some((item) => item.outcome !== null) || pending.length === 0 || !reminder.channelId || !reminder.ts) {
      await store.finishFollowUp(reminder.id, 'skipped', null);
      return;
    }
    try {
      const ts = await this.gate.run(() =>
        messenger.postFollowUp(reminder.channelId!, reminder.ts!, {
          reminderId: reminder.id,
          pendingCount: pending.length,
          sentAt: reminder.sentAt ?? reminder.createdAt,
          timeZone: reminder.timeZone,
        }),
      );
      await store.finishFollowUp(reminder.id, 'sent', ts);
      this.report.followUpsSent++;
    } catch (error) {
      if (error instanceof SlackPermanentError) await store.finishFollowUp(reminder.id, 'skipped', null);
      else await store.releaseFollowUp(reminder.id, clock.now());
      throw error;
    }
  }

  private later(at: Date): void {
    const t = at.getTime();
    if (t > this.now.getTime() && t < this.nextEventAt) this.nextEventAt = t;
  }

  /** The earliest moment something can become due; a tick before it (and before the rescan) does nothing. */
  private async scheduleNextPass(): Promise<void> {
    const { store } = this.deps;
    try {
      const state = await store.getReminderPassState();
      // A settings change or snooze during this pass asked for an earlier pass: keep the earlier.
      const requested = state.nextPassAt && state.nextPassAt > this.now ? state.nextPassAt.getTime() : Infinity;
      const next = new Date(Math.min(this.nextEventAt, requested));
      await store.setNextReminderPass(next, false);
      this.report.nextPassAt = next.toISOString();
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not record the next reminder pass time');
    }
  }
}
