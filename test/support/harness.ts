/**
 * The whole app on 127.0.0.1 for end-to-end tests: the Gtmhub emulator behind GTMHUB_API_URL, the
 * Slack emulator behind SLACK_API_URL (it also plays the Slack client and signs what it delivers),
 * and the real app started through the same composition root as production.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fixedClock, systemClock, type Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startGtmhubEmulator, type GtmhubEmulator, type GtmhubEmulatorOptions } from '../../src/emulator/gtmhub/index.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/slack/index.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { RetryTimer } from '../../src/services/retry-delay.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test';
export const ADMIN = 'UADMIN001';

export interface SlackPerson {
  id: string;
  name: string;
  realName?: string;
  email?: string | null;
  tz?: string;
}

export interface HarnessOptions {
  gtmhub?: GtmhubEmulatorOptions;
  /** Slack people; by default one per Gtmhub demo user (same email) plus the admin. */
  slackUsers?: SlackPerson[];
  channels?: Array<{ id: string; name: string; members: string[]; isPrivate?: boolean; isArchived?: boolean }>;
  env?: Record<string, string>;
  clock?: Clock;
  /** A database file to reuse (restart tests); a fresh temp file otherwise. */
  databaseFile?: string;
  startScheduler?: boolean;
  /** The quick check-in retries' timer; by default none when a clock is injected (the test runs the outbox itself). */
  checkinRetryTimer?: RetryTimer | false;
  /** Put a fault proxy (test/support/fault-proxy.ts) between the app and an emulator; the app's *_API_URL points at it. */
  faultProxies?: { gtmhub?: boolean; slack?: boolean };
  /** Overrides of the server options the harness sets (e.g. Gtmhub retries). */
  serverOptions?: Partial<ServerOptions>;
}

export interface Harness {
  gtmhub: GtmhubEmulator;
  slack: SlackEmulator;
  server: RunningServer;
  config: Config;
  logger: Logger;
  logs: string[];
  databaseFile: string;
  /** The fault proxy in front of the Gtmhub emulator (with `faultProxies.gtmhub`). */
  gtmhubProxy: FaultProxy | undefined;
  /** The fault proxy in front of the Slack emulator's Web API (with `faultProxies.slack`). */
  slackProxy: FaultProxy | undefined;
  /** Slack user id of the Slack person whose email is that Gtmhub user's. */
  slackIdFor(gtmhubUserId: string): string;
  /** Stops the app only (the emulators keep running), e.g. to restart it on the same database. */
  stopApp(): Promise<void>;
  restartApp(): Promise<void>;
  close(): Promise<void>;
}

/** Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const gtmhub = await startGtmhubEmulator({ port: 0, ...options.gtmhub });
  const gtmhubUsers = gtmhub.state.users;
  const slackUsers: SlackPerson[] = options.slackUsers ?? [
    ...gtmhubUsers.map((u, i) => ({
      id: `U${String(i + 1).padStart(8, '0')}`,
      name: (u.email ?? `user${i}`).split('@')[0]!,
      realName: [u.firstName, u.lastName].filter(Boolean).join(' ') || undefined,
      email: u.email ?? null,
      tz: 'Europe/Berlin',
    })),
    { id: ADMIN, name: 'admin', realName: 'Ada Admin', email: 'admin@elsewhere.example', tz: 'Europe/Berlin' },
  ];
  const slack = await startSlackEmulator({
    port: 0,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    users: slackUsers.map((u) => ({ id: u.id, name: u.name, realName: u.realName ?? u.name, email: u.email ?? null, tz: u.tz ?? 'UTC' })),
    channels: options.channels ?? [{ id: 'CGENERAL01', name: 'general', members: slackUsers.map((u) => u.id) }],
  });
  const gtmhubProxy = options.faultProxies?.gtmhub ? await startFaultProxy(gtmhub.url) : undefined;
  const slackProxy = options.faultProxies?.slack ? await startFaultProxy(slack.apiUrl) : undefined;
  const databaseFile = options.databaseFile ?? join(mkdtempSync(join(tmpdir(), 'kr-checkin-')), 'test.db');
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackProxy ? `${slackProxy.url}${slackProxy.url.endsWith('/') ? '' : '/'}` : slack.apiUrl,
    GTMHUB_API_URL: gtmhubProxy?.url ?? gtmhub.url,
    GTMHUB_API_TOKEN: gtmhub.adminToken,
    GTMHUB_ACCOUNT_ID: gtmhub.accountId,
    GTMHUB_TIMEOUT_MS: '2000',
    DATABASE_URL: `file:${databaseFile}`,
    PORT: '0',
    ADMIN_SLACK_USER_IDS: ADMIN,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const start = () =>
    startServer(config, logger, {
      clock: options.clock ?? systemClock,
      webApiRetries: 0,
      startScheduler: options.startScheduler ?? false,
      gtmhubRetry: { limit: 1, baseDelayMs: 10, maxBackoffMs: 50, maxRetryAfterMs: 1000 },
      checkinRetryTimer: options.checkinRetryTimer ?? (options.clock ? false : undefined),
      ...options.serverOptions,
    });
  let server = await start();
  slack.setAppUrl(`http://127.0.0.1:${server.port}/slack/events`);

  const emailToSlack = new Map(slackUsers.filter((u) => u.email).map((u) => [u.email!.toLowerCase(), u.id]));
  const harness: Harness = {
    gtmhub,
    slack,
    get server() {
      return server;
    },
    config,
    logger,
    logs,
    databaseFile,
    gtmhubProxy,
    slackProxy,
    slackIdFor(gtmhubUserId) {
      const user = gtmhub.state.users.find((u) => u.id === gtmhubUserId);
      const id = user?.email ? emailToSlack.get(user.email.toLowerCase()) : undefined;
      if (!id) throw new Error(`no Slack person for Gtmhub user ${gtmhubUserId}`);
      return id;
    },
    async stopApp() {
      await server.stop();
    },
    async restartApp() {
      server = await start();
      slack.setAppUrl(`http://127.0.0.1:${server.port}/slack/events`);
    },
    async close() {
      await Promise.all([gtmhubProxy?.close(), slackProxy?.close()]);
      await server.stop();
      await Promise.all([slack.close(), gtmhub.close()]);
    },
  };
  return harness;
}

export { fixedClock };
