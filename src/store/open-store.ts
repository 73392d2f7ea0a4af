import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import { PostgresStore } from './postgres/index.js';
import type { RetryOptions } from './postgres/wait-for-database.js';
import { SqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  logger?: Logger;
  /** PostgreSQL connections of this process (DATABASE_POOL_SIZE); ignored for SQLite. */
  poolSize?: number;
  /** PostgreSQL start-up retries while the database is not reachable yet. */
  connect?: Omit<RetryOptions, 'logger'>;
}

export class UnsupportedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDatabaseError';
  }
}

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/** `file:PATH` or `file:///abs/path` → a filesystem path; `file::memory:` → ':memory:'. */
export function sqliteFilename(databaseUrl: string): string {
  if (databaseUrl === 'file::memory:' || databaseUrl === 'file::memory') return ':memory:';
  const path = databaseUrl.startsWith('file://') ? fileURLToPath(databaseUrl) : databaseUrl.slice('file:'.length);
  if (!path) throw new UnsupportedDatabaseError('DATABASE_URL "file:" needs a path, e.g. file:./data/kr-checkin.db');
  return resolve(path);
}

/**
 * Opens the store that DATABASE_URL names, migrated to this version's schema: `file:PATH` is a SQLite
 * file (its directory is created), `file::memory:` a private in-memory SQLite database,
 * `postgres://…` / `postgresql://…` a PostgreSQL database (see postgres/connection-settings.ts for sslmode).
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(databaseUrl)) {
    return PostgresStore.open(databaseUrl, { logger: options.logger, poolSize: options.poolSize, connect: options.connect });
  }
  if (!databaseUrl.startsWith('file:')) {
    throw new UnsupportedDatabaseError('DATABASE_URL must be file:PATH (SQLite) or postgres://… (PostgreSQL)');
  }
  const filename = sqliteFilename(databaseUrl);
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const store = SqliteStore.open(filename, { logger: options.logger });
  options.logger?.info({ database: filename === ':memory:' ? 'sqlite in memory' : `sqlite ${filename}` }, 'store opened');
  return store;
}
