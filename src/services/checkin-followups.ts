/**
 * What a person may do with a check-in after it landed (the buttons on its confirmation DM): view
 * it, edit its comment, undo it. The outbox id a button carries back from Slack is only a pointer:
 * ownership is checked here, against what the server recorded.
 */
import type { GtmhubClient } from '../gtmhub/client.js';
import { GtmhubError } from '../gtmhub/errors.js';
import type { Metric, Snapshot } from '../gtmhub/types.js';
import type { Logger } from '../logger.js';
import type { OutboxEntry, OutboxStore } from '../store/store.js';
import { commentLengthProblem } from '../domain/comment-length.js';
import { InvalidInputError, NotAllowedError, NotFoundError } from './errors.js';
import { refOf } from './key-results-admin/checkin-refs.js';
import { heldComment, readCheckIn, rewriteOwnWords } from './key-results-admin/history.js';
import type { PeopleService } from './people/people-service.js';

export interface CheckInFollowUpsOptions {
  gtmhub: Pick<GtmhubClient, 'getMetric' | 'getCheckIn' | 'updateCheckInComment' | 'deleteCheckIn'>;
  store: Pick<OutboxStore, 'getOutboxEntry'>;
  logger: Logger;
  people: Pick<PeopleService, 'nameOf'>;
  /** Told when a check-in was undone in Gtmhub (reminder rows that showed it open again). */
  undone?: (entry: OutboxEntry) => Promise<void>;
}

export class CheckInFollowUps {
  constructor(private readonly options: CheckInFollowUpsOptions) {}

  /** A delivered check-in of this person's, found by our own outbox id. */
  async ownDeliveredCheckIn(slackUserId: string, outboxId: number): Promise<OutboxEntry & { snapshotId: string }> {
    const entry = Number.isSafeInteger(outboxId) ? await this.options.store.getOutboxEntry(outboxId) : null;
    if (!entry || entry.slackUserId !== slackUserId) throw new NotFoundError('That check-in is not one of yours.');
    if (entry.status !== 'delivered' || !entry.snapshotId) throw new NotFoundError('That check-in has not reached Gtmhub yet.');
    return { ...entry, snapshotId: entry.snapshotId };
  }

  async viewCheckIn(slackUserId: string, outboxId: number): Promise<{ entry: OutboxEntry; snapshot: Snapshot; metric: Metric }> {
    const entry = await this.ownDeliveredCheckIn(slackUserId, outboxId);
    const [snapshot, metric] = await Promise.all([this.options.gtmhub.getCheckIn(entry.snapshotId), this.options.gtmhub.getMetric(entry.metricId)]);
    return { entry, snapshot, metric };
  }

  /**
   * What the comment editor starts from: the comment as Gtmhub holds it now (edits made since, from
   * Slack or in Gtmhub, included), never the words first checked in. Gtmhub unreadable = no editor.
   */
  async commentToEdit(slackUserId: string, outboxId: number): Promise<{ entry: OutboxEntry & { snapshotId: string }; comment: string }> {
    const entry = await this.ownDeliveredCheckIn(slackUserId, outboxId);
    return { entry, comment: heldComment(await readCheckIn(this.options.gtmhub, entry.snapshotId)) };
  }

  /** Replaces the person's words in the comment as Gtmhub holds it now; the "from Slack by" line stays. */
  async editComment(slackUserId: string, slackDisplayName: string, outboxId: number, comment: string): Promise<string> {
    const tooLong = commentLengthProblem(comment);
    if (tooLong) throw new InvalidInputError(tooLong);
    const entry = await this.ownDeliveredCheckIn(slackUserId, outboxId);
    const name = await this.options.people.nameOf(slackUserId, slackDisplayName);
    return rewriteOwnWords(this.options.gtmhub, { snapshotId: entry.snapshotId, words: comment, name, ref: refOf(entry) });
  }

  /** Deletes the check-in in Gtmhub (Gtmhub allows it to account admins only). */
  async undo(slackUserId: string, outboxId: number): Promise<void> {
    const entry = await this.ownDeliveredCheckIn(slackUserId, outboxId);
    let goneAlready = false;
    try {
      await this.options.gtmhub.deleteCheckIn(entry.snapshotId);
    } catch (error) {
      if (error instanceof GtmhubError && error.status === 403) {
        throw new NotAllowedError(
          'Gtmhub lets only account admins delete check-ins, and the account kr-checkin uses is not one. Ask a Gtmhub admin to remove it, or check in the right value again.',
        );
      }
      // Gone: deleted in Gtmhub, or by this very request's first try whose answer was lost (DELETE is retried).
      if (!(error instanceof GtmhubError && error.status === 404)) throw error;
      goneAlready = true;
    }
    this.options.logger.info({ outboxId, snapshotId: entry.snapshotId, goneAlready }, 'check-in undone');
    // Either way it is not in Gtmhub any more; a reminder row that stays stale is only logged.
    await this.options.undone?.(entry).catch((error: unknown) => this.options.logger.warn({ err: error, outboxId }, 'could not reopen the reminder rows of an undone check-in'));
    if (goneAlready) throw new NotFoundError('That check-in is already gone from Gtmhub.');
  }
}
