/**
 * A lease on a fan-out job (the reminder pass, the summary tick): one replica at a time runs it.
 * Acquiring is one atomic statement (insert, or take over a lease that is free, expired or already
 * the caller's), so it holds across processes; a holder that dies simply stops renewing.
 */
export interface JobLeaseStore {
  /**
   * Takes the lease of `job` for `holder` until `now + leaseMs` when nobody holds it, its lease
   * ended at or before `now`, or `holder` already holds it (then it is renewed). False otherwise.
   */
  tryAcquireJobLease(job: string, holder: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Gives the lease up at once if `holder` holds it; false when it did not. */
  releaseJobLease(job: string, holder: string): Promise<boolean>;
  /** Who holds the lease of `job` at `now` (null when nobody does, or its lease ended). */
  jobLeaseHolder(job: string, now: Date): Promise<string | null>;
}
