/**
 * The one write path of check-ins to Gtmhub. Every accepted submission — the modal, a reminder's
 * "No change", "No change for all" — is written to the outbox before Gtmhub is called, delivered at
 * once when possible and otherwise retried by the outbox worker until Gtmhub accepts or refuses it.
 * A POST whose answer was lost is never blindly repeated: the key result's history is checked for
 * the submission's reference first. People are told of outcomes without the delivery waiting on it.
 */
import type { Clock } from '../clock.js';
import { carriesRef, newSubmissionRef, signComment, submissionRef } from '../domain/checkin-signature.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import { GtmhubError, GtmhubUnexpectedResponseError } from '../gtmhub/errors.js';
import type { BulkCheckInResponse, Metric, Snapshot } from '../gtmhub/types.js';
import type { Logger } from '../logger.js';
import type { CheckInOrigin, OutboxEntry, OutboxStore } from '../store/store.js';
import { NOT_CHECKABLE_MESSAGES, type KeyResultService } from './key-results.js';
import type { PeopleService, UnmappedReason } from './people/people-service.js';
import { attainment } from './progress.js';
import { isQuickRetry, QuickRetries, realRetryTimer, retryDelay, type RetryTimer } from './retry-delay.js';

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
  origin: CheckInOrigin;
  /** The reminder whose button made it, for origin reminder and bulk. */
  reminderId: number | null;
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

/** Tells people (and their reminder messages) what became of their check-ins. */
export interface CheckInNotifier {
  delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void>;
  rejected(entry: OutboxEntry, reason: string): Promise<void>;
}

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
  /** After this long without success, a check-in is given up and the person is told. */
  giveUpAfterMs?: number;
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

const CANNOT_TELL =
  'Gtmhub may already have this check-in: its answer was lost, and the key result has been checked in since, with a history too short to tell. It was not sent again, so that it is not recorded twice; look at the key result in Gtmhub and check in again if it is missing.';

function refOf(entry: OutboxEntry): string {
  return typeof entry.context.ref === 'string' ? entry.context.ref : submissionRef(entry.idempotencyKey);
}

export class CheckInService {
  private readonly leaseMs: number;
  private readonly quickRetries: QuickRetries | null;
  private readonly giveUpAfterMs: number;
  private readonly notifying = new Set<Promise<void>>();

  constructor(private readonly options: CheckInServiceOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
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

  /** Cancels the quick retries still waiting (the outbox worker takes them over) and waits for running ones. */
  async stopQuickRetries(): Promise<void> {
    await this.quickRetries?.stop();
  }

  /** Resolves once every notification started so far has finished (shutdown, tests). */
  async notificationsSettled(): Promise<void> {
    while (this.notifying.size > 0) await Promise.allSettled([...this.notifying]);
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
    try {
      if (entry.uncertain) {
        const landed = await this.findLanded(entry);
        if (landed === 'landed') {
          log.info('check-in had landed before its answer was lost; not posting again');
          return this.delivered(entry, null, null, late);
        }
        if (landed === 'unknown') return await this.reject(entry, CANNOT_TELL, true);
      }
      const check = await keyResults.checkFor(entry.metricId, entry.gtmhubUserId);
      checked = check;
      if (check.reason) return await this.reject(entry, `You cannot check in “${check.metric.name}”: ${NOT_CHECKABLE_MESSAGES[check.reason]}.`, late);
      await store.markOutboxUncertain(entry.id);
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
      if (posted && error instanceof GtmhubUnexpectedResponseError) {
        // Gtmhub answered 2xx: it has the check-in, whatever its body says. Without the body there is no snapshot id.
        log.warn({ err: error }, 'check-in accepted with an unreadable answer; recorded as delivered');
        return this.delivered(entry, null, checked, late);
      }
      if (error instanceof GtmhubError && isPermanent(error)) return this.reject(entry, rejectionReason(error), late);
      const mayHaveLanded = posted && (!(error instanceof GtmhubError) || error.maybeDelivered);
      return this.retryLater(entry, error, mayHaveLanded, late);
    }
  }

  private async deliverBulk(claimed: Array<{ index: number; entry: OutboxEntry }>): Promise<Array<{ index: number; outcome: CheckInOutcome }>> {
    const { gtmhub, store, logger } = this.options;
    for (const { entry } of claimed) await store.markOutboxUncertain(entry.id);
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
      if (!unknown) return Promise.all(claimed.map(async ({ index, entry }) => ({ index, outcome: await this.deliverFailed(entry, error) })));
      logger.warn({ err: error, items: claimed.length }, 'bulk check-in answer lost or unreadable; reading back what landed');
    }
    const results = new Map((response?.results ?? []).map((r) => [r.metricId, r]));
    const outcomes: Array<{ index: number; outcome: CheckInOutcome }> = [];
    for (const { index, entry } of claimed) {
      const result = results.get(entry.metricId);
      let outcome: CheckInOutcome;
      if (result && !result.error) {
        const snapshotId = typeof result.snapshot?.id === 'string' ? result.snapshot.id : null;
        outcome = await this.delivered(entry, snapshotId, null, false);
      } else if (result?.error) outcome = await this.reject(entry, `Gtmhub said: ${result.error}`, false);
      else {
        // Not confirmed: the entry is marked uncertain in the store, so delivering it reads Gtmhub before any new POST.
        const current = await store.getOutboxEntry(entry.id);
        outcome = current ? await this.deliver(current, false) : { status: 'pending', entry, reason: 'Gtmhub did not confirm it yet.' };
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
    this.notify((notifier) => notifier.delivered(delivered, change, late), entry);
    return { status: 'delivered', entry: delivered, change };
  }

  private async reject(entry: OutboxEntry, reason: string, late: boolean): Promise<CheckInOutcome> {
    await this.options.store.markOutboxRejected(entry.id, reason, this.options.clock.now());
    this.options.logger.info({ outboxId: entry.id, reason }, 'check-in rejected');
    if (late) this.notify((notifier) => notifier.rejected(entry, reason), entry);
    return { status: 'rejected', entry: { ...entry, status: 'rejected', lastError: reason }, reason };
  }

  /** Notifications never hold up a delivery or the answer to the person: they run on their own. */
  private notify(send: (notifier: CheckInNotifier) => Promise<void>, entry: OutboxEntry): void {
    const { notifier, logger } = this.options;
    if (!notifier) return;
    const running = send(notifier).catch((error: unknown) => logger.warn({ err: error, outboxId: entry.id }, 'could not tell the person about a check-in'));
    this.notifying.add(running);
    void running.finally(() => this.notifying.delete(running));
  }

  private async retryLater(entry: OutboxEntry, error: unknown, uncertain: boolean, late: boolean): Promise<CheckInOutcome> {
    const now = this.options.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    if (now.getTime() - entry.submittedAt.getTime() > this.giveUpAfterMs && !uncertain && !entry.uncertain) {
      return this.reject(entry, `Gtmhub did not accept it for ${Math.round(this.giveUpAfterMs / 3_600_000)} hours (last error: ${message}).`, true);
    }
    const delay = retryDelay(entry.attempts, this.options.random);
    await this.options.store.rescheduleOutboxEntry(entry.id, new Date(now.getTime() + delay), message, uncertain || entry.uncertain);
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

  /**
   * Whether a check-in whose POST answer was lost is already in Gtmhub: its reference in the key
   * result's history. The history must reach back to the submission for its silence to mean "not
   * there"; a trimmed one that does not, after a later check-in, cannot tell ('unknown').
   */
  private async findLanded(entry: OutboxEntry): Promise<'landed' | 'not_landed' | 'unknown'> {
    const metric = await this.options.gtmhub.getMetric(entry.metricId);
    const ref = refOf(entry);
    const since = entry.submittedAt.getTime() - 1000;
    const lastCheckIn = metric.lastCheckInDate ? Date.parse(metric.lastCheckInDate) : Number.NaN;
    const checkedInSince = Number.isFinite(lastCheckIn) && lastCheckIn >= since;
    const history = metric.metricHistory;
    if (history?.some((h) => carriesRef(h.comment, ref))) return 'landed';
    if (!checkedInSince) return 'not_landed';
    if (!history) return metric.actual === entry.actual ? 'landed' : 'not_landed';
    const oldest = Math.min(...history.map((h) => (h.createdAt ? Date.parse(h.createdAt) : Number.NaN)).filter(Number.isFinite));
    return oldest <= since ? 'not_landed' : 'unknown';
  }
}
