import type { Database } from 'better-sqlite3';
import type { Logger } from '../../logger.js';
import type { Migration } from '../migrations/index.js';

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

function checkOrder(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.id) || migration.id <= previous) {
      throw new MigrationError(
        `Migration ids must be positive integers in ascending order: ${migration.id} (${migration.name}) follows ${previous}`,
      );
    }
    previous = migration.id;
  }
}

/**
 * Applies the migrations that the database has not seen yet, all in one IMMEDIATE transaction so that
 * two processes opening the same file at once apply each step exactly once, and a failing step leaves
 * the schema as it was. Returns the ids applied now.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[], logger?: Logger): number[] {
  checkOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const appliedIds = db.prepare('SELECT id FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');

  const run = db.transaction((): number[] => {
    const applied = new Set(appliedIds.all() as number[]);
    const known = new Set(migrations.map((m) => m.id));
    const unknown = [...applied].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      // A newer version of the app migrated this database; running older code on it is allowed but worth a warning.
      logger?.warn({ unknownMigrationIds: unknown }, 'database has migrations this version does not know');
    }
    const now: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      try {
        db.exec(migration.up);
      } catch (error) {
        throw new MigrationError(`Migration ${migration.id} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      record.run(migration.id, migration.name, Date.now());
      now.push(migration.id);
    }
    return now;
  });
  const appliedNow = run.immediate();
  if (appliedNow.length > 0) logger?.info({ migrations: appliedNow }, 'database migrated');
  return appliedNow;
}
