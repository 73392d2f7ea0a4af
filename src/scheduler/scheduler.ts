import { schedule, validate, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { Job } from './job.js';
import type { HeldElsewhere, JobLeases } from './job-lease.js';

/**
 * Runs each job on its cron schedule, never two runs of one job at once in this process; jobs marked
 * `oneReplicaAtATime` also never at once across replicas (their lease is in the database).
 */
export class Scheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly jobList: Job[],
    private readonly logger: Logger,
    private readonly leases?: JobLeases,
  ) {
    for (const job of jobList) {
      if (!validate(job.schedule)) throw new Error(`Job ${job.name} has an invalid schedule: ${job.schedule}`);
    }
  }

  start(): void {
    for (const job of this.jobList) {
      const task = schedule(job.schedule, () => this.runNow(job.name), { name: job.name, noOverlap: true });
      this.tasks.set(job.name, task);
    }
    this.logger.info({ jobs: this.jobList.map((j) => `${j.name} (${j.schedule})`) }, 'scheduler started');
  }

  /** Runs a job at once (also used by admin commands); errors are logged, never thrown. */
  async runNow(name: string): Promise<unknown> {
    const job = this.jobList.find((j) => j.name === name);
    if (!job) throw new Error(`No job named ${name}`);
    const started = Date.now();
    const run = (job.oneReplicaAtATime && this.leases ? this.leases.run(job.name, () => job.run()) : job.run()).then(
      (result) => {
        this.logger.debug({ job: name, ms: Date.now() - started, result }, 'job finished');
        return result;
      },
      (error: unknown) => {
        this.logger.error({ err: error, job: name }, 'job failed; the next tick will pick its work up');
        return undefined;
      },
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  /** The registered jobs (name and cron schedule), e.g. for "run now" controls. */
  jobs(): Array<{ name: string; schedule: string }> {
    return this.jobList.map(({ name, schedule }) => ({ name, schedule }));
  }

  /**
   * Runs `work` (e.g. an admin's "run now") under the job's lease when the job is one replica at a
   * time, so it never runs beside a scheduled run elsewhere; the job's own run otherwise.
   */
  async runExclusively<T>(name: string, work: () => Promise<T>): Promise<T | HeldElsewhere> {
    const job = this.jobList.find((j) => j.name === name);
    if (!job) throw new Error(`No job named ${name}`);
    return job.oneReplicaAtATime && this.leases ? this.leases.run(name, work) : work();
  }

  /** Whether a run of the job is going on here or, for leased jobs, on any replica. */
  async isRunning(name: string): Promise<boolean> {
    const job = this.jobList.find((j) => j.name === name);
    if (!job) throw new Error(`No job named ${name}`);
    if (job.oneReplicaAtATime && this.leases) return (await this.leases.holderOf(name)) !== null;
    return false;
  }

  nextRun(name: string): Date | null {
    return this.tasks.get(name)?.getNextRun() ?? null;
  }

  /** Stops ticking, then waits for running jobs (they are idempotent, so a cut-off run is safe). */
  async stop(timeoutMs = 10_000): Promise<void> {
    await Promise.all([...this.tasks.values()].map((t) => t.destroy()));
    this.tasks.clear();
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }
}
