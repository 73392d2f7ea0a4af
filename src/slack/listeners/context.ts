import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { Services } from '../../services/index.js';
import type { InFlightWork } from '../in-flight.js';

/** What every listener gets besides Bolt's own arguments. */
export interface ListenerContext {
  services: Services;
  config: Config;
  logger: Logger;
  inFlight: InFlightWork;
  /** When the scheduler runs a job next, whether it runs on any replica, running it under its lease (`/kr remind …`). */
  scheduler: Pick<Scheduler, 'nextRun' | 'isRunning' | 'runExclusively'>;
}
