import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../logger.js';
import { migrations } from './migrations/index.js';
import { isPostgresUrl, sqliteFilename, UnsupportedDatabaseError } from './open-store.js';
import { connectionSettings, describeTarget } from './postgres/connection-settings.js';
import { applyPostgresMigrations, schemaVersion } from './postgres/migrate.js';
import { postgresMigrations } from './postgres/migrations/index.js';
import { createPool } from './postgres/pool.js';
import { waitForDatabase, type RetryOptions } from './postgres/wait-for-database.js';
import { openSqliteDatabase } from './sqlite/database.js';
import { applyMigrations } from './sqlite/migrate.js';

export interface MigrationReport {
  /** What was migrated, without any password. */
  database: string;
  /** Migration ids applied by this run (none when another process had applied them). */
  applied: number[];
  /** The schema version the database is at now. */
  version: number;
}

/** Brings the database that DATABASE_URL names to this version's schema, and nothing else (`npm run migrate`). */
export async function migrateDatabase(databaseUrl: string, options: { logger?: Logger; connect?: Omit<RetryOptions, 'logger'> } = {}): Promise<MigrationReport> {
  if (isPostgresUrl(databaseUrl)) {
    const settings = connectionSettings(databaseUrl);
    const pool = createPool(settings, { poolSize: 1, logger: options.logger });
    try {
      await waitForDatabase(pool, settings.target, settings.client.password as string | undefined, { ...options.connect, logger: options.logger });
      const applied = await applyPostgresMigrations(pool, postgresMigrations, options.logger);
      return { database: `PostgreSQL ${describeTarget(settings.target)}`, applied, version: await schemaVersion(pool) };
    } finally {
      await pool.end();
    }
  }
  if (!databaseUrl.startsWith('file:')) throw new UnsupportedDatabaseError('DATABASE_URL must be file:PATH (SQLite) or postgres://… (PostgreSQL)');
  const filename = sqliteFilename(databaseUrl);
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const db = openSqliteDatabase(filename);
  try {
    const applied = applyMigrations(db, migrations, options.logger);
    const version = db.prepare('SELECT COALESCE(MAX(id), 0) FROM schema_migrations').pluck().get() as number;
    return { database: `SQLite ${filename}`, applied, version };
  } finally {
    db.close();
  }
}
