import type pg from 'pg';
import type { JobLeaseStore } from '../job-lease-store.js';
import { leaseEnd, validDate } from './values.js';

/** Job leases (migration 004): one upsert that only takes a free, expired or own lease. */
export function postgresJobLeaseStore(pool: pg.Pool): JobLeaseStore {
  return {
    async tryAcquireJobLease(job, holder, now, leaseMs) {
      const { rows } = await pool.query<{ holder: string }>(
        `INSERT INTO job_leases (job, holder, lease_until, acquired_at) VALUES ($1, $2, $4, $3)
         ON CONFLICT (job) DO UPDATE SET
           holder = excluded.holder, lease_until = excluded.lease_until,
           acquired_at = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.acquired_at ELSE excluded.acquired_at END
         WHERE job_leases.holder = excluded.holder OR job_leases.lease_until <= $3
         RETURNING holder`,
        [job, holder, validDate(now), leaseEnd(now, leaseMs)],
      );
      return rows[0]?.holder === holder;
    },
    async releaseJobLease(job, holder) {
      return ((await pool.query('DELETE FROM job_leases WHERE job = $1 AND holder = $2', [job, holder])).rowCount ?? 0) > 0;
    },
    async jobLeaseHolder(job, now) {
      const { rows } = await pool.query<{ holder: string }>('SELECT holder FROM job_leases WHERE job = $1 AND lease_until > $2', [job, validDate(now)]);
      return rows[0]?.holder ?? null;
    },
  };
}
