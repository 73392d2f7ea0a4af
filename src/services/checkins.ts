/**
 * The one write path of check-ins to Gtmhub. Every accepted submission — the modal, a reminder's
 * "No change", "No change for all" — is written to the outbox before Gtmhub is called, delivered at
 * once when possible and otherwise retried by the outbox worker until Gtmhub accepts or refuses it.
 * A POST whose answer was lost is never blindly repeated: the key result's history is checked for
 * the submission's reference first. People are told of outcomes without the delivery waiting on it.
 */
import type { Clock } from '../clock.js';
import { newSubmissionRef, signComment } from '../domain/checkin-signature.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import { GtmhubError, GtmhubUnexpectedResponseError } from '../gtmhub/errors.js';
import { answeredSuccess, CANNOT_TELL, findLanded, isPermanent, rejectionReason, within } from './checkin-delivery-rules.js';
import type { BulkCheckInResponse, BulkCheckInResult, Metric, Snapshot } from '../gtmhub/types.js';
import type { Logger } from '../logger.js';
import type { OutboxEntry, OutboxStore } from '../store/store.js';
import { NOT_CHECKABLE_MESSAGES, type KeyResultService } from './key-results.js';
import type { PeopleService } from './people/people-service.js';
import { CheckInNotices } from './checkin-notices.js';
import { attainment } from './progress.js';
import type { CheckInChange, CheckInNotifier, CheckInOutcome, CheckInSubmission } from './checkin-types.js';
import { isQuickRetry, QuickRetries, realRetryTimer, retryDelay, type RetryTimer } from './retry-delay.js';

export interface CheckInServiceOptions {
  gtmhub: Pick<GtmhubClient, 'checkIn' | 'bulkCheckIn' | 'getMetric'>;
  store: OutboxStore;
  people: Pick<PeopleService, 'resolve' | 'nameOf'>;
  keyResults: Pick<KeyResultService, 'checkFor'>;
  clock: Clock;
  logger: Logger;
  notifier?: CheckInNotifier;
  /** How long one delivery attempt may hold an entry before another worker may take it. */
  leaseMs?: number;
  /** Runs the quick first retries in this process (retry-delay.ts); tests inject their own, `false` leaves every retry to the outbox worker. */
  retryTimer?: RetryTimer | false;
  /** The jitter source of the retry delays (Math.random). */
  random?: () => number;
  /** The Gtmhub client's per-request timeout: a POST is only sent while the lease outlasts it by `leaseMarginMs`. */
  postTimeoutMs?: number;
  leaseMarginMs?: number;
  /** After this long without success, a check-in is given up and the person is told. */
  giveUpAfterMs?: number;
}

export class CheckInService {
  private readonly leaseMs: number;
  private readonly quickRetries: QuickRetries | null;
  private readonly postTimeoutMs: number;
  private readonly leaseMarginMs: number;
  private readonly giveUpAfterMs: number;
  private readonly notices: CheckInNotices | null;

  constructor(private readonly options: CheckInServiceOptions) {
    this.postTimeoutMs = options.postTimeoutMs ?? 10_000;
    this.leaseMarginMs = options.leaseMarginMs ?? 5_000;
    // The lease leaves the reads before a POST at least as long as the POST itself.
    this.leaseMs = options.leaseMs ?? Math.max(60_000, 3 * this.postTimeoutMs + this.leaseMarginMs);
    if (this.leaseMs <= this.postTimeoutMs + this.leaseMarginMs) throw new RangeError('leaseMs must outlast postTimeoutMs + leaseMarginMs');
    this.notices = options.notifier ? new CheckInNotices({ store: options.store, notifier: options.notifier, clock: options.clock, logger: options.logger }) : null;
    this.quickRetries = options.retryTimer === false ? null : new QuickRetries(options.retryTimer ?? realRetryTimer);
    this.giveUpAfterMs = options.giveUpAfterMs ?? 3 * 24 * 60 * 60_000;
  }

  async submit(submission: CheckInSubmission): Promise<CheckInOutcome> {
    const owner = await this.options.people.resolve(submission.slackUserId);
    if (!owner.mapped) return { status: 'unmapped', reason: owner.reason };
    const name = await this.options.people.nameOf(submission.slackUserId, submission.slackDisplayName);
    const { entry, created } = await this.enqueue(submission, owner.gtmhubUserId, name);
    if (!created) return { status: 'duplicate', entry };
    const claimed = await this.options.store.claimOutboxEntry(entry.id, this.options.clock.now(), this.leaseMs);
    if (!claimed) return { status: 'pending', entry, reason: 'It is already being delivered.' };
    return this.deliver(claimed, false);
  }

  /**
   * One person's check-ins of several key results in one bulk request (`POST /v1/metrics/checkins`),
   * each its own outbox entry with its own key: the caller has just re-checked them with Gtmhub. An
   * item the answer does not confirm (lost or unreadable answer) is delivered like any uncertain entry.
   */
  async submitMany(submissions: CheckInSubmission[]): Promise<CheckInOutcome[]> {
    if (submissions.length === 0) return [];
    const slackUserId = submissions[0]!.slackUserId;
    if (submissions.some((s) => s.slackUserId !== slackUserId)) throw new Error('submitMany takes one person’s check-ins');
    const owner = await this.options.people.resolve(slackUserId);
    if (!owner.mapped) return submissions.map(() => ({ status: 'unmapped', reason: owner.reason }));
    const name = await this.options.people.nameOf(slackUserId, submissions[0]!.slackDisplayName);
    const outcomes: CheckInOutcome[] = [];
    const claimed: Array<{ index: number; entry: OutboxEntry }> = [];
    for (const [index, submission] of submissions.entries()) {
      const { entry, created } = await this.enqueue(submission, owner.gtmhubUserId, name);
      const mine = created ? await this.options.store.claimOutboxEntry(entry.id, this.options.clock.now(), this.leaseMs) : null;
      if (mine) claimed.push({ index, entry: mine });
      outcomes[index] = created ? { status: 'pending', entry, reason: 'It is already being delivered.' } : { status: 'duplicate', entry };
    }
    if (claimed.length > 0) for (const { index, outcome } of await this.deliverBulk(claimed)) outcomes[index] = outcome;
    return outcomes;
  }

  /** One pass of the outbox worker: delivers what is due, tells people about late outcomes, re-sends failed notices. */
  async runOutbox(limit = 20): Promise<{ delivered: number; rejected: number; retrying: number }> {
    const now = this.options.clock.now();
    await this.notices?.resendDue(limit).catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not read the notices due'));
    const entries = await this.options.store.claimOutboxEntries(now, limit, this.leaseMs);
    const counts = { delivered: 0, rejected: 0, retrying: 0 };
    for (const entry of entries) {
      const outcome = await this.deliver(entry, true);
      if (outcome.status === 'delivered') counts.delivered++;
      else if (outcome.status === 'rejected') counts.rejected++;
      else counts.retrying++;
    }
    return counts;
  }

  /** Cancels the quick retries still waiting (the outbox worker takes them over) and waits for running ones. */
  async stopQuickRetries(): Promise<void> {
    await this.quickRetries?.stop();
  }

  /** Resolves once every notification started so far has finished (shutdown, tests). */
  async notificationsSettled(): Promise<void> {
    await this.notices?.settled();
  }

  private async enqueue(submission: CheckInSubmission, gtmhubUserId: string, name: string): Promise<{ entry: OutboxEntry; created: boolean }> {
    const now = this.options.clock.now();
    const ref = newSubmissionRef();
    return this.options.store.enqueueCheckIn(
      {
        idempotencyKey: submission.idempotencyKey,
        slackUserId: submission.slackUserId,
        gtmhubUserId,
        metricId: submission.metricId,
        actual: submission.actual,
        confidence: submission.confidence,
        comment: signComment(submission.comment, name, ref),
        submittedAt: now,
        origin: submission.origin,
        reminderId: submission.reminderId,
        context: { ref },
      },
      now,
    );
  }

  /** Delivers one claimed entry. `late`: the person already left the modal and must be told by DM. */
  async deliver(entry: OutboxEntry, late: boolean): Promise<CheckInOutcome> {
    const { gtmhub, store, keyResults, clock, logger } = this.options;
    const log = logger.child({ outboxId: entry.id, metricId: entry.metricId, attempt: entry.attempts });
    let posted = false;
    let checked: { metric: Metric; goalName: string } | null = null;
    // Everything before the POST must leave the lease enough time for the POST itself.
    const postBy = (entry.leaseUntil?.getTime() ?? clock.now().getTime() + this.leaseMs) - this.postTimeoutMs - this.leaseMarginMs;
    try {
      if (entry.uncertain) {
        const landed = await within(postBy - clock.now().getTime(), findLanded(this.options.gtmhub, entry));
        if (landed === 'landed') {
          log.info('check-in had landed before its answer was lost; not posting again');
          return this.delivered(entry, null, null, late);
        }
        if (landed === 'unknown') return await this.reject(entry, CANNOT_TELL, true);
      }
      const check = await within(postBy - clock.now().getTime(), keyResults.checkFor(entry.metricId, entry.gtmhubUserId));
      checked = check;
      if (check.reason) return await this.reject(entry, `You cannot check in “${check.metric.name}”: ${NOT_CHECKABLE_MESSAGES[check.reason]}.`, late, check.metric);
      // The fencing step: only the latest claim, with time left for the whole POST, may post.
      if (!(await store.markOutboxUncertain(entry, new Date(clock.now().getTime() + this.postTimeoutMs + this.leaseMarginMs)))) {
        log.warn('claim is stale or its lease too short to post; not posting');
        await store.rescheduleOutboxEntry(entry, clock.now(), 'lease too short to post', false);
        return { status: 'pending', entry, reason: 'It is already being delivered.' };
      }
      posted = true;
      const snapshot: Snapshot = await gtmhub.checkIn(entry.metricId, {
        actual: entry.actual,
        comment: entry.comment,
        ...(entry.confidence === null ? {} : { confidence: entry.confidence }),
        checkInDate: entry.submittedAt.toISOString(),
      });
      const snapshotId = typeof snapshot.id === 'string' ? snapshot.id : null;
      log.info({ snapshotId, late }, 'check-in delivered');
      return this.delivered(entry, snapshotId, { metric: check.metric, goalName: check.goalName }, late);
    } catch (error) {
      if (posted && answeredSuccess(error)) {
        // Gtmhub answered 2xx: it has the check-in, whatever its body says (unreadable, empty, cut off). Without the body there is no snapshot id.
        log.warn({ err: error }, 'check-in accepted with an unreadable answer; recorded as delivered');
        return this.delivered(entry, null, checked, late);
      }
      if (error instanceof GtmhubError && isPermanent(error)) return this.reject(entry, rejectionReason(error), late, checked?.metric);
      const mayHaveLanded = posted && (!(error instanceof GtmhubError) || error.maybeDelivered);
      return this.retryLater(entry, error, mayHaveLanded, late);
    }
  }

  private async deliverBulk(claimed: Array<{ index: number; entry: OutboxEntry }>): Promise<Array<{ index: number; outcome: CheckInOutcome }>> {
    const { gtmhub, store, logger, clock } = this.options;
    const holdUntil = new Date(clock.now().getTime() + this.postTimeoutMs + this.leaseMarginMs);
    const fenced: typeof claimed = [];
    const stale: Array<{ index: number; outcome: CheckInOutcome }> = [];
    for (const item of claimed) {
      if (await store.markOutboxUncertain(item.entry, holdUntil)) fenced.push(item);
      else stale.push({ index: item.index, outcome: { status: 'pending', entry: item.entry, reason: 'It is already being delivered.' } });
    }
    if (fenced.length === 0) return stale;
    claimed = fenced;
    let response: BulkCheckInResponse | null = null;
    try {
      response = await gtmhub.bulkCheckIn(
        claimed.map(({ entry }) => ({
          metricId: entry.metricId,
          actual: entry.actual,
          comment: entry.comment,
          checkInDate: entry.submittedAt.toISOString(),
          ...(entry.confidence === null ? {} : { confidence: entry.confidence }),
        })),
      );
    } catch (error) {
      // A lost or unreadable answer (its shape is a guess in API-NOTES) may still have landed: each entry is read back below.
      const unknown = error instanceof GtmhubUnexpectedResponseError || (error instanceof GtmhubError && error.maybeDelivered) || !(error instanceof GtmhubError);
      if (!unknown && !(error instanceof GtmhubError && isPermanent(error))) {
        return [...stale, ...(await Promise.all(claimed.map(async ({ index, entry }) => ({ index, outcome: await this.deliverFailed(entry, error) }))))];
      }
      // A refused bulk request is no verdict on any one check-in (its body and answer are guesses in API-NOTES):
      // each is delivered through the documented single endpoint below, which reads back first.
      if (unknown) logger.warn({ err: error, items: claimed.length }, 'bulk check-in answer lost or unreadable; reading back what landed');
      else logger.warn({ err: error, items: claimed.length }, 'bulk check-in refused as a whole; delivering each check-in on its own');
    }
    const results = new Map((response?.results ?? []).map((r) => [r.metricId, r]));
    const outcomes: Array<{ index: number; outcome: CheckInOutcome }> = [...stale];
    for (const { index, entry } of claimed) {
      const result = results.get(entry.metricId);
      let outcome: CheckInOutcome;
      const refusal = result ? bulkRefusal(result) : null;
      // Delivered only on evidence: the snapshot Gtmhub made. A result with neither a snapshot nor an error is read back.
      if (result?.snapshot) {
        const snapshotId = typeof result.snapshot.id === 'string' ? result.snapshot.id : null;
        outcome = await this.delivered(entry, snapshotId, null, false);
      } else if (refusal) outcome = await this.reject(entry, `Gtmhub said: ${refusal}`, false);
      else {
        // Not confirmed: the entry is marked uncertain in the store, so delivering it reads Gtmhub before any new POST.
        const current = await store.getOutboxEntry(entry.id);
        outcome = current && current.attempts === entry.attempts ? await this.deliver(current, false) : { status: 'pending', entry, reason: 'Gtmhub did not confirm it yet.' };
      }
      outcomes.push({ index, outcome });
    }
    return outcomes;
  }

  private async deliverFailed(entry: OutboxEntry, error: unknown): Promise<CheckInOutcome> {
    if (error instanceof GtmhubError && isPermanent(error)) return this.reject(entry, rejectionReason(error), false);
    return this.retryLater(entry, error, false, false);
  }

  private async delivered(entry: OutboxEntry, snapshotId: string | null, checked: { metric: Metric; goalName: string } | null, late: boolean): Promise<CheckInOutcome> {
    await this.options.store.markOutboxDelivered(entry.id, snapshotId, this.options.clock.now());
    const change: CheckInChange | null = checked && {
      metric: checked.metric,
      goalName: checked.goalName,
      previousActual: checked.metric.actual ?? null,
      previousAttainment: attainment(checked.metric),
      newActual: entry.actual,
      newAttainment: attainment({ ...checked.metric, actual: entry.actual }),
      snapshotId,
    };
    const delivered: OutboxEntry = { ...entry, status: 'delivered', snapshotId };
    await this.tell(entry, (notices) => notices.delivered(delivered, change, late));
    return { status: 'delivered', entry: delivered, change };
  }

  private async reject(entry: OutboxEntry, reason: string, late: boolean, metric?: Metric): Promise<CheckInOutcome> {
    if (!(await this.options.store.markOutboxRejected(entry, reason, this.options.clock.now()))) {
      return { status: 'pending', entry, reason: 'It is already being delivered.' };
    }
    this.options.logger.info({ outboxId: entry.id, reason }, 'check-in rejected');
    const keyResult = metric ? { name: metric.name, ...(metric.format ? { format: metric.format } : {}) } : undefined;
    if (late) await this.tell(entry, (notices) => notices.rejected(entry, reason, keyResult));
    return { status: 'rejected', entry: { ...entry, status: 'rejected', lastError: reason }, reason };
  }

  /** Notices never hold up a delivery or the answer to the person: stored, then sent on their own. */
  private async tell(entry: OutboxEntry, queue: (notices: CheckInNotices) => Promise<void>): Promise<void> {
    if (!this.notices) return;
    try {
      await queue(this.notices);
    } catch (error) {
      this.options.logger.warn({ err: error, outboxId: entry.id }, 'could not keep a check-in notice');
    }
  }

  private async retryLater(entry: OutboxEntry, error: unknown, uncertain: boolean, late: boolean): Promise<CheckInOutcome> {
    const now = this.options.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    if (now.getTime() - entry.submittedAt.getTime() > this.giveUpAfterMs && !uncertain && !entry.uncertain) {
      return this.reject(entry, `Gtmhub did not accept it for ${Math.round(this.giveUpAfterMs / 3_600_000)} hours (last error: ${message}).`, true);
    }
    const delay = retryDelay(entry.attempts, this.options.random);
    await this.options.store.rescheduleOutboxEntry(entry, new Date(now.getTime() + delay), message, uncertain || entry.uncertain);
    if (isQuickRetry(entry.attempts)) this.quickRetries?.schedule(entry.id, delay, () => this.retryNow(entry.id));
    const level = error instanceof GtmhubError && (error.status === 401 || error.status === 402) ? 'error' : 'warn';
    this.options.logger[level]({ outboxId: entry.id, err: error, uncertain, late }, 'check-in not delivered yet; will retry');
    return { status: 'pending', entry: { ...entry, status: 'pending' }, reason: 'Gtmhub is not answering right now.' };
  }

  /** A quick retry: delivered like the outbox worker would, if no other worker took the entry meanwhile. */
  private async retryNow(id: number): Promise<void> {
    try {
      const claimed = await this.options.store.claimOutboxEntry(id, this.options.clock.now(), this.leaseMs);
      if (claimed) await this.deliver(claimed, true);
    } catch (error) {
      this.options.logger.warn({ err: error, outboxId: id }, 'quick retry failed; the outbox worker will try again');
    }
  }
}

/**
 * Why Gtmhub refused one item of a bulk check-in, or null when the result does not say it refused:
 * an `error`, or a 4xx `status` with its `message` (the shape is a guess; a 5xx is no verdict).
 */
function bulkRefusal(result: BulkCheckInResult): string | null {
  if (typeof result.error === 'string' && result.error) return result.error;
  const status = typeof result.status === 'number' ? result.status : null;
  if (status !== null && status >= 400 && status < 500) return typeof result.message === 'string' && result.message ? result.message : `status ${status}`;
  return null;
}
