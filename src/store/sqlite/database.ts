import BetterSqlite3, { type Database } from 'better-sqlite3';

export interface SqliteConnectionOptions {
  /** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens a connection set up for several processes sharing one file: WAL (readers never block the
 * writer), a busy timeout instead of instant SQLITE_BUSY, foreign keys on, and synchronous=FULL
 * because an accepted check-in must survive a power cut, not only a crash.
 */
export function openSqliteDatabase(filename: string, options: SqliteConnectionOptions = {}): Database {
  const db = new BetterSqlite3(filename);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
