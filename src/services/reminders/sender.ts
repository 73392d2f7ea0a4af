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
import { mapLimited } from '../bounded.js';
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
  goalNameOf: (metric: Metric) => string;
  /** A confidence as the account's scale names it. */
  confidenceLabel?: (value: number) => string;
}

export function slotKeyOfWake(periodKey: string, until: Date): string {
  return `${periodKey}/wake/${until.toISOString()}`;
}

export class ReminderSender {
  private readonly recorder: SentRecorder;
  private readonly recording: Array<Promise<void>> = [];
  private readonly followUpAtByZone = new Map<string, Date>();

  constructor(private readonly deps: ReminderSenderDependencies) {
    this.recorder = new SentRecorder(deps.store, deps.clock);
  }

  /**
   * Claims a batch of people in one transaction (one durable write instead of one per person),
   * then posts to them with bounded concurrency, recording each post as soon as Slack answers.
   */
  async run(jobs: ReminderJob[]): Promise<void> {
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
      await mapLimited(claimed, tuning.concurrency, ({ job, reminder, claim }) => this.safely(job, () => this.post(job, reminder, claim)));
    }
    await this.recorder.flush();
    const failedRecords = (await Promise.allSettled(this.recording)).filter((r) => r.status === 'rejected');
    if (failedRecords.length > 0) {
      this.deps.logger.error({ err: (failedRecords[0] as PromiseRejectedResult).reason, count: failedRecords.length }, 'reminders were posted but could not be recorded; they may be posted again after their claim expires');
    }
    const followUps = jobs.filter((j): j is Extract<ReminderJob, { type: 'follow_up' }> => j.type === 'follow_up');
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
      items: job.metrics.map((metric, position) => ({ metricId: metric.id, position, snapshot: snapshotOf(metric, this.deps.goalNameOf(metric), now, this.deps.confidenceLabel) })),
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
    // The worker goes on to the next person; the record joins the next batch write (within ~50 ms).
    this.recording.push(
      this.recorder.record({ id: reminder.id, claimToken: reminder.claimToken!, channelId: posted.channel, ts: posted.ts }).then(async (recorded) => {
        if (!recorded) this.deps.logger.warn({ reminderId: reminder.id }, 'reminder posted after its claim had expired; another worker may post it too');
        // Snoozes that ended are now covered by this message.
        if (job.endedSnoozes.length > 0) await store.deleteEndedSnoozes(job.person.slackUserId, job.endedSnoozes, clock.now());
      }),
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
