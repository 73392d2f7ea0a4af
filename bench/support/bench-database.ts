/**
 * The database a benchmark target runs on: a SQLite file in `dir` by default, or — with
 * BENCH_DATABASE_URL (or DATABASE_URL) set to postgres://… — a schema of its own on that PostgreSQL
 * server, created empty for the target and dropped afterwards (nothing else in that database is touched).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { connectionSettings } from '../../src/store/postgres/connection-settings.js';

export interface BenchDatabase {
  /** The DATABASE_URL for the app. */
  url: string;
  kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

/** BENCH_DATABASE_URL, else DATABASE_URL when it names PostgreSQL; undefined for SQLite. */
export function benchPostgresUrl(env: Record<string, string | undefined> = process.env): string | undefined {
  const bench = env.BENCH_DATABASE_URL?.trim();
  if (bench) return bench;
  const app = env.DATABASE_URL?.trim();
  return app && /^postgres(ql)?:\/\//.test(app) ? app : undefined;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client(connectionSettings(serverUrl).client);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh empty schema on the server of `serverUrl`, as a URL whose connections use it. */
export async function freshPostgresSchema(serverUrl: string): Promise<BenchDatabase> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await onServer(serverUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), kind: 'postgres', drop: () => onServer(serverUrl, `DROP SCHEMA ${schema} CASCADE`) };
}

export async function benchDatabase(dir: string, postgresUrl = benchPostgresUrl()): Promise<BenchDatabase> {
  if (postgresUrl) return freshPostgresSchema(postgresUrl);
  return { url: `file:${join(dir, 'bench.db')}`, kind: 'sqlite', drop: async () => {} };
}
