/**
 * A key result's last check-ins, and what may be done to one: edit its comment
 * (`PATCH /v1/metrics/checkin/{id}`) or delete it (`DELETE`, which Gtmhub allows account admins only).
 * Gtmhub's history carries no check-in ids, so only check-ins made from Slack (found by the
 * reference in their signature) can be edited or deleted from here.
 */
import { ownWords, replaceOwnWords } from '../../domain/checkin-signature.js';
import { commentLengthProblem } from '../../domain/comment-length.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import { GtmhubError } from '../../gtmhub/errors.js';
import { isGtmhubId } from '../../gtmhub/ids.js';
import type { Goal, Metric, Snapshot } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { ActionClaimStore } from '../../store/action-claim-store.js';
import type { OwnerStore } from '../../store/store.js';
import { InvalidInputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { PeopleService } from '../people/people-service.js';
import { checkInRefKey, parseRecordedCheckIn } from './checkin-refs.js';
import type { KeyResultPermissions } from './permissions.js';

export const HISTORY_LENGTH = 10;

const REF = /\(kr-checkin ([0-9a-f]{10})\)\s*$/;

export interface HistoryEntry {
  at: string | null;
  /** Who made it: the person named in the Slack signature, else the Gtmhub user's name. */
  by: string;
  value: number | null;
  confidence: number | null;
  comment: string;
  /** The Slack reference, when the check-in was made from Slack and can be acted on. */
  ref: string | null;
}

export interface HistoryView {
  keyResult: Metric;
  objective: Goal;
  entries: HistoryEntry[];
  /** Whether the person may edit comments and delete check-ins of this key result. */
  mayChange: boolean;
  /** The viewer's Slack time zone, for the dates of the entries (absent or null: not known, shown in UTC). */
  timeZone?: string | null;
}

export interface KeyResultHistoryOptions {
  gtmhub: Pick<GtmhubClient, 'getCheckIn' | 'updateCheckInComment' | 'deleteCheckIn' | 'listUsers'>;
  permissions: KeyResultPermissions;
  people: Pick<PeopleService, 'nameOf'>;
  store: ActionClaimStore & Pick<OwnerStore, 'getSlackProfile'>;
  logger: Logger;
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A check-in as Gtmhub holds it now; one that is gone is said so. */
export async function readCheckIn(gtmhub: Pick<GtmhubClient, 'getCheckIn'>, snapshotId: string): Promise<Snapshot> {
  try {
    return await gtmhub.getCheckIn(snapshotId);
  } catch (error) {
    if (error instanceof GtmhubError && error.status === 404) throw new NotFoundError('That check-in is already gone from Gtmhub.');
    throw error;
  }
}

/**
 * The comment a check-in holds in Gtmhub now. An answer without one (the snapshot's `comment` is a
 * guess) is refused rather than read as empty: editing blind would overwrite what is there.
 */
export function heldComment(snapshot: Snapshot): string {
  if (typeof snapshot.comment !== 'string') {
    throw new NotFoundError('Gtmhub did not tell me the comment this check-in holds now, so I changed nothing (to not overwrite words written elsewhere). Change it in Gtmhub.');
  }
  return snapshot.comment;
}

/**
 * The one way a Slack check-in's comment is edited (from its confirmation DM and from the key
 * result's history): the person's own words are replaced in the comment as Gtmhub holds it now,
 * read right before the write (`held`, when the caller has just read it) — never in a copy kept in
 * Slack or the outbox — and the signature Gtmhub holds stays. Returns the comment saved.
 */
export async function rewriteOwnWords(
  gtmhub: Pick<GtmhubClient, 'getCheckIn' | 'updateCheckInComment'>,
  edit: { snapshotId: string; held?: Snapshot; words: string; name: string; ref: string },
): Promise<string> {
  const held = heldComment(edit.held ?? (await readCheckIn(gtmhub, edit.snapshotId)));
  const full = replaceOwnWords(held, edit.words, edit.name, edit.ref);
  await gtmhub.updateCheckInComment(edit.snapshotId, full);
  return full;
}

export class KeyResultHistory {
  constructor(private readonly options: KeyResultHistoryOptions) {}

  /** The last check-ins, newest first; anyone mapped may look, only those allowed get the buttons. */
  async view(slackUserId: string, metricId: unknown): Promise<HistoryView> {
    const { permissions } = this.options;
    const [actor, keyResult] = await Promise.all([permissions.actor(slackUserId), permissions.keyResult(metricId)]);
    // After the actor: finding who they are keeps their Slack profile (and time zone) in the store.
    const profile = await this.options.store.getSlackProfile(slackUserId);
    const objective = await permissions.objective(keyResult.goalId);
    let mayChange = true;
    try {
      await permissions.assertMayChangeKeyResult(actor.slackUserId, keyResult.id);
    } catch (error) {
      if (!(error instanceof NotAllowedError)) throw error;
      mayChange = false;
    }
    const history = [...(keyResult.metricHistory ?? [])]
      .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''))
      .slice(0, HISTORY_LENGTH);
    const names = await this.#namesOf(history.map((h) => h.changedBy).filter((id): id is string => typeof id === 'string'));
    const entries = history.map((h): HistoryEntry => {
      const comment = typeof h.comment === 'string' ? h.comment : '';
      const slackName = /— checked in from Slack by (.*) \(kr-checkin [0-9a-f]{10}\)\s*$/.exec(comment)?.[1];
      return {
        at: h.createdAt ?? null,
        by: slackName ?? (h.changedBy ? (names.get(h.changedBy) ?? 'someone') : 'someone'),
        value: numberOr(h.value),
        confidence: numberOr(h.confidence),
        comment: ownWords(comment),
        ref: REF.exec(comment)?.[1] ?? null,
      };
    });
    return { keyResult, objective, entries, mayChange, timeZone: profile?.tz ?? null };
  }

  /**
   * The check-in behind a reference, after checking the person may change its key result. The key
   * result is the one the app recorded when the check-in landed (server-side, never from Slack);
   * Gtmhub's `metricId` on the check-in is a guess, used only for rows recorded before that.
   */
  async checkIn(slackUserId: string, ref: unknown): Promise<{ snapshot: Snapshot & { id: string }; keyResult: Metric }> {
    if (typeof ref !== 'string' || !/^[0-9a-f]{10}$/.test(ref)) throw new InvalidInputError('That is not a check-in I know.');
    const claim = await this.options.store.getActionClaim(checkInRefKey(ref));
    if (!claim) throw new NotFoundError('I have no record of that check-in; only check-ins made from Slack can be changed here.');
    const recorded = parseRecordedCheckIn(claim.result);
    if (!recorded || !isGtmhubId(recorded.snapshotId)) throw new NotFoundError('That check-in has not reached Gtmhub yet.');
    const snapshot = await readCheckIn(this.options.gtmhub, recorded.snapshotId);
    const told = typeof snapshot.metricId === 'string' && snapshot.metricId !== '' ? snapshot.metricId : null;
    if (recorded.metricId !== null && told !== null && told !== recorded.metricId) {
      this.options.logger.warn({ snapshotId: recorded.snapshotId, recorded: recorded.metricId, told }, 'a check-in belongs to another key result in Gtmhub than recorded');
      throw new NotAllowedError('Gtmhub says that check-in belongs to a different key result than the one it was made on, so I changed nothing. Change it in Gtmhub.');
    }
    const metricId = recorded.metricId ?? told;
    if (metricId === null) {
      throw new NotFoundError('I cannot tell which key result that check-in belongs to (it was made before I recorded that, and Gtmhub does not say), so I changed nothing. Change it in Gtmhub.');
    }
    const { keyResult } = await this.options.permissions.assertMayChangeKeyResult(slackUserId, metricId);
    return { snapshot: { ...snapshot, id: recorded.snapshotId }, keyResult };
  }

  async editComment(slackUserId: string, ref: unknown, comment: string): Promise<void> {
    const tooLong = commentLengthProblem(comment);
    if (tooLong) throw new InvalidInputError(tooLong);
    const { snapshot } = await this.checkIn(slackUserId, ref);
    const name = await this.options.people.nameOf(slackUserId, 'someone');
    await rewriteOwnWords(this.options.gtmhub, { snapshotId: snapshot.id, held: snapshot, words: comment, name, ref: String(ref) });
  }

  async deleteCheckIn(slackUserId: string, ref: unknown): Promise<void> {
    const { snapshot } = await this.checkIn(slackUserId, ref);
    try {
      await this.options.gtmhub.deleteCheckIn(snapshot.id);
    } catch (error) {
      if (error instanceof GtmhubError && error.status === 403) {
        throw new NotAllowedError('Gtmhub lets only account admins delete check-ins, and the account kr-checkin uses is not one. Ask a Gtmhub admin to remove it, or check in the right value again.');
      }
      if (error instanceof GtmhubError && error.status === 404) throw new NotFoundError('That check-in is already gone from Gtmhub.');
      throw error;
    }
    this.options.logger.info({ snapshotId: snapshot.id, slackUserId }, 'check-in deleted from the history');
  }

  async #namesOf(ids: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return names;
    try {
      const { items } = await this.options.gtmhub.listUsers({ filter: { _id: { $in: unique } }, limit: unique.length });
      for (const user of items) names.set(user.id, [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email || 'someone');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not name the people in a history');
    }
    return names;
  }
}
