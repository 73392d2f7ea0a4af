import type { Migration } from './migration.js';

/** Leases of fan-out jobs (one replica at a time); dates are epoch milliseconds as in 001. */
export const jobLeases: Migration = {
  id: 4,
  name: 'job-leases',
  up: `
CREATE TABLE job_leases (
  job           TEXT PRIMARY KEY,
  holder        TEXT NOT NULL,
  lease_until   INTEGER NOT NULL,
  acquired_at   INTEGER NOT NULL
);
`,
};
