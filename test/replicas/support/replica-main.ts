/**
 * One replica of the app in its own process, for the replica tests: the production composition root
 * (`startServer`) with the configuration read from the environment, as `src/index.ts` does, plus test
 * knobs from REPLICA_SERVER_OPTIONS (JSON ServerOptions) and a clock the parent can move forward
 * (REPLICA_CLOCK_OFFSET_MS, then `{ type: 'advance' }` messages). Answers over IPC:
 *   → { type: 'ready', port, replicaId }   ← { type: 'advance', ms } | { type: 'runJob', name } | { type: 'stats', reset } | { type: 'stop' }
 * Also used by `npm run bench:replicas` (with REPLICA_COUNT_QUERIES=1).
 */
import pg from 'pg';
import type { Clock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { startServer, type ServerOptions } from '../../../src/server.js';

type Request =
  | { id: number; type: 'advance'; ms: number }
  | { id: number; type: 'runJob'; name: string }
  | { id: number; type: 'stats'; reset: boolean }
  | { id: number; type: 'stop' };

/** Benchmarks: PostgreSQL round trips (queries sent) and pool checkouts that had to wait for a connection. */
const counters = { queries: 0, checkouts: 0, poolWaits: 0 };
if (process.env.REPLICA_COUNT_QUERIES === '1') {
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    counters.queries++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const connect = pg.Pool.prototype.connect;
  pg.Pool.prototype.connect = function (this: pg.Pool, ...args: unknown[]) {
    counters.checkouts++;
    if (this.idleCount === 0 && this.totalCount >= (this.options.max ?? 10)) counters.poolWaits++;
    return (connect as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof connect;
}

let offsetMs = Number(process.env.REPLICA_CLOCK_OFFSET_MS ?? 0);
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
const options = JSON.parse(process.env.REPLICA_SERVER_OPTIONS ?? '{}') as ServerOptions;
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel });
const replicaId = `replica-${process.env.REPLICA_NAME ?? '?'}:${process.pid}`;

const server = await startServer(config, logger, { ...options, clock, replicaId });
process.on('message', (request: Request) => {
  const reply = (result: unknown) => process.send?.({ id: request.id, result });
  if (request.type === 'advance') {
    offsetMs += request.ms;
    reply(offsetMs);
  } else if (request.type === 'stats') {
    reply({ ...counters });
    if (request.reset) Object.assign(counters, { queries: 0, checkouts: 0, poolWaits: 0 });
  } else if (request.type === 'runJob') {
    void server.scheduler.runNow(request.name).then(reply);
  } else {
    void server.stop().then(() => {
      reply('stopped');
      process.disconnect?.();
    });
  }
});
process.send?.({ type: 'ready', port: server.port, replicaId });
