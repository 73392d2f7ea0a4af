/**
 * `npm run db:copy -- --from file:./data/kr-checkin.db --to postgres://… [--force]`: moves the bot's
 * state from SQLite to PostgreSQL (see copy-database.ts). Stop the app first, so nothing changes the
 * SQLite file during the copy.
 */
import { parseArgs } from 'node:util';
import { copySqliteToPostgres } from './copy-database.js';

const usage = 'usage: npm run db:copy -- --from file:PATH --to postgres://user:password@host:port/database [--force]';

try {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.from || !values.to) throw new Error(usage);
  const report = await copySqliteToPostgres(values.from, values.to, { force: values.force });
  console.log(`kr-checkin db:copy: ${report.from} → ${report.to}`);
  const width = Math.max(...report.counts.map((c) => c.table.length));
  for (const { table, rows } of report.counts) console.log(`  ${table.padEnd(width)}  ${rows}`);
  console.log('Row counts checked: the target has exactly the rows of the source.');
} catch (error) {
  console.error(`kr-checkin db:copy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
