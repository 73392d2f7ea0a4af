import type { CheckInService } from '../services/checkins.js';
import type { Job } from './job.js';

/** Delivers check-ins that are waiting in the outbox (Gtmhub was down, or a process died mid-call). */
export function outboxJob(checkins: Pick<CheckInService, 'runOutbox'>, schedule = '*/15 * * * * *'): Job {
  return {
    name: 'outbox',
    schedule,
    async run() {
      let total = { delivered: 0, rejected: 0, retrying: 0 };
      // Drain in batches so a backlog after an outage clears in one tick.
      for (let batch = 0; batch < 50; batch++) {
        const counts = await checkins.runOutbox(20);
        total = { delivered: total.delivered + counts.delivered, rejected: total.rejected + counts.rejected, retrying: total.retrying + counts.retrying };
        if (counts.delivered + counts.rejected + counts.retrying < 20) break;
      }
      return total;
    },
  };
}
