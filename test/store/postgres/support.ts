import { afterAll, afterEach, beforeAll } from 'vitest';
import pg from 'pg';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../support/postgres-database.js';

/**
 * For PostgreSQL-specific test files: the file's own database (created before, dropped after) and
 * pools that are ended after each test. Call at the top level of a describe that skips without PostgreSQL.
 */
export function postgresTestDatabase(available: boolean) {
  let database: TestPostgresDatabase | undefined;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    if (available) database = await createTestPostgresDatabase();
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    /** A URL whose connections use a new empty schema. */
    async freshUrl(): Promise<string> {
      if (!database) throw new Error('the test PostgreSQL database was not created');
      return database.freshSchema();
    },
    /** A small pool on `url`, ended after the test. */
    pool(url: string, max = 2): pg.Pool {
      const pool = new pg.Pool({ connectionString: url, max });
      pools.push(pool);
      return pool;
    },
  };
}
