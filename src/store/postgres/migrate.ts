import type pg from 'pg';
import type { Logger } from '../../logger.js';
import { checkMigrationOrder, MigrationError, refuseNewerSchema } from '../migration-errors.js';
import type { PostgresMigration } from './migrations/index.js';

/** The key of the session-level advisory lock that serialises migrations across processes ("krchkmig"). */
export const MIGRATION_LOCK_KEY = 0x6b7263686b6d6967n;

/**
 * Applies the migrations the database has not seen yet, holding `pg_advisory_lock` for the whole run
 * so that replicas starting together (or a release phase racing a web dyno) apply each step once:
 * the second waits, then finds nothing to do. All pending steps run in one transaction, so a failing
 * step leaves the schema as it was. Refuses a database that a newer version migrated. Returns the ids
 * applied now.
 */
export async function applyPostgresMigrations(pool: pg.Pool, migrations: readonly PostgresMigration[], logger?: Logger): Promise<number[]> {
  checkMigrationOrder(migrations);
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        id         integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.id));
      refuseNewerSchema(applied, migrations);
      const pending = migrations.filter((migration) => !applied.has(migration.id));
      if (pending.length === 0) return [];
      await client.query('BEGIN');
      try {
        for (const migration of pending) {
          try {
            await client.query(migration.up);
          } catch (error) {
            throw new MigrationError(`Migration ${migration.id} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
          }
          await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [migration.id, migration.name]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      const ids = pending.map((migration) => migration.id);
      logger?.info({ migrations: ids }, 'database migrated');
      return ids;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } catch (error) {
    broken = !(error instanceof MigrationError);
    throw error;
  } finally {
    // A connection in an unknown state (lost mid-run) is not given back to the pool.
    client.release(broken);
  }
}

/** The highest migration id the database has applied (0 when none). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const exists = await pool.query<{ found: string | null }>(`SELECT to_regclass('schema_migrations')::text AS found`);
  if (exists.rows[0]?.found == null) return 0;
  const { rows } = await pool.query<{ version: number }>('SELECT COALESCE(MAX(id), 0) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}
