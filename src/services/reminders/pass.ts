/**
 * One reminder pass, as a short orchestrator. State-based: it reads what is due now from Gtmhub
 * (paged list calls, never one per person) and what was already done from the store, so a late,
 * doubled or crashed pass does the right thing. Key results stream in sorted by owner; each batch
 * of owners whose key results are complete (owner-batches.ts) is matched to Slack people (people
 * service), planned (planner.ts, pure), given objective names and claimed and posted (sender.ts)
 * while the next pages are read → when to look again.
 */
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Metric } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { Reminder, ReminderMute, ReminderSettings, ReminderStore } from '../../store/reminder-store.js';
import { objectiveIsActive, type KeyResultService } from '../key-results.js';
import { ownersOf } from '../people/metric-owners.js';
import type { PeopleService } from '../people/people-service.js';
import type { SlackDirectory } from '../ports.js';
import { safeTimeZone } from '../zoned-time.js';
import { REMINDER_METRIC_FIELDS } from './due.js';
import { confidenceLabel } from '../../domain/confidence-levels.js';
import { DEFAULT_CONFIDENCE_SCALE } from '../../gtmhub/confidence-scale.js';
import type { ConfidenceScaleService } from '../confidence-scale.js';
import { OwnerBatches, type OwnerGroup } from './owner-batches.js';
import { RateLimitGate, TimeSlicer } from './pacing.js';
import { ReadAhead } from './read-ahead.js';
import { effectiveSchedule, ReminderPlanner, type PlannedPerson, type ReminderJob, type ReminderRules } from './planner.js';
import type { ReminderMessenger } from './ports.js';
import { emptyReport, MAX_UNMAPPED_KEPT, type ReminderPassReport } from './report.js';
import { ReminderSender } from './sender.js';

/** Owners matched, planned and sent together; two batches at most are on their way at once. */
const OWNERS_PER_BATCH = 100;

/** What the store knows about one batch of people, read just before they are planned. */
interface BatchState {
  settings: Map<string, ReminderSettings>;
  mutes: Map<string, ReminderMute[]>;
  open: Map<string, Reminder>;
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
  /**
   * A worker holds its place from the post until the post is recorded, and records are written in
   * batches (sender.ts, sent-recorder.ts): its cycle is Slack's answer plus up to 50 ms. Eight
   * workers topped out near 87 posts/s on 127.0.0.1 with Slack allowing 100; sixteen leave room.
   */
  concurrency: 16,
  claimLeaseMs: 10 * 60_000,
  rescanMs: 60 * 60_000,
  /** Gtmhub's largest page: the scan reads every key result, and each request costs a sort on Gtmhub's side. */
  pageSize: 1000,
  retentionMs: 30 * 24 * 60 * 60_000,
};

export interface ReminderPassDependencies {
  gtmhub: Pick<GtmhubClient, 'iterateMetrics'>;
  store: ReminderStore;
  keyResults: Pick<KeyResultService, 'closedSessionIds' | 'goalNamesOf' | 'notCheckableReason'>;
  people: Pick<PeopleService, 'slackUsersOf'>;
  slack: Pick<SlackDirectory, 'members' | 'timeZoneOf'>;
  messenger: ReminderMessenger;
  clock: Clock;
  logger: Logger;
  rules: ReminderRules;
  tuning: ReminderPassTuning;
  /** The account's confidence levels, for the rows' confidence labels. */
  confidenceScale?: Pick<ConfidenceScaleService, 'scale'>;
}

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
      // The Slack member list is walked while the first Gtmhub pages are read; matching an owner waits
      // only until the walk has reached them (the directory's lookups), never for the whole walk.
      void this.deps.slack
        .members()
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not list Slack members; matching owners with users.lookupByEmail'))
        .finally(() => (this.report.phaseMs.slackDirectory = Math.round(performance.now() - started)));
      // Key results are read a page ahead of their use: the first page while the sessions and the
      // confidence scale load, each next one while this one's owners are sent.
      const { gtmhub, tuning } = this.deps;
      const metrics = new ReadAhead(gtmhub.iterateMetrics({ filter: { dynamic: false }, fields: REMINDER_METRIC_FIELDS, sort: 'ownerIds', pageSize: tuning.pageSize }), tuning.pageSize);
      const [closed, scale] = await Promise.all([this.deps.keyResults.closedSessionIds(), this.deps.confidenceScale?.scale() ?? DEFAULT_CONFIDENCE_SCALE]);
      const sender = this.sender((value) => confidenceLabel(scale, value));
      await this.stream(metrics, closed, sender);
      await store.setReminderScanned(this.now);
      const sending = performance.now();
      await sender.finish();
      this.report.phaseMs.send += Math.round(performance.now() - sending);
      await store.pruneReminders(new Date(this.now.getTime() - this.deps.tuning.retentionMs));
    } catch (error) {
      this.report.error = error instanceof Error ? error.message : String(error);
      this.deps.logger.error({ err: error }, 'reminder pass failed; the next tick tries again');
      this.nextEventAt = Math.min(this.nextEventAt, this.now.getTime() + 5 * 60_000);
    }
    this.report.rateLimited = this.gate.stats.rateLimited;
    this.report.rateLimitPausedMs = this.gate.stats.pausedMs;
    this.report.pacedRates = this.gate.stats.rates;
    this.report.durationMs = Math.round(performance.now() - started);
    this.report.finishedAt = new Date(this.now.getTime() + this.report.durationMs).toISOString();
    await this.scheduleNextPass();
    return this.report;
  }

  private sender(confidenceLabelOf?: (value: number) => string): ReminderSender {
    const { store, messenger, clock, logger, rules, tuning } = this.deps;
    return new ReminderSender({
      store,
      messenger,
      clock,
      logger,
      rules,
      tuning,
      gate: this.gate,
      report: this.report,
      later: (at) => this.later(at),
      ...(confidenceLabelOf ? { confidenceLabel: confidenceLabelOf } : {}),
    });
  }

  /**
   * Reads key results sorted by owner and hands each batch of owners whose key results are complete
   * (owner-batches.ts) to matching, planning and sending while the next pages are read. At most two
   * batches are on their way at once, so memory stays bounded whatever the number of people.
   * Gtmhub requests: key results / page size.
   */
  private async stream(
    metrics: ReadAhead<Metric>,
    closed: Set<string>,
    sender: ReminderSender,
  ): Promise<void> {
    const { keyResults } = this.deps;
    const batches = new OwnerBatches();
    const planner = new ReminderPlanner(this.now, this.deps.rules);
    let ready: OwnerGroup[] = [];
    let previous: Promise<void> = Promise.resolve();
    const handOver = async () => {
      const batch = ready;
      ready = [];
      const sending = this.sendBatch(batch, planner, sender);
      sending.catch(() => undefined);
      await previous;
      previous = sending;
    };
    const scanning = performance.now();
    for (let next = await metrics.next(); !next.done; next = await metrics.next()) {
      const metric = next.value;
      this.report.keyResultsScanned++;
      const owners = objectiveIsActive(metric) ? ownersOf(metric).filter((owner) => keyResults.notCheckableReason(metric, owner.gtmhubUserId, closed) === null) : [];
      for (const group of batches.add(metric, owners)) ready.push(group);
      if (ready.length >= OWNERS_PER_BATCH) await handOver();
      await this.slicer.maybeYield();
    }
    ready.push(...batches.finish());
    await handOver();
    this.report.phaseMs.gtmhub = Math.round(performance.now() - scanning);
    await previous;
  }

  /** One batch of owners: match them to Slack people, plan each, name the objectives, send. */
  private async sendBatch(groups: OwnerGroup[], planner: ReminderPlanner, sender: ReminderSender): Promise<void> {
    if (groups.length === 0) return;
    let mark = performance.now();
    const phase = (name: keyof ReminderPassReport['phaseMs']) => {
      const at = performance.now();
      this.report.phaseMs[name] += Math.round(at - mark);
      mark = at;
    };
    const people = await this.matchOwners(groups);
    const state = await this.stateOf(people);
    const jobs = await this.plan(people, state, planner);
    phase('plan');
    const goalNames = await this.goalNamesFor(jobs);
    phase('goalNames');
    await sender.send(jobs, goalNames);
    phase('send');
  }

  /** The store's view of one batch of people (their settings, mutes and open reminders), in one read. */
  private async stateOf(people: Map<string, PlannedPerson>): Promise<BatchState> {
    const { settings, mutes: muteList, open } = await this.deps.store.reminderStateOf([...people.keys()], this.now);
    const mutes = new Map<string, ReminderMute[]>();
    for (const mute of muteList) {
      const list = mutes.get(mute.slackUserId);
      if (list) list.push(mute);
      else mutes.set(mute.slackUserId, [mute]);
    }
    return {
      settings: new Map(settings.map((s) => [s.slackUserId, s])),
      mutes,
      open: new Map(open.map((r) => [`${r.slackUserId}\n${r.slotKey}`, r])),
    };
  }

  /** Gtmhub owners → Slack people (the people service); owners nobody matches go into the report. */
  private async matchOwners(owners: OwnerGroup[]): Promise<Map<string, PlannedPerson>> {
    const matches = await this.deps.people.slackUsersOf(owners.map((o) => o.owner));
    const people = new Map<string, PlannedPerson>();
    for (const { owner, metrics } of owners) {
      await this.slicer.maybeYield();
      const match = matches.get(owner.gtmhubUserId);
      if (!match?.slackUserId) {
        const known = match?.owner ?? owner;
        this.report.unmappedCount++;
        if (this.report.unmapped.length < MAX_UNMAPPED_KEPT) {
          this.report.unmapped.push({ gtmhubUserId: known.gtmhubUserId, name: known.name, email: known.email, reason: match?.reason ?? 'no_slack_user' });
        }
        continue;
      }
      let person = people.get(match.slackUserId);
      if (!person) {
        person = { slackUserId: match.slackUserId, gtmhubUserId: owner.gtmhubUserId, metrics: new Map() };
        people.set(match.slackUserId, person);
      }
      for (const metric of metrics) person.metrics.set(metric.id, metric);
    }
    this.report.people += people.size;
    return people;
  }

  /** Decides, per person, what is due now (planner.ts); everything else only moves the next pass time. */
  private async plan(people: Map<string, PlannedPerson>, state: BatchState, planner: ReminderPlanner): Promise<ReminderJob[]> {
    const { rules } = this.deps;
    const { settings, mutes, open } = state;
    const jobs: ReminderJob[] = [];
    for (const person of people.values()) {
      await this.slicer.maybeYield();
      const own = settings.get(person.slackUserId);
      // The time zone costs a Slack lookup when the member list is unavailable: only for people with reminders on.
      const timeZone = effectiveSchedule(own, rules).enabled ? safeTimeZone(await this.deps.slack.timeZoneOf(person.slackUserId)) : 'UTC';
      const plan = planner.plan({
        person,
        settings: own,
        timeZone,
        mutes: mutes.get(person.slackUserId) ?? [],
        openReminder: (periodKey) => open.get(`${person.slackUserId}\n${periodKey}`),
      });
      if (plan.notSent) this.report[plan.notSent]++;
      for (const at of plan.lookAgainAt) this.later(at);
      jobs.push(...plan.jobs);
    }
    return jobs;
  }

  /** Objective names for the rows about to be sent (the list's goalName, else Gtmhub's goals). */
  private async goalNamesFor(jobs: ReminderJob[]): Promise<Map<string, string>> {
    const metrics = jobs.flatMap((job) => (job.type === 'follow_up' ? [] : job.metrics));
    return metrics.length > 0 ? this.deps.keyResults.goalNamesOf(metrics) : new Map();
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
