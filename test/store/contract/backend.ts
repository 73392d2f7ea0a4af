import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Logger } from '../../../src/logger.js';
import { PostgresStore } from '../../../src/store/postgres/index.js';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import type { Store } from '../../../src/store/store.js';
import { createTestPostgresDatabase, postgresAvailable, type TestPostgresDatabase } from '../support/postgres-database.js';
import { tempDir } from '../support/temp-db.js';

export interface OpenOptions {
  logger?: Logger;
}

/** One empty database; every `open` is another store with its own connection(s), as another replica would have. */
export interface TestDatabase {
  /** The DATABASE_URL of this database, for child processes. */
  url: string;
  open(options?: OpenOptions): Promise<Store>;
}

/** A store implementation under the contract suite. */
export interface StoreBackend {
  name: string;
  /** False when the suite must be skipped (no PostgreSQL server outside CI). */
  available: boolean;
  /** A new empty database; closed and removed after the current test. */
  freshDatabase(): Promise<TestDatabase>;
}

/** Closes every store a test opened, whichever way the test ended. */
function storeTracker() {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  return <T extends Store>(store: T): T => {
    opened.push(store);
    return store;
  };
}

/** SQLite files in a temporary directory per test. Call at the top level of a test file. */
export function sqliteBackend(): StoreBackend {
  const track = storeTracker();
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });
  return {
    name: 'SqliteStore',
    available: true,
    async freshDatabase() {
      const dir = tempDir();
      dirs.push(dir);
      const file = dir.file();
      return { url: `file:${file}`, open: async (options = {}) => track(SqliteStore.open(file, options)) };
    },
  };
}

/** A PostgreSQL database for the test file, an empty schema in it per test. Call at the top level of a test file. */
export function postgresBackend(): StoreBackend {
  const available = postgresAvailable();
  const track = storeTracker();
  let database: TestPostgresDatabase | undefined;
  beforeAll(async () => {
    if (available) database = await createTestPostgresDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    name: 'PostgresStore',
    available,
    async freshDatabase() {
      if (!database) throw new Error('the test PostgreSQL database was not created');
      const url = await database.freshSchema();
      return { url, open: async (options = {}) => track(await PostgresStore.open(url, { ...options, poolSize: 4 })) };
    },
  };
}
