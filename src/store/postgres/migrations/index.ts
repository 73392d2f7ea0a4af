import { ownersAndOutbox } from './001-owners-and-outbox.js';
import { reminders } from './002-reminders.js';
import { subscriptions } from './003-subscriptions.js';
import { jobLeases } from './004-job-leases.js';
import { outboxOrigin } from './005-outbox-origin.js';
import { outboxNoticesAndRetention } from './006-outbox-notices-and-retention.js';
import { summaryProgress } from './008-summary-progress.js';
import { actionClaims } from './009-action-claims.js';
import type { PostgresMigration } from './migration.js';

export type { PostgresMigration } from './migration.js';

/** Every PostgreSQL schema step, in order; ids and names match store/migrations/ one to one. */
export const postgresMigrations: readonly PostgresMigration[] = [
  ownersAndOutbox,
  reminders,
  subscriptions,
  jobLeases,
  outboxOrigin,
  outboxNoticesAndRetention,
  summaryProgress,
  actionClaims,
];
