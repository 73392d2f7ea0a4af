import type pg from 'pg';
import type { Logger } from '../../logger.js';
import { describeTarget, type DatabaseTarget } from './connection-settings.js';

export class DatabaseConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseConnectionError';
  }
}

export interface RetryOptions {
  /** Connection attempts before giving up (a database that starts after the app). */
  attempts?: number;
  /** Wait before the second attempt; doubles after each failure. */
  firstDelayMs?: number;
  logger?: Logger;
}

// Wrong password, unknown database or role, TLS refused: waiting will not help.
const PERMANENT_CODES = new Set(['28P01', '28000', '3D000', '42501', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED']);
const PERMANENT_MESSAGES = [/does not support SSL/i, /no pg_hba\.conf entry/i];

function isPermanent(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (code !== undefined && PERMANENT_CODES.has(code)) || PERMANENT_MESSAGES.some((pattern) => pattern.test(message ?? ''));
}

function reason(error: unknown, password: string | undefined): string {
  const { code, message } = error as { code?: string; message?: string };
  let text = message?.trim() || String(error);
  if (password && password.length >= 3) text = text.split(password).join('***');
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

/**
 * Waits until the pool can run a query, retrying with backoff what may pass (connection refused,
 * timeouts, "the database system is starting up"), and fails at once on what will not. The error
 * names host, port, database and user, never the password.
 */
export async function waitForDatabase(pool: pg.Pool, target: DatabaseTarget, password: string | undefined, options: RetryOptions = {}): Promise<void> {
  const attempts = Math.max(1, options.attempts ?? 6);
  let delayMs = options.firstDelayMs ?? 500;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (error) {
      const where = `Cannot connect to PostgreSQL at ${describeTarget(target)}`;
      if (isPermanent(error)) throw new DatabaseConnectionError(`${where}: ${reason(error, password)}`);
      if (attempt >= attempts) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        throw new DatabaseConnectionError(`${where}: ${reason(error, password)} (gave up after ${attempts} attempts over ${seconds} s)`);
      }
      options.logger?.warn({ database: describeTarget(target), attempt, retryInMs: delayMs, reason: reason(error, password) }, 'PostgreSQL not reachable yet, retrying');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs *= 2;
    }
  }
}
