/**
 * The sending half of a reminder pass: claims people in batches (one durable write per batch),
 * posts their DMs through one rate-limit gate with bounded concurrency, records each post as soon as
 * Slack answers, then posts follow-ups. Every DM is claimed before it is posted (keyed person +
 * period), and its channel and ts are recorded after.
 */
import type { Clock } from '../../clock.js';
import type { Metric } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { NewReminderClaim, Reminder, ReminderItem, ReminderStore } from '../../store/reminder-store.js';
import { mapLimited, Slots } from '../bounded.js';
import { SlackPermanentError } from '../ports.js';
import { snapshotOf } from './due.js';
import type { RateLimitGate } from './pacing.js';
import type { ReminderJob, ReminderRules, SendJob } from './planner.js';
import type { ReminderMessage, ReminderMessenger } from './ports.js';
import type { ReminderPassReport } from './report.js';
import { nextWorkingMorning } from './schedule.js';
import { SentRecorder } from './sent-recorder.js';

/** People claimed per transaction. */
const CLAIM_BATCH = 25;

export interface ReminderSenderDependencies {
  store: ReminderStore;
  messenger: ReminderMessenger;
  clock: Clock;
  logger: Logger;
  rules: ReminderRules;
  tuning: { concurrency: number; claimLeaseMs: number };
  gate: RateLimitGate;
  report: ReminderPassReport;
  /** Something may become due at `at`: the next pass should look then. */
  later: (at: Date) => void;
  /** A confidence as the account's scale names it. */
  confidenceLabel?: (value: number) => string;
}

export function slotKeyOfWake(periodKey: string, until: Date): string {
  return `${periodKey}/wake/${until.toISOString()}`;
}

export class ReminderSender {
  private readonly recorder: SentRecorder;
  private readonly recording = new Set<Promise<void>>();
  private readonly recordFailures: unknown[] = [];
  private readonly followUps: Array<Extract<ReminderJob, { type: 'follow_up' }>> = [];
  private readonly slots: Slots;
  private readonly followUpAtByZone = new Map<string, Date>();

  constructor(private readonly deps: ReminderSenderDependencies) {
    // A batch as large as the workers: when every worker waits for its record, they are written at once.
    this.recorder = new SentRecorder(deps.store, deps.clock, Math.max(1, deps.tuning.concurrency));
    this.slots = new Slots(Math.max(1, deps.tuning.concurrency));
  }

  /** Everything at once: send, then finish. */
  async run(jobs: ReminderJob[], goalNames: ReadonlyMap<string, string> = new Map()): Promise<void> {
    await this.send(jobs, goalNames);
    await this.finish();
  }

  /**
   * Claims people in batches (one durable write instead of one per person) and posts to them, at
   * most `concurrency` posts at a time across every `send` running; the next batch is claimed while
   * this one posts, so the posts never wait for a claim. Follow-ups wait for `finish`.
   */
  async send(jobs: ReminderJob[], goalNames: ReadonlyMap<string, string>): Promise<void> {
    const { store, clock, tuning } = this.deps;
    for (const job of jobs) if (job.type === 'follow_up') this.followUps.push(job);
    const sends = jobs.filter((j): j is SendJob => j.type !== 'follow_up');
    const batch = Math.max(CLAIM_BATCH, tuning.concurrency * 4);
    let posting: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < sends.length; i += batch) {
      const chunk = sends.slice(i, i + batch);
      const now = clock.now();
      const claims = chunk.map((job) => this.claimFor(job, now, goalNames));
      const claimed: Array<{ job: SendJob; reminder: Reminder; claim: NewReminderClaim }> = [];
      try {
        const results = await store.claimReminders(claims, now, tuning.claimLeaseMs);
        for (const [k, result] of results.entries()) {
          const job = chunk[k]!;
          if (result.claimed) claimed.push({ job, reminder: result.reminder, claim: claims[k]! });
          else if (result.existing.status === 'claimed') {
            this.deps.report.inProgress++;
            if (result.existing.leaseUntil) this.deps.later(result.existing.leaseUntil);
          } else {
            this.deps.report.alreadySent++;
            if (result.existing.status === 'sent' && job.endedSnoozes.length > 0) await store.deleteEndedSnoozes(job.person.slackUserId, job.endedSnoozes, now);
          }
        }
      } catch (error) {
        this.deps.report.failed += chunk.length;
        this.deps.logger.warn({ err: error, people: chunk.length }, 'could not claim reminders; the next pass tries again');
        this.deps.later(new Date(clock.now().getTime() + 60_000));
        continue;
      }
      const posts = Promise.all(claimed.map(({ job, reminder, claim }) => this.slots.run(() => this.safely(job, () => this.post(job, reminder, claim)))));
      // At most two batches claimed and not yet posted.
      await posting;
      posting = posts;
    }
    await posting;
  }

  /** Records what was posted, then posts the follow-ups gathered by every `send`. */
  async finish(): Promise<void> {
    const { tuning } = this.deps;
    await this.recorder.flush();
    await Promise.allSettled([...this.recording]);
    const failed = this.recordFailures.splice(0);
    if (failed.length > 0) {
      this.deps.logger.error({ err: failed[0], count: failed.length }, 'reminders were posted but could not be recorded; they may be posted again after their claim expires');
    }
    const followUps = this.followUps.splice(0);
    await mapLimited(followUps, tuning.concurrency, (job) => this.safely(job, () => this.followUp(job)));
  }

  private async safely(job: ReminderJob, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.deps.report.failed++;
      this.deps.logger.warn({ err: error, slackUserId: job.person.slackUserId, job: job.type }, 'reminder not sent; the next pass tries again');
      this.deps.later(new Date(this.deps.clock.now().getTime() + 60_000));
    }
  }

  private claimFor(job: SendJob, now: Date, goalNames: ReadonlyMap<string, string>): NewReminderClaim {
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
      items: job.metrics.map((metric, position) => ({ metricId: metric.id, position, snapshot: snapshotOf(metric, goalNames.get(metric.goalId) ?? 'Objective', now, this.deps.confidenceLabel) })),
    };
  }

  private async post(job: SendJob, reminder: Reminder, claim: NewReminderClaim): Promise<void> {
    const { store, messenger, clock } = this.deps;
    const items: ReminderItem[] = claim.items.map((item) => ({ ...item, reminderId: reminder.id, outcome: null, actedAt: null }));
    const message: ReminderMessage = { reminder, items, now: clock.now() };
    let posted: { channel: string; ts: string };
    try {
      posted = await this.deps.gate.run(() => messenger.postReminder(job.person.slackUserId, message));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof SlackPermanentError) await store.markReminderFailed(reminder.id, reminder.claimToken!, reason);
      else await store.releaseReminderClaim(reminder.id, reminder.claimToken!, reason, clock.now());
      throw error;
    }
    if (job.type === 'period') {
      this.deps.report.sent++;
      if (claim.followUpAt) this.deps.later(claim.followUpAt);
    } else this.deps.report.wakeUpsSent++;
    // The record joins the next batch write (all workers' records, or within ~50 ms).
    const recording: Promise<void> = this.recorder
      .record({ id: reminder.id, claimToken: reminder.claimToken!, channelId: posted.channel, ts: posted.ts }).then(async (recorded) => {
        if (!recorded) this.deps.logger.warn({ reminderId: reminder.id }, 'reminder posted after its claim had expired; another worker may post it too');
        // Snoozes that ended are now covered by this message.
        if (job.endedSnoozes.length > 0) await store.deleteEndedSnoozes(job.person.slackUserId, job.endedSnoozes, clock.now());
      });
    // Only failures are kept: a pass over many people must not hold one promise per person.
    this.recording.add(recording);
    // The worker keeps its place until the post is recorded: posted-but-unrecorded DMs (which a
    // crash would let another worker post again) never outnumber the workers.
    await recording.then(
      () => void this.recording.delete(recording),
      (error: unknown) => {
        this.recording.delete(recording);
        this.recordFailures.push(error);
      },
    );
  }

  private async followUp(job: Extract<ReminderJob, { type: 'follow_up' }>): Promise<void> {
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
      const ts = await this.deps.gate.run(() =>
        messenger.postFollowUp(reminder.channelId!, reminder.ts!, {
          reminderId: reminder.id,
          pendingCount: pending.length,
          sentAt: reminder.sentAt ?? reminder.createdAt,
          timeZone: reminder.timeZone,
        }),
      );
      await store.finishFollowUp(reminder.id, 'sent', ts);
      this.deps.report.followUpsSent++;
    } catch (error) {
      if (error instanceof SlackPermanentError) await store.finishFollowUp(reminder.id, 'skipped', null);
      else await store.releaseFollowUp(reminder.id, clock.now());
      throw error;
    }
  }
}
