/**
 * `npm run migrate`: brings the database of DATABASE_URL (default file:./data/kr-checkin.db) to this
 * version's schema and exits; the release phase of a deploy runs it before new processes start.
 * Safe to run while replicas start: PostgreSQL migrations hold an advisory lock.
 */
import { existsSync } from 'node:fs';
import { migrateDatabase } from './migrate-database.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const databaseUrl = process.env.DATABASE_URL?.trim() || 'file:./data/kr-checkin.db';

try {
  const report = await migrateDatabase(databaseUrl);
  const applied = report.applied.length > 0 ? `applied ${report.applied.join(', ')}` : 'nothing to apply';
  console.log(`kr-checkin migrate: ${report.database}: ${applied}; schema at version ${report.version}`);
} catch (error) {
  console.error(`kr-checkin migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
