/**
 * Two (or more) app processes on one PostgreSQL database behind a round-robin front, with the
 * Slack and Gtmhub emulators in the test process. Gtmhub and PostgreSQL are reached through
 * cuttable TCP proxies so a test can take either away and bring it back.
 */
import pg from 'pg';
import { generateEmulatorData, startGtmhubEmulator, type GtmhubEmulator } from '../../../src/emulator/gtmhub/index.js';
import { startSlackEmulator, type SlackEmulator } from '../../../src/emulator/slack/index.js';
import type { ServerOptions } from '../../../src/server.js';
import { connectionSettings } from '../../../src/store/postgres/connection-settings.js';
import { startCuttableProxy, type CuttableProxy } from './cuttable-proxy.js';
import { ReplicaProcess } from './replica-process.js';
import { startRoundRobinFront, type RoundRobinFront } from './round-robin-front.js';

export const SIGNING_SECRET = 'replica-signing-secret';
export const BOT_TOKEN = 'xoxb-replicas';
export const CHANNEL = 'CGENERAL01';
export const slackIdOf = (n: number) => `U${String(n).padStart(8, '0')}`;

export interface ClusterOptions {
  /** The test's own schema URL (test/store/support/postgres-database.ts). */
  databaseUrl: string;
  people: number;
  replicas?: number;
  env?: Record<string, string>;
  serverOptions?: ServerOptions;
  /** Where the replicas' clocks (and Gtmhub's) start, e.g. a Monday morning for reminders. */
  startAt?: Date;
  /** Rate limits of the Slack emulator, set before the first replica starts: `{ 'chat.postMessage': 15 }` per second. */
  slackPerSecond?: Record<string, number>;
}

export interface Cluster {
  slack: SlackEmulator;
  gtmhub: GtmhubEmulator;
  gtmhubProxy: CuttableProxy;
  databaseProxy: CuttableProxy;
  front: RoundRobinFront;
  replicas: ReplicaProcess[];
  metricOf(n: number): string;
  /** Queries the test database directly (not through the proxy). */
  query<T extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<T[]>;
  /** Moves every live replica's clock and Gtmhub's forward. */
  advance(ms: number): Promise<void>;
  logs(): string;
  close(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  let offsetMs = options.startAt ? options.startAt.getTime() - Date.now() : 0;
  const data = generateEmulatorData({ people: options.people, metricsPerPerson: 1, seed: 7 });
  const gtmhub = await startGtmhubEmulator({ port: 0, data, now: () => new Date(Date.now() + offsetMs) });
  const slack = await startSlackEmulator({
    port: 0,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    users: data.users.map((u, i) => ({ id: slackIdOf(i + 1), name: `person${i + 1}`, realName: `Person ${i + 1}`, email: u.email!, tz: 'Europe/Berlin' })),
    channels: [{ id: CHANNEL, name: 'general', members: data.users.map((_, i) => slackIdOf(i + 1)) }],
  });
  for (const [method, perSecond] of Object.entries(options.slackPerSecond ?? {})) slack.rateLimit(method, { perSecond });
  const gtmhubProxy = await startCuttableProxy(Number(new URL(gtmhub.url).port));
  const database = new URL(options.databaseUrl);
  const databaseProxy = await startCuttableProxy(Number(database.port || 5432), database.hostname);
  const proxiedDatabase = new URL(options.databaseUrl);
  proxiedDatabase.hostname = '127.0.0.1';
  proxiedDatabase.port = String(databaseProxy.port);
  const gtmhubUrl = new URL(gtmhub.url);
  gtmhubUrl.port = String(gtmhubProxy.port);

  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    GTMHUB_API_URL: gtmhubUrl.toString().replace(/\/$/, ''),
    GTMHUB_API_TOKEN: gtmhub.adminToken,
    GTMHUB_ACCOUNT_ID: gtmhub.accountId,
    GTMHUB_TIMEOUT_MS: '2000',
    DATABASE_URL: proxiedDatabase.toString(),
    DATABASE_POOL_SIZE: '5',
    PORT: '0',
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    ...options.env,
  };
  const serverOptions: ServerOptions = {
    webApiRetries: 0,
    gtmhubRetry: { limit: 1, baseDelayMs: 10, maxBackoffMs: 50, maxRetryAfterMs: 1000 },
    ...options.serverOptions,
  };
  const count = options.replicas ?? 2;
  // One at a time: the first applies the migrations (the advisory lock makes parallel starts safe too).
  const replicas: ReplicaProcess[] = [];
  for (let i = 0; i < count; i++) replicas.push(await ReplicaProcess.start(String.fromCharCode(97 + i), env, serverOptions, offsetMs));
  const front = await startRoundRobinFront(() => replicas.map((r) => r.port));
  slack.setAppUrl(front.url);
  const direct = new pg.Pool({ ...connectionSettings(options.databaseUrl).client, max: 2 });

  return {
    slack,
    gtmhub,
    gtmhubProxy,
    databaseProxy,
    front,
    replicas,
    metricOf: (n) => data.metrics.find((m) => m.ownerIds[0] === data.users[n - 1]!.id)!.id,
    query: async (sql, values) => (await direct.query(sql, values)).rows,
    async advance(ms) {
      offsetMs += ms;
      await Promise.all(replicas.filter((r) => r.alive).map((r) => r.advance(ms)));
    },
    logs: () => replicas.map((r) => `── replica ${r.name} (pid ${r.pid}) ──\n${r.output.slice(-60).join('\n')}`).join('\n'),
    async close() {
      await Promise.all(replicas.map((r) => r.stop()));
      await front.close();
      await direct.end();
      await Promise.all([gtmhubProxy.close(), databaseProxy.close(), slack.close(), gtmhub.close()]);
    },
  };
}
