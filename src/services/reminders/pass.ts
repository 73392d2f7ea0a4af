/**
 * One reminder pass, as a short orchestrator. State-based: it reads what is due now from Gtmhub
 * (paged list calls, never one per person) and what was already done from the store, so a late,
 * doubled or crashed pass does the right thing. Scan → match owners to Slack people (people
 * service) → plan each person (planner.ts, pure) → objective names → claim and post (sender.ts)
 * → when to look again.
 */
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Metric } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { ReminderMute, ReminderStore } from '../../store/reminder-store.js';
import type { KeyResultService } from '../key-results.js';
import { ownersOf, type MetricOwner } from '../people/metric-owners.js';
import type { PeopleService } from '../people/people-service.js';
import type { SlackDirectory } from '../ports.js';
import { safeTimeZone } from '../zoned-time.js';
import { REMINDER_METRIC_FIELDS } from './due.js';
import { confidenceLabel } from '../../domain/confidence-levels.js';
import { DEFAULT_CONFIDENCE_SCALE } from '../../gtmhub/confidence-scale.js';
import type { ConfidenceScaleService } from '../confidence-scale.js';
import { RateLimitGate, TimeSlicer } from './pacing.js';
import { effectiveSchedule, ReminderPlanner, type PlannedPerson, type ReminderJob, type ReminderRules } from './planner.js';
import type { ReminderMessenger } from './ports.js';
import { emptyReport, MAX_UNMAPPED_KEPT, type ReminderPassReport } from './report.js';
import { ReminderSender } from './sender.js';

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
  private goalNames = new Map<string, string>();

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
      let mark = performance.now();
      const phase = (name: keyof ReminderPassReport['phaseMs']) => {
        const at = performance.now();
        this.report.phaseMs[name] = Math.round(at - mark);
        mark = at;
      };
      // The Slack member list and the Gtmhub scan do not depend on each other.
      const membersLoad = this.deps.slack.members();
      membersLoad.catch(() => undefined);
      const owners = await this.scanGtmhub();
      await store.setReminderScanned(this.now);
      phase('gtmhub');
      await membersLoad.catch((error: unknown) => {
        this.deps.logger.warn({ err: error }, 'could not list Slack members; matching owners with users.lookupByEmail');
      });
      phase('slackDirectory');
      const people = await this.matchOwners(owners);
      const jobs = await this.plan(people);
      phase('plan');
      await this.attachGoalNames(jobs);
      phase('goalNames');
      const scale = (await this.deps.confidenceScale?.scale()) ?? DEFAULT_CONFIDENCE_SCALE;
      await this.sender((value) => confidenceLabel(scale, value)).run(jobs);
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
      goalNameOf: (metric) => this.goalNameOf(metric),
      ...(confidenceLabelOf ? { confidenceLabel: confidenceLabelOf } : {}),
    });
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

  /** Gtmhub owners → Slack people (the people service); owners nobody matches go into the report. */
  private async matchOwners(owners: Map<string, { owner: MetricOwner; metrics: Metric[] }>): Promise<Map<string, PlannedPerson>> {
    const matches = await this.deps.people.slackUsersOf([...owners.values()].map((o) => o.owner));
    const people = new Map<string, PlannedPerson>();
    for (const { owner, metrics } of owners.values()) {
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
    this.report.people = people.size;
    return people;
  }

  /** Decides, per person, what is due now (planner.ts); everything else only moves the next pass time. */
  private async plan(people: Map<string, PlannedPerson>): Promise<ReminderJob[]> {
    const { store, rules } = this.deps;
    const settings = new Map((await store.listReminderSettings()).map((s) => [s.slackUserId, s]));
    const mutes = new Map<string, ReminderMute[]>();
    for (const mute of await store.listReminderMutes()) {
      const list = mutes.get(mute.slackUserId);
      if (list) list.push(mute);
      else mutes.set(mute.slackUserId, [mute]);
    }
    const open = new Map((await store.listOpenReminders(this.now)).map((r) => [`${r.slackUserId}\n${r.slotKey}`, r]));
    const planner = new ReminderPlanner(this.now, rules);
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
  private async attachGoalNames(jobs: ReminderJob[]): Promise<void> {
    const metrics = jobs.flatMap((job) => (job.type === 'follow_up' ? [] : job.metrics));
    if (metrics.length > 0) this.goalNames = await this.deps.keyResults.goalNamesOf(metrics);
  }

  private goalNameOf(metric: Metric): string {
    return this.goalNames.get(metric.goalId) ?? 'Objective';
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
