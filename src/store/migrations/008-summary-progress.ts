import type { Migration } from './migration.js';

/** Each posted summary's overall progress and pace, for the progress line of the next ones. */
export const summaryProgress: Migration = {
  id: 8,
  name: 'summary-progress',
  up: `
CREATE TABLE summary_progress (
  progress_key TEXT NOT NULL,
  taken_at     INTEGER NOT NULL,
  overall      REAL NOT NULL,
  expected     REAL,
  key_results  INTEGER NOT NULL,
  PRIMARY KEY (progress_key, taken_at)
);
`,
};
