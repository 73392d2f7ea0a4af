import type { Scheduler } from '../scheduler/scheduler.js';

export interface ScheduledJob {
  name: string;
  schedule: string;
}

/**
 * The jobs the app registered, so the sandbox can offer "run now" for each one without knowing
 * them. Scheduler keeps its list private and has no accessor yet, so this reads it structurally
 * and checks its shape; it returns [] rather than guess if the class changes.
 */
export function scheduledJobs(scheduler: Scheduler): ScheduledJob[] {
  const jobs: unknown = Reflect.get(scheduler, 'jobs');
  if (!Array.isArray(jobs)) return [];
  return jobs
    .filter((job): job is ScheduledJob => typeof job === 'object' && job !== null && typeof job.name === 'string' && typeof job.schedule === 'string')
    .map(({ name, schedule }) => ({ name, schedule }));
}
