import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { urlForDatabase, withAdminClient } from './postgres-server.js';

/** False only outside CI when no test server answered (see postgres-global-setup.ts). */
export const postgresAvailable = (): boolean => inject('postgresAvailable');

/**
 * A database of its own for one test file (other people run the suite on the same server at the same
 * time): `kr_test_<random>`, dropped by `drop()`. `freshSchema()` gives each test an empty schema in it,
 * as a URL whose connections use that schema (`options=-c search_path=…`).
 */
export interface TestPostgresDatabase {
  name: string;
  url: string;
  freshSchema(): Promise<string>;
  drop(): Promise<void>;
}

export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const name = `kr_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = urlForDatabase(name);
  let schemas = 0;
  return {
    name,
    url,
    async freshSchema() {
      const schema = `t${++schemas}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await client.end();
      }
      return urlForDatabase(name, { options: `-c search_path=${schema}` });
    },
    async drop() {
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
