import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MigrationError, SchemaTooNewError } from '../../../src/store/migration-errors.js';
import { migrations } from '../../../src/store/migrations/index.js';
import { PostgresStore } from '../../../src/store/postgres/index.js';
import { applyPostgresMigrations, MIGRATION_LOCK_KEY, schemaVersion } from '../../../src/store/postgres/migrate.js';
import { postgresMigrations } from '../../../src/store/postgres/migrations/index.js';
import { postgresAvailable } from '../support/postgres-database.js';
import { tempDir } from '../support/temp-db.js';
import { postgresTestDatabase } from './support.js';

/** What a fresh database gets: every migration this version knows. */
const ALL_IDS = migrations.map((m) => m.id).join(', ');
const LATEST = migrations.at(-1)!.id;

const migrateCli = fileURLToPath(new URL('../../../src/store/migrate-cli.ts', import.meta.url));

function runMigrateCli(databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', migrateCli], { env: { ...process.env, DATABASE_URL: databaseUrl }});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const appliedRows = async (pool: import('pg').Pool) =>
  (await pool.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id')).rows;

describe('PostgreSQL migrations', () => {
  it('has the same ids and names as the SQLite migrations, in order', () => {
    expect(postgresMigrations.map(({ id, name }) => ({ id, name }))).toEqual(migrations.map(({ id, name }) => ({ id, name })));
  });

  describe.skipIf(!postgresAvailable())('on a server', () => {
    const database = postgresTestDatabase(postgresAvailable());

    it('creates the schema and records each migration once; a second run applies nothing', async () => {
      const pool = database.pool(await database.freshUrl());
      expect(await schemaVersion(pool)).toBe(0);
      expect(await applyPostgresMigrations(pool, postgresMigrations)).toEqual(postgresMigrations.map((m) => m.id));
      expect(await applyPostgresMigrations(pool, postgresMigrations)).toEqual([]);
      expect(await appliedRows(pool)).toEqual(postgresMigrations.map(({ id, name }) => ({ id, name })));
      expect(await schemaVersion(pool)).toBe(postgresMigrations.at(-1)!.id);
    });

    it('two pools migrating at once apply each migration once', async () => {
      const url = await database.freshUrl();
      const [a, b] = [database.pool(url), database.pool(url)];
      const results = await Promise.all([applyPostgresMigrations(a, postgresMigrations), applyPostgresMigrations(b, postgresMigrations)]);
      expect(results.map((ids) => ids.length).sort()).toEqual([0, postgresMigrations.length]);
      expect(await appliedRows(a)).toHaveLength(postgresMigrations.length);
    });

    it('two stores opening a new database at once both start, on a schema migrated once', async () => {
      const url = await database.freshUrl();
      const stores = await Promise.all([PostgresStore.open(url, { poolSize: 2 }), PostgresStore.open(url, { poolSize: 2 })]);
      try {
        expect(await appliedRows(stores[0].pool)).toEqual(postgresMigrations.map(({ id, name }) => ({ id, name })));
        expect(await stores[1].countOutbox()).toBe(0);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('waits for the advisory lock that another process holds before touching the schema', async () => {
      const url = await database.freshUrl();
      const holder = await database.pool(url, 1).connect();
      try {
        await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
        let finished = false;
        const migrating = applyPostgresMigrations(database.pool(url), postgresMigrations).then((ids) => {
          finished = true;
          return ids;
        });
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(finished).toBe(false);
        expect((await holder.query(`SELECT to_regclass('schema_migrations') AS found`)).rows[0].found).toBeNull();
        await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
        expect(await migrating).toEqual(postgresMigrations.map((m) => m.id));
      } finally {
        holder.release();
      }
    });

    it('rolls a failing run back entirely, recording nothing, and gives the lock back', async () => {
      const pool = database.pool(await database.freshUrl());
      const good = { id: 1, name: 'good', up: 'CREATE TABLE good (id integer PRIMARY KEY)' };
      const bad = { id: 2, name: 'bad', up: 'CREATE TABLE bad (id integer PRIMARY KEY); INSERT INTO missing VALUES (1);' };
      await expect(applyPostgresMigrations(pool, [good, bad])).rejects.toThrow(MigrationError);
      await expect(applyPostgresMigrations(pool, [good, bad])).rejects.toThrow(/Migration 2 \(bad\) failed: relation "missing" does not exist/);
      expect((await pool.query(`SELECT to_regclass('good') AS found`)).rows[0].found).toBeNull();
      expect(await appliedRows(pool)).toEqual([]);
      // Advisory locks belong to a database; other test files migrate their own databases at the same time.
      const locks = await pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      expect(locks.rows[0].n).toBe(0);
    });

    it('refuses a database that a newer version migrated, naming both versions', async () => {
      const url = await database.freshUrl();
      const pool = database.pool(url);
      await applyPostgresMigrations(pool, postgresMigrations);
      await pool.query(`INSERT INTO schema_migrations (id, name) VALUES (1000, 'later-feature')`);
      const known = postgresMigrations.at(-1)!.id;
      await expect(PostgresStore.open(url, { poolSize: 1 })).rejects.toThrow(SchemaTooNewError);
      await expect(PostgresStore.open(url, { poolSize: 1 })).rejects.toThrow(
        `The database schema is at version 1000, but this kr-checkin knows versions up to ${known}`,
      );
      expect(await appliedRows(pool)).toHaveLength(postgresMigrations.length + 1);
    });

    it('npm run migrate: three processes at once migrate once; a newer schema makes it fail with both versions', async () => {
      const url = await database.freshUrl();
      const runs = await Promise.all([1, 2, 3].map(() => runMigrateCli(url)));
      for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
      const applied = runs.map((run) => run.stdout).filter((out) => out.includes(`applied ${ALL_IDS}`));
      expect(applied).toHaveLength(1);
      expect(runs.map((run) => run.stdout).filter((out) => out.includes('nothing to apply'))).toHaveLength(2);
      expect(runs[0]!.stdout).toMatch(new RegExp(`PostgreSQL 127\\.0\\.0\\.1:5432, database "kr_test_\\w+".*schema at version ${LATEST}`));
      const pool = database.pool(url);
      expect(await appliedRows(pool)).toHaveLength(postgresMigrations.length);

      await pool.query(`INSERT INTO schema_migrations (id, name) VALUES (1000, 'later')`);
      const refused = await runMigrateCli(url);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`schema is at version 1000, but this kr-checkin knows versions up to ${LATEST}`));
    });
  });
});

describe('npm run migrate on SQLite', () => {
  it('migrates a new file and then has nothing to apply', async () => {
    const dir = tempDir();
    try {
      const url = `file:${dir.file('nested/kr.db')}`;
      const first = await runMigrateCli(url);
      expect(first).toMatchObject({ code: 0 });
      expect(first.stdout).toMatch(new RegExp(`SQLite .*kr\\.db: applied ${ALL_IDS}; schema at version ${LATEST}`));
      expect((await runMigrateCli(url)).stdout).toMatch(new RegExp(`nothing to apply; schema at version ${LATEST}`));
    } finally {
      dir.remove();
    }
  });
});
