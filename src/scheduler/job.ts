/**
 * Work the scheduler hands to services. A job is state-based: it asks the store what is due now,
 * so a missed, late, doubled or crashed tick does the right thing.
 */
export interface Job {
  name: string;
  /** node-cron expression (6 fields = with seconds). */
  schedule: string;
  run(): Promise<unknown>;
}
