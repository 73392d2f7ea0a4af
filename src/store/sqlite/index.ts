import type { Database } from 'better-sqlite3';
import type { Logger } from '../../logger.js';
import { migrations } from '../migrations/index.js';
import type { Store } from '../store.js';
import { openSqliteDatabase, type SqliteConnectionOptions } from './database.js';
import { sqliteActionClaimStore } from './action-claims.js';
import { sqliteJobLeaseStore } from './job-leases.js';
import { applyMigrations } from './migrate.js';
import { sqliteOutboxStore } from './outbox.js';
import { sqliteOwnerStore } from './owners.js';
import { sqliteReminderStore } from './reminders.js';
import { sqliteRetentionStore } from './retention.js';
import { sqliteSubscriptionStore } from './subscriptions.js';
import { sqliteSummaryHistoryStore } from './summary-history.js';

export interface SqliteStoreOptions extends SqliteConnectionOptions {
  logger?: Logger;
}

/**
 * Every part of the Store over one connection. `satisfies` makes the compiler name any Store member
 * that no part provides. To add a part: import its factory and spread it here.
 */
function sqliteParts(db: Database, options: SqliteStoreOptions) {
  return {
    ...sqliteOwnerStore(db),
    ...sqliteOutboxStore(db, options.logger),
    ...sqliteReminderStore(db),
    ...sqliteSubscriptionStore(db),
    ...sqliteSummaryHistoryStore(db),
    ...sqliteJobLeaseStore(db),
    ...sqliteRetentionStore(db),
    ...sqliteActionClaimStore(db),
  } satisfies Omit<Store, 'close'>;
}

// Declaration merging: the members of every part are members of SqliteStore, assigned in the constructor.
export interface SqliteStore extends ReturnType<typeof sqliteParts> {}

export class SqliteStore implements Store {
  private constructor(readonly db: Database, options: SqliteStoreOptions) {
    Object.assign(this, sqliteParts(db, options));
  }

  /** Opens (creating if needed) the database at `filename` (':memory:' for a private in-memory one) and migrates it. */
  static open(filename: string, options: SqliteStoreOptions = {}): SqliteStore {
    const db = openSqliteDatabase(filename, options);
    try {
      applyMigrations(db, migrations, options.logger);
      return new SqliteStore(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
