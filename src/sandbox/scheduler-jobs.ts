import type { Scheduler } from '../scheduler/scheduler.js';

export interface ScheduledJob {
  name: string;
  schedule: string;
}

/** The jobs the app registered, so the sandbox can offer "run now" for each one without knowing them. */
export function scheduledJobs(scheduler: Scheduler): ScheduledJob[] {
  return scheduler.jobs();
}
