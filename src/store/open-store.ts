import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import { SqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  logger?: Logger;
}

export class UnsupportedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDatabaseError';
  }
}

/** `file:PATH` or `file:///abs/path` → a filesystem path; `file::memory:` → ':memory:'. */
function sqliteFilename(databaseUrl: string): string {
  if (databaseUrl === 'file::memory:' || databaseUrl === 'file::memory') return ':memory:';
  const path = databaseUrl.startsWith('file://') ? fileURLToPath(databaseUrl) : databaseUrl.slice('file:'.length);
  if (!path) throw new UnsupportedDatabaseError('DATABASE_URL "file:" needs a path, e.g. file:./data/kr-checkin.db');
  return resolve(path);
}

/**
 * Opens the store that DATABASE_URL names: `file:PATH` is a SQLite file (its directory is created),
 * `file::memory:` a private in-memory SQLite database, `postgres://…` is reserved for PostgreSQL.
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new UnsupportedDatabaseError(
      'PostgreSQL support is not built yet: set DATABASE_URL to file:PATH to use SQLite (e.g. file:./data/kr-checkin.db).',
    );
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
