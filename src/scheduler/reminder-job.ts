import type { ReminderPasses } from '../services/reminders/passes.js';
import type { Job } from './job.js';

/**
 * Reminder DMs. Every tick asks the store whether reminder work is due (or a rescan of Gtmhub is),
 * and runs a pass only then; the pass itself is state-based, so missed or doubled ticks are harmless.
 */
export function reminderJob(reminders: Pick<ReminderPasses, 'tick'>, schedule = '0 */5 * * * *'): Job {
  return {
    name: 'reminders',
    schedule,
    oneReplicaAtATime: true,
    run: () => reminders.tick(),
  };
}
