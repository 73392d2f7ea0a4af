/**
 * Gtmhub's public key-result history carries no check-in ids, so the history view finds a check-in
 * made from Slack by the reference in its comment signature: when one lands, its reference is
 * recorded with Gtmhub's check-in id (an action claim keyed by the reference, once).
 */
import { submissionRef } from '../../domain/checkin-signature.js';
import type { Logger } from '../../logger.js';
import type { ActionClaimStore } from '../../store/action-claim-store.js';
import type { OutboxEntry } from '../../store/store.js';
import type { CheckInChange, CheckInNotifier } from '../checkin-types.js';
import type { Clock } from '../../clock.js';

export function checkInRefKey(ref: string): string {
  return `checkin-ref:${ref}`;
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
        if (claim.claimed) await this.store.setActionResult(key, entry.snapshotId);
      } catch (error) {
        this.logger.warn({ err: error, outboxId: entry.id }, 'could not record a check-in reference');
      }
    }
    await this.inner.delivered(entry, change, late);
  }

  async rejected(entry: OutboxEntry, reason: string): Promise<void> {
    await this.inner.rejected(entry, reason);
  }
}
