/**
 * `npm run sandbox`: the app against local stand-ins for Slack and Gtmhub, with a browser UI.
 * Ports: SANDBOX_PORT (UI, default 4000), SANDBOX_APP_PORT, SANDBOX_SLACK_PORT, SANDBOX_GTMHUB_PORT
 * (default the next three). Data: SANDBOX_DATA_DIR (default ./data); the app's database is a SQLite
 * file there unless SANDBOX_DATABASE_URL=postgres://… names a PostgreSQL database (Reset drops the
 * app's tables in it). The app's behaviour settings
 * (LOG_LEVEL, WORKING_HOURS, …; see app-env.ts) may be set in the environment too.
 */
import { ConfigError } from '../config.js';
import { startSandbox } from './index.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number (0-65535), not "${raw}"`);
    process.exit(2);
  }
  return value;
}

const ui = port('SANDBOX_PORT', 4000);
const next = (offset: number) => (ui === 0 ? 0 : ui + offset);
const ports = {
  ui,
  app: port('SANDBOX_APP_PORT', next(1)),
  slack: port('SANDBOX_SLACK_PORT', next(2)),
  gtmhub: port('SANDBOX_GTMHUB_PORT', next(3)),
};
const dataDir = process.env.SANDBOX_DATA_DIR?.trim() || './data';

const databaseUrl = process.env.SANDBOX_DATABASE_URL?.trim() || undefined;
const sandbox = await startSandbox({ dataDir, ports, host: process.env.SANDBOX_HOST?.trim() || '127.0.0.1', env: process.env, ...(databaseUrl ? { databaseUrl } : {}) }).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`The sandbox could not start: ${(error as Error).message}. Is it already running? Choose other ports with SANDBOX_PORT=5000 npm run sandbox.`);
  } else console.error('The sandbox could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

const where = databaseUrl ? `${dataDir} and PostgreSQL ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}` : dataDir;
console.log(`\nkr-checkin sandbox is running. Open ${sandbox.url}\n(data in ${where}, reset it from the page; Ctrl-C to stop)\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the sandbox`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  sandbox.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('error while stopping:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
