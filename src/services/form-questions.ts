/**
 * Questions a form asks once before it saves ("Are you sure?", "the form changed"): the answer is the
 * person pressing the button again. Which form was asked is kept in the store as an action claim, so
 * the second press counts wherever it lands — on another replica, or after a restart.
 */
import type { Clock } from '../clock.js';
import type { ActionClaimStore } from '../store/action-claim-store.js';

/** A question older than this is no answer: the form asks again. */
export const ASKED_FOR_MS = 30 * 60_000;

export class FormQuestions {
  constructor(
    private readonly store: ActionClaimStore,
    private readonly clock: Clock,
    private readonly askedForMs = ASKED_FOR_MS,
  ) {}

  /**
   * Whether `key` was asked within the last half hour; if not, it counts as asked now. `answered:
   * 'forget'` forgets a recent question once it is answered (the next press asks again);
   * `'keep'` keeps it (it is asked once for the form's life).
   */
  async askedBefore(key: string, answered: 'forget' | 'keep'): Promise<boolean> {
    const now = this.clock.now();
    const claim = await this.store.claimAction(`asked:${key}`, now);
    if (claim.claimed) return false;
    if (now.getTime() - claim.claim.claimedAt.getTime() < this.askedForMs) {
      if (answered === 'forget') await this.store.releaseAction(`asked:${key}`);
      return true;
    }
    await this.store.releaseAction(`asked:${key}`);
    await this.store.claimAction(`asked:${key}`, now);
    return false;
  }
}
