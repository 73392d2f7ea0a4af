import type { Database } from 'better-sqlite3';
import type { Logger } from '../../logger.js';
import type { Migration } from '../migrations/index.js';
import { checkMigrationOrder, MigrationError, refuseNewerSchema } from '../migration-errors.js';

export { MigrationError, SchemaTooNewError } from '../migration-errors.js';

/**
 * Applies the migrations that the database has not seen yet, all in one IMMEDIATE transaction so that
 * two processes opening the same file at once apply each step exactly once, and a failing step leaves
 * the schema as it was. Refuses a database that a newer version migrated. Returns the ids applied now.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[], logger?: Logger): number[] {
  checkMigrationOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const appliedIds = db.prepare('SELECT id FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');

  const run = db.transaction((): number[] => {
    const applied = new Set(appliedIds.all() as number[]);
    refuseNewerSchema(applied, migrations);
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
