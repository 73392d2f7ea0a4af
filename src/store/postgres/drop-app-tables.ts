import pg from 'pg';
import { copiedTables, uncopiedTables } from '../copy/copied-tables.js';
import { connectionSettings } from './connection-settings.js';

/**
 * Drops every table of the app (and its migration history) from a PostgreSQL database, so the next
 * start migrates an empty one — the sandbox's "reset". Other tables in the database are left alone.
 */
export async function dropAppTables(databaseUrl: string): Promise<void> {
  const client = new pg.Client(connectionSettings(databaseUrl).client);
  await client.connect();
  try {
    const tables = [...copiedTables.map((t) => t.name), ...uncopiedTables];
    await client.query(`DROP TABLE IF EXISTS ${tables.join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
}
