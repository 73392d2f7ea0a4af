import type { Database } from 'better-sqlite3';
import type { JobLeaseStore } from '../job-lease-store.js';
import { toMillis } from './dates.js';

/** Job leases (migration 004): one upsert that only takes a free, expired or own lease. */
export function sqliteJobLeaseStore(db: Database): JobLeaseStore {
  const acquire = db.prepare<{ job: string; holder: string; now: number; leaseUntil: number }, { holder: string }>(
    `INSERT INTO job_leases (job, holder, lease_until, acquired_at) VALUES (@job, @holder, @leaseUntil, @now)
     ON CONFLICT (job) DO UPDATE SET
       holder = excluded.holder, lease_until = excluded.lease_until,
       acquired_at = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.acquired_at ELSE excluded.acquired_at END
     WHERE job_leases.holder = excluded.holder OR job_leases.lease_until <= @now
     RETURNING holder`,
  );
  const release = db.prepare('DELETE FROM job_leases WHERE job = ? AND holder = ?');
  const holderAt = db.prepare<[string, number], { holder: string }>('SELECT holder FROM job_leases WHERE job = ? AND lease_until > ?');

  return {
    async tryAcquireJobLease(job, holder, now, leaseMs) {
      if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be a positive number of milliseconds, got ${leaseMs}`);
      const row = acquire.get({ job, holder, now: toMillis(now), leaseUntil: toMillis(now) + Math.ceil(leaseMs) });
      return row?.holder === holder;
    },
    async releaseJobLease(job, holder) {
      return release.run(job, holder).changes > 0;
    },
    async jobLeaseHolder(job, now) {
      return holderAt.get(job, toMillis(now))?.holder ?? null;
    },
  };
}
