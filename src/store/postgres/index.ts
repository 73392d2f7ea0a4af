import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { Store } from '../store.js';
import { connectionSettings, describeTarget, type DatabaseTarget } from './connection-settings.js';
import { postgresActionClaimStore } from './action-claims.js';
import { postgresJobLeaseStore } from './job-leases.js';
import { applyPostgresMigrations } from './migrate.js';
import { postgresMigrations } from './migrations/index.js';
import { postgresOutboxStore } from './outbox.js';
import { postgresOwnerStore } from './owners.js';
import { createPool, type PoolOptions } from './pool.js';
import { postgresReminderStore } from './reminders.js';
import { postgresRetentionStore } from './retention.js';
import { postgresSubscriptionStore } from './subscriptions.js';
import { postgresSummaryHistoryStore } from './summary-history.js';
import { waitForDatabase, type RetryOptions } from './wait-for-database.js';

export interface PostgresStoreOptions extends PoolOptions {
  logger?: Logger;
  /** Start-up retries while the database is not reachable yet. */
  connect?: Omit<RetryOptions, 'logger'>;
}

/** Every part of the Store over one pool; `satisfies` names any Store member that no part provides. */
function postgresParts(pool: pg.Pool, options: PostgresStoreOptions) {
  return {
    ...postgresOwnerStore(pool),
    ...postgresOutboxStore(pool, options.logger),
    ...postgresReminderStore(pool),
    ...postgresSubscriptionStore(pool),
    ...postgresSummaryHistoryStore(pool),
    ...postgresJobLeaseStore(pool),
    ...postgresRetentionStore(pool),
    ...postgresActionClaimStore(pool),
  } satisfies Omit<Store, 'close'>;
}

// Declaration merging: the members of every part are members of PostgresStore, assigned in the constructor.
export interface PostgresStore extends ReturnType<typeof postgresParts> {}

export class PostgresStore implements Store {
  private closed = false;

  private constructor(
    readonly pool: pg.Pool,
    readonly target: DatabaseTarget,
    options: PostgresStoreOptions,
  ) {
    Object.assign(this, postgresParts(pool, options));
  }

  /**
   * Connects to the database at `databaseUrl` (retrying while it is not reachable yet) and brings its
   * schema up to date under an advisory lock. Fails with one error naming host, port and database.
   */
  static async open(databaseUrl: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const settings = connectionSettings(databaseUrl);
    const pool = createPool(settings, options);
    try {
      await waitForDatabase(pool, settings.target, settings.client.password as string | undefined, { ...options.connect, logger: options.logger });
      await applyPostgresMigrations(pool, postgresMigrations, options.logger);
      options.logger?.info({ database: `postgres ${describeTarget(settings.target)}` }, 'store opened');
      return new PostgresStore(pool, settings.target, options);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
