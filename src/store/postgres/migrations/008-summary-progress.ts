import type { PostgresMigration } from './migration.js';

/** Each posted summary's overall progress and pace, for the progress line of the next ones. */
export const summaryProgress: PostgresMigration = {
  id: 8,
  name: 'summary-progress',
  up: `
CREATE TABLE summary_progress (
  progress_key text NOT NULL,
  taken_at     timestamptz NOT NULL,
  overall      double precision NOT NULL,
  expected     double precision,
  key_results  integer NOT NULL,
  PRIMARY KEY (progress_key, taken_at)
);
`,
};
