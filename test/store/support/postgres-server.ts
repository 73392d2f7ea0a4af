import pg from 'pg';

/** The server the PostgreSQL tests use; each test file creates and drops its own database on it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Same server and credentials, another database (or the same URL with other query options). */
export function urlForDatabase(database: string, searchParams: Record<string, string> = {}): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  for (const [key, value] of Object.entries(searchParams)) url.searchParams.set(key, value);
  return url.toString();
}

/** Runs `work` on one short-lived connection to the test server's maintenance database. */
export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>, connectionTimeoutMillis = 5000): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
