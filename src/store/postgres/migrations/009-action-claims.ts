import type { PostgresMigration } from './migration.js';

/** Once-per-key actions (key-result creation per form, nudges per day). */
export const actionClaims: PostgresMigration = {
  id: 9,
  name: 'action-claims',
  up: `
CREATE TABLE action_claims (
  key          text PRIMARY KEY,
  claimed_at   timestamptz NOT NULL,
  result       text
);
`,
};
