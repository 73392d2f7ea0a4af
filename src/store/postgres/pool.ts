import pg from 'pg';
import type { Logger } from '../../logger.js';
import { describeTarget, type ConnectionSettings } from './connection-settings.js';

export const DEFAULT_POOL_SIZE = 10;

/** Counts and ids are int8 (bigint); ours stay far below 2^53, so they are read as numbers. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  poolSize?: number;
  /** How long one connection attempt may take. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

/** A node-postgres pool of at most `poolSize` connections; a connection that dies while idle is logged, not fatal. */
export function createPool(settings: ConnectionSettings, options: PoolOptions = {}): pg.Pool {
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new RangeError(`poolSize must be a whole number of at least 1, got ${poolSize}`);
  const pool = new pg.Pool({
    application_name: 'kr-checkin',
    ...settings.client,
    max: poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // Without a listener, an idle connection cut by the server (restart, failover) would crash the process.
  pool.on('error', (error) => {
    options.logger?.warn({ database: describeTarget(settings.target), code: (error as { code?: string }).code }, 'idle PostgreSQL connection lost');
  });
  return pool;
}
