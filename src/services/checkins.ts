import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import { GtmhubError } from '../gtmhub/errors.js';
import type { Metric, Snapshot } from '../gtmhub/types.js';
import type { Logger } from '../logger.js';
import type { OutboxEntry, OutboxStore, OwnerStore } from '../store/store.js';
import { NOT_CHECKABLE_MESSAGES, type KeyResultService } from './key-results.js';
import type { OwnerService, UnmappedReason } from './owners.js';
import { InvalidInputError, NotAllowedError, NotFoundError } from './errors.js';
import { attainment } from './progress.js';
import { commentLengthProblem } from '../domain/comment-length.js';

export interface CheckInSubmission {
  slackUserId: string;
  /** Who to name in the Gtmhub comment when the Slack profile has no real name. */
  slackDisplayName: string;
  metricId: string;
  actual: number;
  confidence: number | null;
  comment: string;
  /** The same key for the same submission (Slack redelivery, double click). */
  idempotencyKey: string;
  notifyChannelId: string | null;
}

export interface CheckInChange {
  metric: Metric;
  goalName: string;
  previousActual: number | null;
  previousAttainment: number;
  newActual: number;
  newAttainment: number;
  snapshotId: string | null;
}

export type CheckInOutcome =
  | { status: 'delivered'; entry: OutboxEntry; change: CheckInChange | null }
  | { status: 'pending'; entry: OutboxEntry; reason: string }
  | { status: 'rejected'; entry: OutboxEntry; reason: string }
  | { status: 'unmapped'; reason: UnmappedReason }
  /** Already submitted before: nothing new happened. */
  | { status: 'duplicate'; entry: OutboxEntry };

/** Tells people what became of check-ins that did not land while they were looking. */
export interface CheckInNotifier {
  delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void>;
  rejected(entry: OutboxEntry, reason: string): Promise<void>;
}

export interface CheckInServiceOptions {
  gtmhub: Pick<GtmhubClient, 'checkIn' | 'getMetric' | 'getCheckIn' | 'updateCheckInComment' | 'deleteCheckIn'>;
  store: OutboxStore & Pick<OwnerStore, 'getSlackProfile'>;
  owners: Pick<OwnerService, 'resolve'>;
  keyResults: Pick<KeyResultService, 'checkFor'>;
  clock: Clock;
  logger: Logger;
  notifier?: CheckInNotifier;
  /** How long one delivery attempt may hold an entry before another worker may take it. */
  leaseMs?: number;
  /** First retry delay; doubles per attempt up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** After this long without success, a check-in is given up and the person is told. */
  giveUpAfterMs?: number;
}

/** Short, stable reference of a submission, written into the Gtmhub comment to recognise it later. */
export function submissionRef(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 10);
}

export function composeComment(comment: string, displayName: string, ref: string): string {
  const signature = `— checked in from Slack by ${displayName} (kr-checkin ${ref})`;
  return comment.trim() ? `${comment.trim()}\n\n${signature}` : signature;
}

/** Gtmhub's reason in plain words, for the person who submitted. */
function rejectionReason(error: GtmhubError): string {
  const said = error.gtmhubMessage ? `Gtmhub said: “${error.gtmhubMessage}”` : '';
  switch (error.status) {
    case 400:
      return said || 'Gtmhub refused the check-in as invalid.';
    case 403:
      return `The Gtmhub account kr-checkin uses is not allowed to check in this key result. ${said}`.trim();
    case 404:
      return 'This key result no longer exists in Gtmhub.';
    default:
      return said || error.message;
  }
}

function isPermanent(error: GtmhubError): boolean {
  return error.status === 400 || error.status === 403 || error.status === 404 || error.name === 'GtmhubValidationError';
}

/**
 * The durable check-in path: every accepted submission is written to the outbox before Gtmhub is
 * called, delivered at once when possible and otherwise retried by the outbox worker until Gtmhub
 * accepts or refuses it. A POST whose answer was lost is never blindly repeated: the key result's
 * history is checked for the submission's reference first.
 */
export class CheckInService {
  private readonly leaseMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly giveUpAfterMs: number;

  constructor(private readonly options: CheckInServiceOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.retryDelayMs = options.retryDelayMs ?? 30_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 15 * 60_000;
    this.giveUpAfterMs = options.giveUpAfterMs ?? 3 * 24 * 60 * 60_000;
  }

  async submit(submission: CheckInSubmission): Promise<CheckInOutcome> {
    const owner = await this.options.owners.resolve(submission.slackUserId);
    if (!owner.mapped) return { status: 'unmapped', reason: owner.reason };
    const now = this.options.clock.now();
    const ref = submissionRef(submission.idempotencyKey);
    const profile = await this.options.store.getSlackProfile(submission.slackUserId);
    const name = profile?.realName || submission.slackDisplayName;
    const { entry, created } = await this.options.store.enqueueCheckIn(
      {
        idempotencyKey: submission.idempotencyKey,
        slackUserId: submission.slackUserId,
        gtmhubUserId: owner.gtmhubUserId,
        metricId: submission.metricId,
        actual: submission.actual,
        confidence: submission.confidence,
        comment: composeComment(submission.comment, name, ref),
        submittedAt: now,
        notifyChannelId: submission.notifyChannelId,
        context: { ref },
      },
      now,
    );
    if (!created) return { status: 'duplicate', entry };
    const claimed = await this.options.store.claimOutboxEntry(entry.id, now, this.leaseMs);
    if (!claimed) return { status: 'pending', entry, reason: 'It is already being delivered.' };
    return this.deliver(claimed, false);
  }

  /** One pass of the outbox worker: delivers what is due, tells people about late outcomes. */
  async runOutbox(limit = 20): Promise<{ delivered: number; rejected: number; retrying: number }> {
    const now = this.options.clock.now();
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

  /** Delivers one claimed entry. `late`: the person already left the modal and must be told by DM. */
  async deliver(entry: OutboxEntry, late: boolean): Promise<CheckInOutcome> {
    const { gtmhub, store, keyResults, clock, logger } = this.options;
    const log = logger.child({ outboxId: entry.id, metricId: entry.metricId, attempt: entry.attempts });
    let posted = false;
    try {
      if (entry.uncertain) {
        const landed = await this.findLanded(entry);
        if (landed) {
          log.info('check-in had landed before its answer was lost; not posting again');
          await store.markOutboxDelivered(entry.id, null, clock.now());
          const delivered = { ...entry, status: 'delivered' as const };
          await this.options.notifier?.delivered(delivered, null, late);
          return { status: 'delivered', entry: delivered, change: null };
        }
      }
      const check = await keyResults.checkFor(entry.metricId, entry.gtmhubUserId);
      if (check.reason) {
        const reason = `You cannot check in “${check.metric.name}”: ${NOT_CHECKABLE_MESSAGES[check.reason]}.`;
        return await this.reject(entry, reason, late);
      }
      await store.markOutboxUncertain(entry.id);
      posted = true;
      const snapshot: Snapshot = await gtmhub.checkIn(entry.metricId, {
        actual: entry.actual,
        comment: entry.comment,
        ...(entry.confidence === null ? {} : { confidence: entry.confidence }),
        checkInDate: entry.submittedAt.toISOString(),
      });
      const snapshotId = typeof snapshot.id === 'string' ? snapshot.id : null;
      await store.markOutboxDelivered(entry.id, snapshotId, clock.now());
      const change: CheckInChange = {
        metric: check.metric,
        goalName: check.goalName,
        previousActual: check.metric.actual ?? null,
        previousAttainment: attainment(check.metric),
        newActual: entry.actual,
        newAttainment: attainment({ ...check.metric, actual: entry.actual }),
        snapshotId,
      };
      const delivered = { ...entry, status: 'delivered' as const, snapshotId };
      log.info({ snapshotId, late }, 'check-in delivered');
      await this.options.notifier?.delivered(delivered, change, late);
      return { status: 'delivered', entry: delivered, change };
    } catch (error) {
      if (error instanceof GtmhubError && isPermanent(error)) return this.reject(entry, rejectionReason(error), late);
      const mayHaveLanded = posted && (!(error instanceof GtmhubError) || error.maybeDelivered);
      return this.retryLater(entry, error, mayHaveLanded, late);
    }
  }

  private async reject(entry: OutboxEntry, reason: string, late: boolean): Promise<CheckInOutcome> {
    await this.options.store.markOutboxRejected(entry.id, reason, this.options.clock.now());
    this.options.logger.info({ outboxId: entry.id, reason }, 'check-in rejected');
    if (late) await this.options.notifier?.rejected(entry, reason);
    return { status: 'rejected', entry: { ...entry, status: 'rejected', lastError: reason }, reason };
  }

  private async retryLater(entry: OutboxEntry, error: unknown, uncertain: boolean, late: boolean): Promise<CheckInOutcome> {
    const now = this.options.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    if (now.getTime() - entry.submittedAt.getTime() > this.giveUpAfterMs && !uncertain && !entry.uncertain) {
      return this.reject(entry, `Gtmhub did not accept it for ${Math.round(this.giveUpAfterMs / 3_600_000)} hours (last error: ${message}).`, true);
    }
    const delay = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** Math.min(Math.max(entry.attempts - 1, 0), 16));
    const jitter = Math.round(delay * 0.1 * Math.random());
    await this.options.store.rescheduleOutboxEntry(entry.id, new Date(now.getTime() + delay + jitter), message, uncertain || entry.uncertain);
    const level = error instanceof GtmhubError && (error.status === 401 || error.status === 402) ? 'error' : 'warn';
    this.options.logger[level]({ outboxId: entry.id, err: error, uncertain, late }, 'check-in not delivered yet; will retry');
    return {
      status: 'pending',
      entry: { ...entry, status: 'pending' },
      reason: 'Gtmhub is not answering right now.',
    };
  }

  /**
   * A delivered check-in of this person's, found by our own outbox id (the id a button carries back
   * from Slack is only a pointer: ownership is checked here, against what the server recorded).
   */
  async ownDeliveredCheckIn(slackUserId: string, outboxId: number): Promise<OutboxEntry & { snapshotId: string }> {
    const entry = Number.isSafeInteger(outboxId) ? await this.options.store.getOutboxEntry(outboxId) : null;
    if (!entry || entry.slackUserId !== slackUserId) throw new NotFoundError('That check-in is not one of yours.');
    if (entry.status !== 'delivered' || !entry.snapshotId) throw new NotFoundError('That check-in has not reached Gtmhub yet.');
    return { ...entry, snapshotId: entry.snapshotId };
  }

  async viewCheckIn(slackUserId: string, outboxId: number): Promise<{ entry: OutboxEntry; snapshot: Snapshot; metric: Metric }> {
    const entry = await this.ownDeliveredCheckIn(slackUserId, outboxId);
    const [snapshot, metric] = await Promise.all([
      this.options.gtmhub.getCheckIn(entry.snapshotId),
      this.options.gtmhub.getMetric(entry.metricId),
    ]);
    return { entry, snapshot, metric };
  }

  /** Replaces the person's words in the comment; the "from Slack by" line stays. */
  async editComment(slackUserId: string, slackDisplayName: string, outboxId: number, comment: string): Promise<string> {
    const commentProblem = commentLengthProblem(comment);
    if (commentProblem) throw new InvalidInputError(commentProblem);
    const entry = await this.ownDeliveredCheckIn(slackUserId, outboxId);
    const ref = typeof entry.context.ref === 'string' ? entry.context.ref : submissionRef(entry.idempotencyKey);
    const signature = entry.comment.match(/— checked in from Slack by .*$/s)?.[0] ?? composeComment('', slackDisplayName, ref);
    const full = comment.trim() ? `${comment.trim()}\n\n${signature}` : signature;
    await this.options.gtmhub.updateCheckInComment(entry.snapshotId, full);
    return full;
  }

  /** Deletes the check-in in Gtmhub (Gtmhub allows it to account admins only). */
  async undo(slackUserId: string, outboxId: number): Promise<void> {
    const entry = await this.ownDeliveredCheckIn(slackUserId, outboxId);
    try {
      await this.options.gtmhub.deleteCheckIn(entry.snapshotId);
    } catch (error) {
      if (error instanceof GtmhubError && error.status === 403) {
        throw new NotAllowedError(
          'Gtmhub lets only account admins delete check-ins, and the account kr-checkin uses is not one. Ask a Gtmhub admin to remove it, or check in the right value again.',
        );
      }
      if (error instanceof GtmhubError && error.status === 404) throw new NotFoundError('That check-in is already gone from Gtmhub.');
      throw error;
    }
    this.options.logger.info({ outboxId, snapshotId: entry.snapshotId }, 'check-in undone');
  }

  /** Whether a check-in whose POST answer was lost is already in Gtmhub (its reference in the history). */
  private async findLanded(entry: OutboxEntry): Promise<boolean> {
    const metric = await this.options.gtmhub.getMetric(entry.metricId);
    const ref = typeof entry.context.ref === 'string' ? entry.context.ref : submissionRef(entry.idempotencyKey);
    if (metric.metricHistory?.some((h) => typeof h.comment === 'string' && h.comment.includes(`kr-checkin ${ref}`))) return true;
    // Without a history to read, an unchanged actual since before the submission means it did not land.
    return (
      !metric.metricHistory &&
      metric.actual === entry.actual &&
      !!metric.lastCheckInDate &&
      Date.parse(metric.lastCheckInDate) >= entry.submittedAt.getTime() - 1000
    );
  }
}
