import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { JobLeaseStore } from '../store/job-lease-store.js';

export interface JobLeaseSettings {
  /** How long a lease holds without renewal: a replica that dies hands its jobs over after this. */
  leaseMs: number;
  /** How often a running job renews its lease (well inside `leaseMs`). */
  renewEveryMs: number;
}

export const DEFAULT_JOB_LEASE: JobLeaseSettings = { leaseMs: 60_000, renewEveryMs: 15_000 };

/** This process's name in job leases: host, pid and a random part (pids repeat across containers). */
export function replicaId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** The job did not run here: another replica holds its lease. */
export interface HeldElsewhere {
  skipped: 'held_by_another_replica';
}

/**
 * Runs fan-out jobs on one replica at a time. A run takes the job's lease in the database first,
 * renews it while it runs and releases it at the end; a replica that dies stops renewing, and the
 * lease ends after `leaseMs` for another replica's next tick to take over. The work itself stays
 * state-based and claim-based, so a run that lost its lease (a long stall) cannot double anything.
 */
export class JobLeases {
  constructor(
    private readonly store: JobLeaseStore,
    readonly holder: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: JobLeaseSettings = DEFAULT_JOB_LEASE,
  ) {
    if (!(settings.renewEveryMs > 0 && settings.renewEveryMs < settings.leaseMs)) {
      throw new RangeError(`job leases must be renewed more often than they last (renew every ${settings.renewEveryMs} ms, lease ${settings.leaseMs} ms)`);
    }
  }

  async run<T>(job: string, work: () => Promise<T>): Promise<T | HeldElsewhere> {
    const { store, holder, clock, settings } = this;
    if (!(await store.tryAcquireJobLease(job, holder, clock.now(), settings.leaseMs))) return { skipped: 'held_by_another_replica' };
    let lost = false;
    const renew = setInterval(() => {
      store.tryAcquireJobLease(job, holder, clock.now(), settings.leaseMs).then(
        (kept) => {
          if (!kept && !lost) {
            lost = true;
            this.logger.warn({ job, holder }, 'job lease lost while running (this replica stalled); its claims keep the work from doubling');
          }
        },
        (error: unknown) => this.logger.warn({ err: error, job }, 'could not renew a job lease; trying again'),
      );
    }, settings.renewEveryMs);
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await store.releaseJobLease(job, holder).catch((error: unknown) => {
        this.logger.warn({ err: error, job }, 'could not release a job lease; it ends by itself');
      });
    }
  }

  /** Who runs `job` now, on any replica (null: nobody). */
  holderOf(job: string): Promise<string | null> {
    return this.store.jobLeaseHolder(job, this.clock.now());
  }
}

export function heldElsewhere(result: unknown): result is HeldElsewhere {
  return typeof result === 'object' && result !== null && (result as HeldElsewhere).skipped === 'held_by_another_replica';
}
