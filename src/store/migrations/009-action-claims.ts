import type { Migration } from './migration.js';

/** Once-per-key actions (key-result creation per form, nudges per day); dates are epoch milliseconds as in 001. */
export const actionClaims: Migration = {
  id: 9,
  name: 'action-claims',
  up: `
CREATE TABLE action_claims (
  key          TEXT PRIMARY KEY,
  claimed_at   INTEGER NOT NULL,
  result       TEXT
);
`,
};
