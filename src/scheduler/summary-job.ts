import type { SummarySubscriptionService } from '../services/summaries/subscriptions.js';
import type { Job } from './job.js';

/**
 * Posts scheduled channel summaries that are due. Every tick asks the store what is due; a period
 * is claimed atomically, so overlapping ticks, replicas and restarts post it once.
 */
export function summaryJob(subscriptions: Pick<SummarySubscriptionService, 'runDue'>, schedule = '0 * * * * *'): Job {
  return {
    name: 'summaries',
    schedule,
    oneReplicaAtATime: true,
    run: () => subscriptions.runDue(),
  };
}
