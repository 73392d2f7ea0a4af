/**
 * Gtmhub's public key-result history carries no check-in ids, so the history view finds a check-in
 * made from Slack by the reference in its comment signature: when one lands, its reference is
 * recorded with Gtmhub's check-in id and the key result it was made on (an action claim keyed by
 * the reference, once). The key result is recorded because Gtmhub's answer to
 * `GET /v1/metrics/checkin/{id}` is documented only as "metricDto": a `metricId` on it is a guess.
 */
import { submissionRef } from '../../domain/checkin-signature.js';
import type { Logger } from '../../logger.js';
import type { ActionClaimStore } from '../../store/action-claim-store.js';
import type { OutboxEntry, RejectedKeyResult } from '../../store/store.js';
import type { CheckInChange, CheckInNotifier } from '../checkin-types.js';
import type { Clock } from '../../clock.js';

export function checkInRefKey(ref: string): string {
  return `checkin-ref:${ref}`;
}

/** What the app recorded when a check-in made from Slack landed. */
export interface RecordedCheckIn {
  snapshotId: string;
  /** The key result it was made on; null in rows recorded before it was (they hold the bare check-in id). */
  metricId: string | null;
}

/** The claim result recording a landed check-in: `{"snapshotId":…,"metricId":…}`. */
export function recordedCheckInValue(snapshotId: string, metricId: string): string {
  return JSON.stringify({ snapshotId, metricId });
}

/** A recorded claim result, in either form (JSON, or an older row's bare check-in id); null when there is none yet or it is unreadable. */
export function parseRecordedCheckIn(result: string | null): RecordedCheckIn | null {
  if (result === null || result === '') return null;
  if (!result.startsWith('{')) return { snapshotId: result, metricId: null };
  try {
    const parsed: unknown = JSON.parse(result);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { snapshotId, metricId } = parsed as Record<string, unknown>;
    if (typeof snapshotId !== 'string') return null;
    return { snapshotId, metricId: typeof metricId === 'string' ? metricId : null };
  } catch {
    return null;
  }
}

export function refOf(entry: Pick<OutboxEntry, 'context' | 'idempotencyKey'>): string {
  return typeof entry.context.ref === 'string' ? entry.context.ref : submissionRef(entry.idempotencyKey);
}

/** A notifier that records each landed check-in's reference, then passes everything on. */
export class CheckInRefRecorder implements CheckInNotifier {
  constructor(
    private readonly inner: CheckInNotifier,
    private readonly store: ActionClaimStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void> {
    if (entry.snapshotId) {
      try {
        const key = checkInRefKey(refOf(entry));
        const claim = await this.store.claimAction(key, this.clock.now());
        if (claim.claimed) await this.store.setActionResult(key, recordedCheckInValue(entry.snapshotId, entry.metricId));
      } catch (error) {
        this.logger.warn({ err: error, outboxId: entry.id }, 'could not record a check-in reference');
      }
    }
    await this.inner.delivered(entry, change, late);
  }

  async rejected(entry: OutboxEntry, reason: string, keyResult?: RejectedKeyResult): Promise<void> {
    await this.inner.rejected(entry, reason, keyResult);
  }
}
