import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import type { Logger } from '../../logger.js';
import { migrations } from '../migrations/index.js';
import { isPostgresUrl, sqliteFilename } from '../open-store.js';
import { describeTarget } from '../postgres/connection-settings.js';
import { PostgresStore } from '../postgres/index.js';
import { inTransaction } from '../postgres/transaction.js';
import { openSqliteDatabase } from '../sqlite/database.js';
import { applyMigrations } from '../sqlite/migrate.js';
import { copiedTables, type ColumnKind, type CopiedTable } from './copied-tables.js';

export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusedError';
  }
}

export interface CopyOptions {
  /** Replace what the target holds instead of refusing a target that is not empty. */
  force?: boolean;
  logger?: Logger;
}

export interface CopyReport {
  from: string;
  to: string;
  /** Rows per table, the same in source and target (checked before the copy commits). */
  counts: Array<{ table: string; rows: number }>;
}

const BATCH_ROWS = 500;

function convert(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'value':
      return value;
    case 'date':
      return new Date(value as number);
    case 'boolean':
      return value === 1;
    case 'json':
      return JSON.stringify(JSON.parse(value as string));
    case 'day-list':
      return (value as string) === '' ? [] : (value as string).split(',').map(Number);
  }
}

async function insertBatch(client: pg.PoolClient, table: CopiedTable, rows: Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(table.columns);
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = columns.map((column) => {
      params.push(convert(table.columns[column]!, row[column]));
      return `$${params.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  await client.query(`INSERT INTO ${table.name} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
}

async function copyTable(source: Database, client: pg.PoolClient, table: CopiedTable): Promise<void> {
  const columns = Object.keys(table.columns);
  const rows = source.prepare(`SELECT ${columns.join(', ')} FROM ${table.name} ORDER BY rowid`).iterate() as IterableIterator<Record<string, unknown>>;
  if (table.singleRow) {
    for (const row of rows) {
      const sets = columns.filter((c) => c !== 'id').map((column, i) => `${column} = $${i + 2}`);
      await client.query(`UPDATE ${table.name} SET ${sets.join(', ')} WHERE id = $1`, [
        row.id,
        ...columns.filter((c) => c !== 'id').map((column) => convert(table.columns[column]!, row[column])),
      ]);
    }
    return;
  }
  let batch: Record<string, unknown>[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH_ROWS) {
      await insertBatch(client, table, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await insertBatch(client, table, batch);
  if (table.identity) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence('${table.name}', '${table.identity}'), GREATEST(COALESCE(MAX(${table.identity}), 0), 1), MAX(${table.identity}) IS NOT NULL) FROM ${table.name}`,
    );
  }
}

async function targetCounts(db: pg.Pool | pg.PoolClient): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of copiedTables) {
    if (table.singleRow) continue;
    counts.set(table.name, (await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table.name}`)).rows[0]!.n);
  }
  return counts;
}

/**
 * Copies the bot's state from a SQLite file to a PostgreSQL database, both brought to this version's
 * schema first, in one PostgreSQL transaction: on any error the target is left as it was. Refuses a
 * target that holds data unless `force` (which replaces it). Rerunning with `force` gives the same target.
 */
export async function copySqliteToPostgres(fromUrl: string, toUrl: string, options: CopyOptions = {}): Promise<CopyReport> {
  if (!fromUrl.startsWith('file:')) throw new CopyRefusedError('--from must be a SQLite DATABASE_URL (file:PATH)');
  if (!isPostgresUrl(toUrl)) throw new CopyRefusedError('--to must be a PostgreSQL DATABASE_URL (postgres://…)');
  const filename = sqliteFilename(fromUrl);
  const source = openSqliteDatabase(filename);
  try {
    applyMigrations(source, migrations, options.logger);
    const target = await PostgresStore.open(toUrl, { poolSize: 2, logger: options.logger });
    try {
      const before = await targetCounts(target.pool);
      const holding = [...before].filter(([, rows]) => rows > 0);
      if (holding.length > 0 && !options.force) {
        throw new CopyRefusedError(
          `The target database is not empty (${holding.map(([table, rows]) => `${table}: ${rows}`).join(', ')}). ` +
            'Copy into an empty database, or add --force to replace what it holds.',
        );
      }
      const counts = await inTransaction(target.pool, async (client) => {
        if (options.force) await client.query(`TRUNCATE ${copiedTables.filter((t) => !t.singleRow).map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
        for (const table of copiedTables) await copyTable(source, client, table);
        const copied = await targetCounts(client);
        const result: CopyReport['counts'] = [];
        for (const table of copiedTables) {
          if (table.singleRow) continue;
          const expected = source.prepare(`SELECT COUNT(*) FROM ${table.name}`).pluck().get() as number;
          const actual = copied.get(table.name)!;
          if (actual !== expected) throw new Error(`Copy check failed for ${table.name}: ${expected} rows in SQLite, ${actual} in PostgreSQL; nothing was committed`);
          result.push({ table: table.name, rows: actual });
        }
        return result;
      });
      return { from: `SQLite ${filename}`, to: `PostgreSQL ${describeTarget(target.target)}`, counts };
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
