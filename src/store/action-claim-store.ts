/**
 * Actions that must happen at most once per key: a key-result creation per submitted form (a double
 * submission creates one), a nudge per key result, owner and day. Claiming is one atomic insert, so
 * it holds across replicas; the first claimant may record what came of it for later claimants.
 */
export interface ActionClaim {
  key: string;
  claimedAt: Date;
  /** What the first claimant recorded (e.g. the created key result's id), or null while it works. */
  result: string | null;
}

export interface ActionClaimStore {
  /** Claims `key` at `now`; `claimed: false` with the existing claim when someone had it already. */
  claimAction(key: string, now: Date): Promise<{ claimed: true } | { claimed: false; claim: ActionClaim }>;
  /** The claim of `key`, or null when nobody claimed it. */
  getActionClaim(key: string): Promise<ActionClaim | null>;
  /** Records the outcome of a claimed action. */
  setActionResult(key: string, result: string): Promise<void>;
  /** Gives a claim up (the action failed and may be tried again); false when there was none. */
  releaseAction(key: string): Promise<boolean>;
}
