import type { Migration } from './migration.js';
import { ownersAndOutbox } from './001-owners-and-outbox.js';
import { reminders } from './002-reminders.js';
import { subscriptions } from './003-subscriptions.js';
import { jobLeases } from './004-job-leases.js';
import { outboxOrigin } from './005-outbox-origin.js';
import { outboxNoticesAndRetention } from './006-outbox-notices-and-retention.js';
import { summaryProgress } from './008-summary-progress.js';
import { actionClaims } from './009-action-claims.js';

export type { Migration } from './migration.js';

/**
 * Every SQLite schema step, in order. Add a migration: a new numbered file and one line here, and the
 * same id and name in postgres/migrations/ (test/store/postgres/migrate.test.ts checks they match).
 */
export const migrations: readonly Migration[] = [
  ownersAndOutbox,
  reminders,
  subscriptions,
  jobLeases,
  outboxOrigin,
  outboxNoticesAndRetention,
  summaryProgress,
  actionClaims,
];
