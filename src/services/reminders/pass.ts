/**
 * One reminder pass. State-based: it reads what is due now from Gtmhub (paged list calls, never
 * one per person) and what was already done from the store, so a late, doubled or crashed pass
 * does the right thing. Every DM is claimed in the store before it is posted (keyed person +
 * period), and its channel and ts are recorded after.
 */
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Metric, User } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { NewReminderClaim, Reminder, ReminderItem, ReminderMute, ReminderSettings, ReminderStore } from '../../store/reminder-store.js';
import type { OwnerStore } from '../../store/store.js';
import type { GtmhubPeople } from '../gtmhub-people.js';
import type { KeyResultService } from '../key-results.js';
import type { OwnerService } from '../owners.js';
import type { DirectorySnapshot, WorkspaceDirectory } from './directory.js';
import { isDueIn, isMuteActive, ownersOf, REMINDER_METRIC_FIELDS, snapshotOf, type MetricOwner } from './due.js';
import { byStalestFirst } from '../key-results.js';
import { mapLimited } from '../bounded.js';
import { RateLimitGate, TimeSlicer } from './pacing.js';
import { SlackPermanentError, type ReminderMessage, type ReminderMessenger, type WorkspaceMember } from './ports.js';
import { emptyReport, MAX_UNMAPPED_KEPT, type ReminderPassReport } from './report.js';
import {
  isWorkingTime,
  nextWorkingMoment,
  nextWorkingMorning,
  periodAfter,
  periodAt,
  type ReminderPeriod,
  type ReminderSchedule,
  type WorkingTime,
} from './schedule.js';
import { safeTimeZone } from '../zoned-time.js';

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
  people: Pick<GtmhubPeople, 'usersByIds'>;
  owners: Pick<OwnerService, 'slackUserFor'>;
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
  | { type: 'period'; person: Person; tz: string; period: ReminderPeriod; metrics: Metric[]; endedSnoozes: string[] }
  | { type: 'wake'; person: Person; tz: string; period: ReminderPeriod; until: Date; metrics: Metric[]; endedSnoozes: string[] }
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
/** People claimed per transaction. */
const CLAIM_BATCH = 25;

type SendJob = Extract<Job, { type: 'period' | 'wake' }>;

type SentEntry = { id: number; claimToken: string; channelId: string; ts: string };

/**
 * Records posted reminders (channel + ts) in small batches: one durable write per batch instead of
 * one fsync per person, at most `maxDelayMs` after the post.
 */
class SentRecorder {
  private queue: Array<{ entry: SentEntry; resolve: (recorded: boolean) => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Pick<ReminderStore, 'markRemindersSent'>,
    private readonly clock: Clock,
    private readonly maxBatch = 25,
    private readonly maxDelayMs = 50,
  ) {}

  record(entry: SentEntry): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (this.queue.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
    });
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0);
    if (batch.length === 0) return;
    try {
      const results = await this.store.markRemindersSent(batch.map((b) => b.entry), this.clock.now());
      batch.forEach((b, i) => b.resolve(results[i] ?? false));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}

export class ReminderPass {
  private readonly gate = new RateLimitGate();
  private readonly slicer = new TimeSlicer();
  private readonly report: ReminderPassReport;
  private readonly now: Date;
  private nextEventAt: number;
  private readonly recorder: SentRecorder;
  private readonly recording: Array<Promise<void>> = [];
  private readonly followUpAtByZone = new Map<string, Date>();

  constructor(
    private readonly deps: ReminderPassDependencies,
    trigger: string,
  ) {
    this.now = deps.clock.now();
    this.report = emptyReport(trigger, this.now);
    this.nextEventAt = this.now.getTime() + deps.tuning.rescanMs;
    this.recorder = new SentRecorder(deps.store, deps.clock);
  }

  async run(): Promise<ReminderPassReport> {
    const started = performance.now();
    const { store } = this.deps;
    try {
      let mark = performance.now();
      const phase = (name: keyof ReminderPassReport['phaseMs']) => {
        const at = performance.now();
        this.report.phaseMs[name] = Math.round(at - mark);
        mark = at;
      };
      // The Slack member list and the Gtmhub scan do not depend on each other.
      const directoryLoad = this.deps.directory.snapshot();
      directoryLoad.catch(() => undefined);
      const owners = await this.scanGtmhub();
      await store.setReminderScanned(this.now);
      phase('gtmhub');
      // Without users.list (a workspace or stand-in that refuses it) owners are looked up one by one.
      const directory = await directoryLoad.catch((error: unknown) => {
        this.deps.logger.warn({ err: error }, 'could not list Slack members; matching owners with users.lookupByEmail');
        return null;
      });
      phase('slackDirectory');
      const people = await this.mapOwners(owners, directory);
      const jobs = await this.plan(people);
      phase('plan');
      await this.attachGoalNames(jobs);
      phase('goalNames');
      await this.runJobs(jobs);
      phase('send');
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
  private async mapOwners(owners: Map<string, { owner: MetricOwner; metrics: Metric[] }>, directory: DirectorySnapshot | null): Promise<Map<string, Person>> {
    const { store } = this.deps;
    // List items may name an owner without an email: one batched users lookup fills them in.
    const withoutEmail = [...owners.values()].filter(({ owner }) => !owner.email).map(({ owner }) => owner.gtmhubUserId);
    const users = withoutEmail.length > 0 ? await this.deps.people.usersByIds(withoutEmail) : new Map<string, User>();
    const people = new Map<string, Person>();
    for (const entry of owners.values()) {
      const user = users.get(entry.owner.gtmhubUserId);
      if (!entry.owner.email && user?.email) {
        entry.owner = { ...entry.owner, email: user.email, name: entry.owner.name ?? ([user.firstName, user.lastName].filter(Boolean).join(' ') || null) };
      }
    }
    for (const { owner, metrics } of owners.values()) {
      await this.slicer.maybeYield();
      const links = await store.findOwnerLinksByGtmhubUser(owner.gtmhubUserId);
      let slackUserId = links.find((l) => l.source === 'manual')?.slackUserId ?? null;
      if (!slackUserId && owner.email && directory) {
        const member = directory.byEmail.get(owner.email.toLowerCase());
        if (member) {
          const link = await store.getOwnerLink(member.slackUserId);
          if (!(link?.source === 'manual' && link.gtmhubUserId !== owner.gtmhubUserId)) slackUserId = member.slackUserId;
        }
      } else if (!slackUserId && owner.email) {
        slackUserId = await this.deps.owners.slackUserFor(owner.gtmhubUserId, owner.email).catch((error: unknown) => {
          this.deps.logger.warn({ err: error, gtmhubUserId: owner.gtmhubUserId }, 'could not look an owner up in Slack');
          return null;
        });
      }
      slackUserId ??= links.find((l) => l.expiresAt && l.expiresAt > this.now)?.slackUserId ?? null;
      if (!slackUserId) {
        this.report.unmappedCount++;
        if (this.report.unmapped.length < MAX_UNMAPPED_KEPT) {
          this.report.unmapped.push({ gtmhubUserId: owner.gtmhubUserId, name: owner.name, email: owner.email, reason: owner.email ? 'no_slack_user' : 'no_email' });
        }
        continue;
      }
      let person = people.get(slackUserId);
      if (!person) {
        person = { slackUserId, gtmhubUserId: owner.gtmhubUserId, member: directory?.byId.get(slackUserId), metrics: new Map() };
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
    // Everyone in one zone on one schedule shares these moments; Intl is too slow to redo them per person.
    const timings = new Map<string, { period: ReminderPeriod; next: ReminderPeriod; working: boolean; nextWorking: Date }>();
    const timingOf = (tz: string, schedule: ReminderSchedule) => {
      const key = `${tz}|${schedule.days.join(',')}|${schedule.minutes}`;
      let timing = timings.get(key);
      if (!timing) {
        const period = periodAt(now, tz, schedule, rules.working);
        timing = {
          period,
          next: periodAfter(period, tz, schedule, rules.working),
          working: isWorkingTime(now, tz, rules.working),
          nextWorking: nextWorkingMoment(now, tz, rules.working),
        };
        timings.set(key, timing);
      }
      return timing;
    };

    for (const person of people.values()) {
      await this.slicer.maybeYield();
      const own = settings.get(person.slackUserId);
      const { enabled, schedule } = effectiveSchedule(own, rules);
      if (!enabled) {
        this.report.off++;
        continue;
      }
      const tz = safeTimeZone(person.member?.tz ?? (await this.deps.directory.timeZoneOf(person.slackUserId)));
      const { period, next, working, nextWorking } = timingOf(tz, schedule);
      const personMutes = mutes.get(person.slackUserId) ?? [];
      const due = [...person.metrics.values()].filter((m) => isDueIn(m, period));
      const muted = new Set(personMutes.filter((m) => isMuteActive(m, period, now)).map((m) => m.metricId));
      const active = due.filter((m) => !muted.has(m.id));
      const main = open.get(`${person.slackUserId}\n${period.key}`);
      this.later(next.deliverAt);

      if (!main || main.status === 'claimed') {
        // A period whose reminder time was already past when the person chose this schedule starts with the next one.
        const chosenLater = !main && own !== undefined && period.deliverAt < own.updatedAt;
        if (due.length === 0) this.report.nothingDue++;
        else if (now < period.deliverAt || chosenLater) {
          this.report.notYet++;
          this.later(period.deliverAt);
        } else if (!working) {
          this.report.quietHours++;
          this.later(nextWorking);
        } else if (active.length === 0) {
          this.report.snoozed++;
          for (const mute of personMutes) if (mute.until && mute.until > now) this.later(mute.until);
        } else {
          const endedSnoozes = personMutes.filter((m) => m.kind === 'snooze' && m.until && m.until <= now).map((m) => m.metricId);
          jobs.push({ type: 'period', person, tz, period, metrics: active.sort(byStalestFirst), endedSnoozes });
        }
        continue;
      }

      this.report.alreadySent++;
      if (main.status !== 'sent') continue;
      if (rules.followUp && main.followUpAt && main.followUpStatus !== 'sent' && main.followUpStatus !== 'skipped') {
        if (main.followUpAt > now) this.later(main.followUpAt);
        else if (!working) this.later(nextWorking);
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
        this.later(nextWorking);
        continue;
      }
      for (const [until, metrics] of byUntil) {
        jobs.push({ type: 'wake', person, tz, period, until: new Date(until), metrics: metrics.sort(byStalestFirst), endedSnoozes: metrics.map((m) => m.id) });
      }
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

  /**
   * Claims a batch of people in one transaction (one durable write instead of one per person),
   * then posts to them with bounded concurrency, recording each post as soon as Slack answers.
   */
  private async runJobs(jobs: Job[]): Promise<void> {
    const { store, clock, tuning } = this.deps;
    const sends = jobs.filter((j): j is SendJob => j.type !== 'follow_up');
    const batch = Math.max(CLAIM_BATCH, tuning.concurrency * 4);
    for (let i = 0; i < sends.length; i += batch) {
      const chunk = sends.slice(i, i + batch);
      const now = clock.now();
      const claims = chunk.map((job) => this.claimFor(job, now));
      const claimed: Array<{ job: SendJob; reminder: Reminder; claim: NewReminderClaim }> = [];
      try {
        const results = await store.claimReminders(claims, now, tuning.claimLeaseMs);
        for (const [k, result] of results.entries()) {
          const job = chunk[k]!;
          if (result.claimed) claimed.push({ job, reminder: result.reminder, claim: claims[k]! });
          else if (result.existing.status === 'claimed') {
            this.report.inProgress++;
            if (result.existing.leaseUntil) this.later(result.existing.leaseUntil);
          } else {
            this.report.alreadySent++;
            if (result.existing.status === 'sent' && job.endedSnoozes.length > 0) await store.deleteEndedSnoozes(job.person.slackUserId, job.endedSnoozes, now);
          }
        }
      } catch (error) {
        this.report.failed += chunk.length;
        this.deps.logger.warn({ err: error, people: chunk.length }, 'could not claim reminders; the next pass tries again');
        this.later(new Date(clock.now().getTime() + 60_000));
        continue;
      }
      await mapLimited(claimed, tuning.concurrency, ({ job, reminder, claim }) => this.safely(job, () => this.post(job, reminder, claim)));
    }
    await this.recorder.flush();
    const failedRecords = (await Promise.allSettled(this.recording)).filter((r) => r.status === 'rejected');
    if (failedRecords.length > 0) {
      this.deps.logger.error({ err: (failedRecords[0] as PromiseRejectedResult).reason, count: failedRecords.length }, 'reminders were posted but could not be recorded; they may be posted again after their claim expires');
    }
    const followUps = jobs.filter((j): j is Extract<Job, { type: 'follow_up' }> => j.type === 'follow_up');
    await mapLimited(followUps, tuning.concurrency, (job) => this.safely(job, () => this.followUp(job)));
  }

  private async safely(job: Job, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.report.failed++;
      this.deps.logger.warn({ err: error, slackUserId: job.person.slackUserId, job: job.type }, 'reminder not sent; the next pass tries again');
      this.later(new Date(this.deps.clock.now().getTime() + 60_000));
    }
  }

  private claimFor(job: SendJob, now: Date): NewReminderClaim {
    const { rules } = this.deps;
    let followUpAt: Date | null = null;
    if (job.type === 'period' && rules.followUp) {
      followUpAt = this.followUpAtByZone.get(job.tz) ?? nextWorkingMorning(now, job.tz, rules.working);
      this.followUpAtByZone.set(job.tz, followUpAt);
    }
    return {
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
  }

  private async post(job: SendJob, reminder: Reminder, claim: NewReminderClaim): Promise<void> {
    const { store, messenger, clock } = this.deps;
    const items: ReminderItem[] = claim.items.map((item) => ({ ...item, reminderId: reminder.id, outcome: null, actedAt: null }));
    const message: ReminderMessage = { reminder, items, now: clock.now() };
    let posted: { channel: string; ts: string };
    try {
      posted = await this.gate.run(() => messenger.postReminder(job.person.slackUserId, message));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof SlackPermanentError) await store.markReminderFailed(reminder.id, reminder.claimToken!, reason);
      else await store.releaseReminderClaim(reminder.id, reminder.claimToken!, reason, clock.now());
      throw error;
    }
    if (job.type === 'period') {
      this.report.sent++;
      if (claim.followUpAt) this.later(claim.followUpAt);
    } else this.report.wakeUpsSent++;
    // The worker goes on to the next person; the record joins the next batch write (within ~50 ms).
    this.recording.push(
      this.recorder.record({ id: reminder.id, claimToken: reminder.claimToken!, channelId: posted.channel, ts: posted.ts }).then(async (recorded) => {
        if (!recorded) this.deps.logger.warn({ reminderId: reminder.id }, 'reminder posted after its claim had expired; another worker may post it too');
        // Snoozes that ended are now covered by this message.
        if (job.endedSnoozes.length > 0) await store.deleteEndedSnoozes(job.person.slackUserId, job.endedSnoozes, clock.now());
      }),
    );
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
