/**
 * Work the scheduler hands to services. A job is state-based: it asks the store what is due now,
 * so a missed, late, doubled or crashed tick does the right thing.
 */
export interface Job {
  name: string;
  /** node-cron expression (6 fields = with seconds). */
  schedule: string;
  run(): Promise<unknown>;
  /** Fan-out work (Slack's rate budget is workspace-wide): one replica at a time, under a job lease. */
  oneReplicaAtATime?: boolean;
}
