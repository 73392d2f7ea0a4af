import type { PostgresMigration } from './migration.js';

/** Leases of fan-out jobs (one replica at a time). */
export const jobLeases: PostgresMigration = {
  id: 4,
  name: 'job-leases',
  up: `
CREATE TABLE job_leases (
  job           text PRIMARY KEY,
  holder        text NOT NULL,
  lease_until   timestamptz NOT NULL,
  acquired_at   timestamptz NOT NULL
);
`,
};
