/**
 * vitest globalSetup: is the PostgreSQL test server there? Outside CI a missing server skips the
 * PostgreSQL tests with one note; in CI (env CI set) they run anyway, and fail.
 */
import type { TestProject } from 'vitest/node';
import { TEST_DATABASE_URL, withAdminClient } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAvailable: boolean;
  }
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export default async function setup(project: TestProject): Promise<void> {
  let available = true;
  let problem = '';
  try {
    await withAdminClient((client) => client.query('SELECT 1'), 3000);
  } catch (error) {
    available = false;
    problem = (error as Error).message;
  }
  if (!available && !process.env.CI) {
    process.stdout.write(
      `\nPostgreSQL tests skipped: no PostgreSQL answered at ${redacted(TEST_DATABASE_URL)} (${problem}).\n` +
        'To run them, start PostgreSQL there (trust or password auth; the user must be allowed to CREATE DATABASE) ' +
        'or point TEST_DATABASE_URL=postgres://user:password@host:port/database at one. With CI set they fail instead of skipping.\n\n',
    );
  }
  project.provide('postgresAvailable', available || Boolean(process.env.CI));
}
