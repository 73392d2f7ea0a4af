import BetterSqlite3, { type Database } from 'better-sqlite3';

export interface SqliteConnectionOptions {
  /** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens a connection set up for several processes sharing one file: WAL (readers never block the
 * writer), a busy timeout instead of instant SQLITE_BUSY, foreign keys on. synchronous=NORMAL: in
 * WAL mode a commit survives the process dying (kill -9) without waiting for the disk; the writes
 * that must also survive a power cut (an accepted check-in) go through `durably`.
 */
export function openSqliteDatabase(filename: string, options: SqliteConnectionOptions = {}): Database {
  const db = new BetterSqlite3(filename);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Runs `write` with synchronous=FULL, so its commit is on disk before it returns. Every other write
 * (caches, reminder state) skips the fsync, which would otherwise stall the event loop ~10 ms each.
 */
export function durably<T>(db: Database, write: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
