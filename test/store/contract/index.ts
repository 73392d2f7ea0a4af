import { describe } from 'vitest';
import type { StoreBackend } from './backend.js';
import { actionClaimsContract } from './action-claims.js';
import { concurrencyContract } from './concurrency.js';
import { jobLeasesContract } from './job-leases.js';
import { outboxContract } from './outbox.js';
import { ownersContract } from './owners.js';
import { remindersContract } from './reminders.js';
import { retentionContract } from './retention.js';
import { subscriptionsContract } from './subscriptions.js';
import { summaryHistoryContract } from './summary-history.js';

export type { StoreBackend, TestDatabase } from './backend.js';
export { postgresBackend, sqliteBackend } from './backend.js';

/** The Store contract: the same tests for every implementation. Call at the top level of a test file. */
export function describeStoreContract(backend: StoreBackend): void {
  describe.skipIf(!backend.available)(`Store contract: ${backend.name}`, () => {
    ownersContract(backend);
    outboxContract(backend);
    remindersContract(backend);
    subscriptionsContract(backend);
    summaryHistoryContract(backend);
    jobLeasesContract(backend);
    retentionContract(backend);
    actionClaimsContract(backend);
  });
}

/** Claims by several processes on one database (slower: each worker is a Node process). */
export function describeCrossProcessContract(backend: StoreBackend): void {
  describe.skipIf(!backend.available)(`Store contract across processes: ${backend.name}`, () => {
    concurrencyContract(backend);
  });
}
