import type { RetentionService } from '../services/retention.js';
import type { Job } from './job.js';

/**
 * Deletes history older than the retention period, once a day (a repeated or missed run changes nothing).
 * One replica at a time: the others would only repeat the same large deletes.
 */
export function retentionJob(retention: Pick<RetentionService, 'prune'>, schedule = '0 30 3 * * *'): Job {
  return { name: 'retention', schedule, oneReplicaAtATime: true, run: () => retention.prune() };
}
