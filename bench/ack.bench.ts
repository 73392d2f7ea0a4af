/**
 * `npm run bench:ack` — how fast the app acknowledges `/kr checkin` and gets the loading modal to
 * Slack while Gtmhub is slow, next to bare Bolt apps measured in the same run.
 *
 * Load: signed `/kr checkin` slash commands, a fixed number in flight at a time, delivered by the
 * strict Slack emulator to the app's request URL; the Gtmhub emulator answers every request after a
 * fixed latency. Each command comes from its own Slack user (mapped by email to its own Gtmhub
 * user), so each modal belongs to one command: the first `views_changed` the Slack emulator reports
 * for that user is the `views.open` of that command, the second the `views.update` with the form.
 *
 * Targets, each in a fresh child process on the same machine, one after another:
 *   bare-ack   Bolt + HTTPReceiver, `app.command('/kr', ({ ack }) => ack())`
 *   bare-open  the same, then `views.open` with a one-block modal
 *   app        the real app through the production composition root (startServer), own SQLite file
 *              (or, with BENCH_DATABASE_URL / DATABASE_URL = postgres://…, its own fresh schema there)
 * The servers run in child processes so that their memory figures are their own (the Slack
 * emulator and the load generator stay in this process) and so they get their own event loop. The
 * Gtmhub emulator has a child process of its own: only the app calls it, and its work in this
 * process would delay the reading of the app's acks alone. Each server child samples
 * process.memoryUsage() every 50 ms. Before the measured commands each target gets a warm-up
 * (separate users, not counted) and the memory window is reset. After the measured commands the
 * app is stopped gracefully, which drains the modal loads still waiting for Gtmhub; the run checks
 * that every child then exits by itself.
 *
 * Options: --commands N (200), --concurrency N (20), --latency MS (2000), --warmup N (20),
 *          --rounds N (1; each round runs all targets, in a rotated order; samples are pooled),
 *          --database-dir DIR (where the app's SQLite file goes; default the OS temp dir — put it
 *          on tmpfs, e.g. /dev/shm, to see what the app costs without fsync).
 * BENCH_CPU_PROFILE_DIR=DIR writes each server's CPU profile of the measured window there.
 */
import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { App, HTTPReceiver } from '@slack/bolt';
import { loadConfig } from '../src/config.js';
import { generateEmulatorData, startGtmhubEmulator } from '../src/emulator/gtmhub/index.js';
import { startSlackEmulator, type SlackEmulator } from '../src/emulator/slack/index.js';
import { boltLogger, createLogger, type Logger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { keepIdleConnections } from '../src/slack/idle-connections.js';
import { benchDatabase } from './support/bench-database.js';
import { ForkedServer, serveForParent, servedRole, type EventLoopDelay, type ServedTarget } from './support/forked-server.js';
import type { MemoryPeaks } from './support/memory-sampler.js';
import { recordGoals } from './support/goals.js';
import { summarizeLatencies, type LatencySummary } from './support/percentiles.js';

const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench';
const CHANNEL_ID = 'CBENCH0001';
const ROLES = ['bare-ack', 'bare-open', 'app'] as const;
type Role = (typeof ROLES)[number];
const ROLE_LABELS: Record<Role, string> = {
  'bare-ack': 'bare Bolt: ack only',
  'bare-open': 'bare Bolt: ack + views.open',
  app: 'kr-checkin app',
};

interface ServerInfo {
  port: number;
}

/**
 * TCP connections this process's fetch opened, per port. A command sent on a new connection waits
 * for the server to accept it, which under load takes far longer than a request on an open one.
 */
const connectionsOpened = new Map<string, number>();
subscribe('undici:client:connected', (message) => {
  const port = String((message as { connectParams: { port: string | number } }).connectParams.port);
  connectionsOpened.set(port, (connectionsOpened.get(port) ?? 0) + 1);
});

function textArgument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return (index >= 0 ? process.argv[index + 1] : undefined) ?? fallback;
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}

// ── children: the servers under test ──────────────────────────────────────────────────────────

/** Log lines are counted, not printed: a warning under load is a finding, a page of them is noise. */
function countingLogger(level: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  return { logger, lines };
}

/** `level message (error)` of the first few JSON log lines. */
function logDigest(lines: readonly string[]): { logLines: number; firstLogLines: string[] } {
  const firstLogLines = lines.slice(0, 3).map((line) => {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      return `${entry.level ?? '?'} ${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`;
    } catch {
      return line.slice(0, 200);
    }
  });
  return { logLines: lines.length, firstLogLines };
}

/** The real app, configured from the environment exactly as `src/index.ts` does. */
async function startApp(): Promise<ServedTarget<ServerInfo>> {
  const config = loadConfig(process.env);
  const { logger, lines } = countingLogger(config.logLevel);
  const server = await startServer(config, logger, { webApiRetries: 0, startScheduler: false });
  return {
    info: { port: server.port! },
    async stop() {
      const inFlightAtStop = server.slack.inFlight.size;
      await server.stop();
      return { inFlightAtStop, ...logDigest(lines) };
    },
  };
}

/** Bolt with the same receiver settings and logger as the app, and nothing else. */
async function startBareBolt(openModal: boolean): Promise<ServedTarget<ServerInfo>> {
  const { logger, lines } = countingLogger(process.env.LOG_LEVEL ?? 'warn');
  const slackLogger = boltLogger(logger);
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events', processBeforeResponse: false, logger: slackLogger });
  const app = new App({
    token: BOT_TOKEN,
    receiver,
    logger: slackLogger,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL!, retryConfig: { retries: 0 } },
  });
  app.command('/kr', async ({ ack, command, client }) => {
    await ack();
    if (!openModal) return;
    await client.views.open({
      trigger_id: command.trigger_id,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Check in' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Loading…' } }] },
    });
  });
  const server = (await app.start(0)) as Server;
  // The app's server settings, so that both keep Slack's connections open as long.
  keepIdleConnections(server);
  return {
    info: { port: (server.address() as AddressInfo).port },
    async stop() {
      await app.stop();
      return logDigest(lines);
    },
  };
}

interface GtmhubInfo {
  url: string;
  adminToken: string;
  accountId: string;
}

/**
 * The Gtmhub emulator in its own process: only the app calls it, so in the load generator's process
 * its work (answering pages, the latency timers) would slow the acks measured for the app alone.
 */
async function startGtmhub(): Promise<ServedTarget<GtmhubInfo>> {
  const people = Number(process.env.BENCH_GTMHUB_PEOPLE);
  const latencyMs = Number(process.env.BENCH_GTMHUB_LATENCY_MS);
  const gtmhub = await startGtmhubEmulator({
    port: 0,
    data: generateEmulatorData({ people, metricsPerPerson: 6, seed: 1, baseDate: new Date().toISOString() }),
    faults: { latencyMs },
  });
  return {
    info: { url: gtmhub.url, adminToken: gtmhub.adminToken, accountId: gtmhub.accountId },
    async stop() {
      await gtmhub.close();
    },
  };
}

/** Requests the Gtmhub emulator has answered, read from its control endpoint. */
async function gtmhubRequestCount(url: string): Promise<number> {
  const response = await fetch(new URL('/_emulator/state', url));
  const state = (await response.json()) as { requests?: unknown };
  if (typeof state.requests !== 'number') throw new Error('the Gtmhub emulator did not report its request count');
  return state.requests;
}

function startRole(role: string): Promise<ServedTarget<ServerInfo | GtmhubInfo>> {
  if (role === 'gtmhub') return startGtmhub();
  if (role === 'app') return startApp();
  if (role === 'bare-ack') return startBareBolt(false);
  if (role === 'bare-open') return startBareBolt(true);
  throw new Error(`unknown role ${role}`);
}

// ── parent: emulators, load and report ────────────────────────────────────────────────────────

interface CommandTiming {
  userId: string;
  sentAt: number;
  ackedAt?: number;
  status?: number;
  timedOut?: boolean;
  error?: string;
}

/** The same measured people send `/kr checkin` twice: first-time, then known (linked in the store). */
interface KnownSamples {
  ackMs: number[];
  viewsOpenMs: number[];
  formMs: number[];
  commands: number;
  gtmhubRequests: number;
  missingForm: number;
}

interface TargetSamples {
  known: KnownSamples;
  ackMs: number[];
  viewsOpenMs: number[];
  formMs: number[];
  commands: number;
  badAcks: number;
  ackTimeouts: number;
  missingViewsOpen: number;
  missingForm: number;
  slackErrors: Record<string, number>;
  slackCalls: number;
  gtmhubRequests: number;
  /** TCP connections Slack (this process) opened to the server during both passes of the measured people. */
  newConnections: number;
  sendPhaseMs: number[];
  memory: MemoryPeaks[];
  loopDelay: EventLoopDelay[];
  /** The server's CPU time over the measured window (both passes of the measured people). */
  cpuMs: number;
  loadGeneratorLoopDelay: EventLoopDelay[];
  idleRssMb: number[];
  exitedOnItsOwn: boolean;
  inFlightAtStop: number;
  logLines: number;
  firstLogLines: string[];
}

/** When each user's modal changed (views.open, then views.update), on this process's clock. */
class ViewChanges {
  private readonly times = new Map<string, number[]>();

  constructor(slack: SlackEmulator) {
    slack.subscribe((change) => {
      if (change.type !== 'views_changed') return;
      const list = this.times.get(change.user) ?? [];
      list.push(performance.now());
      this.times.set(change.user, list);
    });
  }

  nth(userId: string, n: number): number | undefined {
    return this.times.get(userId)?.[n];
  }

  forget(userIds: readonly string[]): void {
    for (const id of userIds) this.times.delete(id);
  }
}

/**
 * Waits until Slack has seen every modal call the commands since `firstCall` lead to: one
 * views.open per command, and (app) one views.update per modal that opened — failed calls count,
 * so an expired trigger ends the wait instead of running into the timeout.
 */
async function waitForModalCalls(slack: SlackEmulator, firstCall: number, commands: number, changesPerCommand: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const calls = slack.calls.slice(firstCall);
    const opens = calls.filter((call) => call.method === 'views.open');
    const updates = calls.filter((call) => call.method === 'views.update');
    const opened = opens.filter((call) => call.ok).length;
    if (opens.length >= (changesPerCommand >= 1 ? commands : 0) && updates.length >= (changesPerCommand >= 2 ? opened : 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends one command per user, `concurrency` awaiting their ack at a time. */
async function sendCommands(slack: SlackEmulator, userIds: readonly string[], concurrency: number): Promise<CommandTiming[]> {
  const timings: CommandTiming[] = [];
  let next = 0;
  const worker = async () => {
    while (next < userIds.length) {
      const userId = userIds[next++]!;
      const timing: CommandTiming = { userId, sentAt: performance.now() };
      timings.push(timing);
      try {
        const result = await slack.slashCommand(userId, CHANNEL_ID, '/kr', 'checkin');
        timing.ackedAt = performance.now();
        timing.status = result.status;
        if (result.timedOut) timing.timedOut = true;
      } catch (error) {
        timing.error = error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, userIds.length) }, worker));
  return timings;
}

function emptySamples(): TargetSamples {
  return {
    known: { ackMs: [], viewsOpenMs: [], formMs: [], commands: 0, gtmhubRequests: 0, missingForm: 0 },
    ackMs: [],
    viewsOpenMs: [],
    formMs: [],
    commands: 0,
    badAcks: 0,
    ackTimeouts: 0,
    missingViewsOpen: 0,
    missingForm: 0,
    slackErrors: {},
    slackCalls: 0,
    gtmhubRequests: 0,
    newConnections: 0,
    sendPhaseMs: [],
    memory: [],
    loopDelay: [],
    cpuMs: 0,
    loadGeneratorLoopDelay: [],
    idleRssMb: [],
    exitedOnItsOwn: true,
    inFlightAtStop: 0,
    logLines: 0,
    firstLogLines: [],
  };
}

interface RunSetup {
  slack: SlackEmulator;
  views: ViewChanges;
  env: Record<string, string | undefined>;
  warmupUsers: string[];
  measuredUsers: string[];
  concurrency: number;
  latencyMs: number;
  databaseDir: string;
  /** Requests the Gtmhub emulator has answered so far. */
  gtmhubRequests: () => Promise<number>;
}

async function runTarget(role: Role, setup: RunSetup, samples: TargetSamples): Promise<void> {
  const { slack, views, warmupUsers, measuredUsers, concurrency } = setup;
  const databaseDir = mkdtempSync(join(setup.databaseDir, 'kr-bench-ack-'));
  const database = await benchDatabase(databaseDir);
  const env = { ...setup.env, DATABASE_URL: database.url };
  const server = await ForkedServer.start<ServerInfo>(import.meta.url, role, env);
  slack.setAppUrl(`http://127.0.0.1:${server.info.port}/slack/events`);
  views.forget([...warmupUsers, ...measuredUsers]);
  // Modal loads take a few Gtmhub round trips; give them generous room before calling them missing.
  const settleMs = 20 * setup.latencyMs + 10_000;
  const changesPerCommand = role === 'app' ? 2 : role === 'bare-open' ? 1 : 0;

  const warmupFirstCall = slack.calls.length;
  await sendCommands(slack, warmupUsers, concurrency);
  await waitForModalCalls(slack, warmupFirstCall, warmupUsers.length, changesPerCommand, settleMs);
  const idle = await server.memory({ reset: true });

  const firstCall = slack.calls.length;
  const gtmhubBefore = await setup.gtmhubRequests();
  const connectionsBefore = connectionsOpened.get(String(server.info.port)) ?? 0;
  // This process hosts the emulators and the load; if its loop lags, every target's times grow.
  const ownLoop = monitorEventLoopDelay({ resolution: 10 });
  ownLoop.enable();
  const started = performance.now();
  const timings = await sendCommands(slack, measuredUsers, concurrency);
  samples.sendPhaseMs.push(performance.now() - started);
  await waitForModalCalls(slack, firstCall, measuredUsers.length, changesPerCommand, settleMs);
  ownLoop.disable();
  samples.loadGeneratorLoopDelay.push({ p50: ownLoop.percentile(50) / 1e6, p99: ownLoop.percentile(99) / 1e6, max: ownLoop.max / 1e6 });
  const firstTimeViews = new Map(measuredUsers.map((user) => [user, [views.nth(user, 0), views.nth(user, 1)]]));
  const firstTimeGtmhub = (await setup.gtmhubRequests()) - gtmhubBefore;

  const firstTimeSlackCalls = slack.calls.length - firstCall;
  // The same people again: now the app knows who they are.
  views.forget(measuredUsers);
  const knownFirstCall = slack.calls.length;
  const knownGtmhubBefore = await setup.gtmhubRequests();
  const knownTimings = await sendCommands(slack, measuredUsers, concurrency);
  await waitForModalCalls(slack, knownFirstCall, measuredUsers.length, changesPerCommand, settleMs);
  samples.known.gtmhubRequests += (await setup.gtmhubRequests()) - knownGtmhubBefore;
  samples.newConnections += (connectionsOpened.get(String(server.info.port)) ?? 0) - connectionsBefore;
  for (const timing of knownTimings) {
    if (timing.ackedAt === undefined || timing.status !== 200) continue;
    samples.known.commands += 1;
    samples.known.ackMs.push(timing.ackedAt - timing.sentAt);
    const opened = views.nth(timing.userId, 0);
    if (opened !== undefined) samples.known.viewsOpenMs.push(opened - timing.sentAt);
    if (changesPerCommand < 2) continue;
    const filled = views.nth(timing.userId, 1);
    if (filled === undefined) samples.known.missingForm += 1;
    else samples.known.formMs.push(filled - timing.sentAt);
  }
  const stopped = await server.stop();
  rmSync(databaseDir, { recursive: true, force: true });
  await database.drop();
  samples.gtmhubRequests += firstTimeGtmhub;
  samples.slackCalls += firstTimeSlackCalls;

  for (const call of slack.calls.slice(firstCall)) {
    if (call.ok) continue;
    const what = `${call.method}: ${call.error ?? 'failed'}`;
    samples.slackErrors[what] = (samples.slackErrors[what] ?? 0) + 1;
  }
  for (const timing of timings) {
    samples.commands += 1;
    if (timing.timedOut) samples.ackTimeouts += 1;
    if (timing.ackedAt === undefined || timing.status !== 200) {
      samples.badAcks += 1;
      continue;
    }
    samples.ackMs.push(timing.ackedAt - timing.sentAt);
    if (changesPerCommand === 0) continue;
    const [opened, filled] = firstTimeViews.get(timing.userId) ?? [];
    if (opened === undefined) samples.missingViewsOpen += 1;
    else samples.viewsOpenMs.push(opened - timing.sentAt);
    if (changesPerCommand < 2) continue;
    if (filled === undefined) samples.missingForm += 1;
    else samples.formMs.push(filled - timing.sentAt);
  }
  samples.memory.push(stopped.memory);
  samples.loopDelay.push(stopped.loopDelay);
  samples.cpuMs += stopped.cpuMs;
  samples.idleRssMb.push(idle.current.rssMb);
  samples.exitedOnItsOwn &&= stopped.exitedOnItsOwn;
  samples.inFlightAtStop += Number(stopped.details.inFlightAtStop ?? 0);
  samples.logLines += Number(stopped.details.logLines ?? 0);
  if (Array.isArray(stopped.details.firstLogLines) && samples.firstLogLines.length === 0) samples.firstLogLines = stopped.details.firstLogLines.map(String);
}

/** The step of performance.now() on this machine (some VMs tick in 10–20 ms steps, which quantises every figure). */
function clockStepMs(): number {
  let largest = 0;
  for (let i = 0; i < 5; i += 1) {
    const start = performance.now();
    let now = start;
    while (now === start) now = performance.now();
    largest = Math.max(largest, now - start);
  }
  return largest;
}

function machine(): { cpu: string; cores: number; clockStepMs: number } {
  return { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), clockStepMs: Math.round(clockStepMs() * 1000) / 1000 };
}

const loadAverage = () => loadavg().map((n) => n.toFixed(2)).join(' ');

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '—');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—');
const ratioNumber = (a: number, b: number) => (Number.isFinite(a / b) ? Math.round((a / b) * 100) / 100 : null);
const round1 = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : null);

async function main(): Promise<void> {
  const commands = argument('commands', 200);
  const concurrency = Math.max(1, argument('concurrency', 20));
  const latencyMs = argument('latency', 2000);
  const warmup = argument('warmup', 20);
  const rounds = Math.max(1, argument('rounds', 1));

  // One Gtmhub person (and one Slack user with their email) per command, warm-ups included.
  const people = warmup + commands;
  const gtmhubProcess = await ForkedServer.start<GtmhubInfo>(import.meta.url, 'gtmhub', {
    ...process.env,
    BENCH_GTMHUB_PEOPLE: String(people),
    BENCH_GTMHUB_LATENCY_MS: String(latencyMs),
    BENCH_CPU_PROFILE_DIR: undefined,
  });
  const gtmhub = gtmhubProcess.info;
  const slackUsers = Array.from({ length: people }, (_, i) => ({
    id: `UBENCH${String(i + 1).padStart(5, '0')}`,
    name: `person${i + 1}`,
    realName: `Person ${i + 1}`,
    email: `person${i + 1}@example.com`,
    tz: 'UTC',
  }));
  // No rate limits are configured on the Slack emulator: the benchmark measures the app, not Slack's tiers.
  const slack = await startSlackEmulator({
    port: 0,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    users: slackUsers,
    channels: [{ id: CHANNEL_ID, name: 'bench', members: slackUsers.map((u) => u.id) }],
  });
  const env: Record<string, string | undefined> = {
    ...process.env,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: slack.apiUrl,
    GTMHUB_API_URL: gtmhub.url,
    GTMHUB_API_TOKEN: gtmhub.adminToken,
    GTMHUB_ACCOUNT_ID: gtmhub.accountId,
    PORT: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  const setup: RunSetup = {
    slack,
    views: new ViewChanges(slack),
    env,
    warmupUsers: slackUsers.slice(0, warmup).map((u) => u.id),
    measuredUsers: slackUsers.slice(warmup).map((u) => u.id),
    concurrency,
    latencyMs,
    databaseDir: textArgument('database-dir', tmpdir()),
    gtmhubRequests: () => gtmhubRequestCount(gtmhub.url),
  };

  const host = machine();
  const loadAtStart = loadAverage();
  console.log(`/kr checkin ack benchmark — ${commands} commands at concurrency ${concurrency}, Gtmhub emulator latency ${latencyMs} ms, ${warmup} warm-up commands per target`);
  console.log(`node ${process.version}, each target in its own child process, ${rounds} round${rounds === 1 ? '' : 's'}, app database under ${setup.databaseDir}`);
  console.log(`${host.cpu}, ${host.cores} cores, load average ${loadAtStart}, clock step ${host.clockStepMs} ms\n`);

  const samples = Object.fromEntries(ROLES.map((role) => [role, emptySamples()])) as Record<Role, TargetSamples>;
  for (let round = 0; round < rounds; round += 1) {
    const order = ROLES.map((_, i) => ROLES[(i + round) % ROLES.length]!);
    for (const role of order) {
      const started = performance.now();
      await runTarget(role, setup, samples[role]);
      const s = samples[role];
      console.log(`round ${round + 1} ${ROLE_LABELS[role].padEnd(28)} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      if (s.firstLogLines.length > 0 && round === 0) console.log(`  first log lines: ${s.firstLogLines.join(' | ')}`);
    }
  }
  await Promise.all([slack.close(), gtmhubProcess.stop()]);

  const summaries = Object.fromEntries(
    ROLES.map((role) => {
      const s = samples[role];
      return [
        role,
        {
          ack: summarizeLatencies(s.ackMs),
          viewsOpen: summarizeLatencies(s.viewsOpenMs),
          form: summarizeLatencies(s.formMs),
          peakRssMb: Math.max(...s.memory.map((m) => m.peak.rssMb)),
          peakHeapMb: Math.max(...s.memory.map((m) => m.peak.heapUsedMb)),
          idleRssMb: Math.max(...s.idleRssMb),
        },
      ];
    }),
  ) as Record<Role, { ack: LatencySummary; viewsOpen: LatencySummary; form: LatencySummary; peakRssMb: number; peakHeapMb: number; idleRssMb: number }>;

  const loadAtEnd = loadAverage();
  // Measured again because on some VMs the clock's step changes while the machine is busy.
  host.clockStepMs = Math.max(host.clockStepMs, Math.round(clockStepMs() * 1000) / 1000);
  console.log(`\nload average at the end ${loadAtEnd}, largest clock step seen ${host.clockStepMs} ms`);
  console.log('times in ms from sending the command; memory of the server process: idle = after the warm-up, peaks sampled every 50 ms over the measured commands');
  console.log(
    `${'target'.padEnd(28)} ${'ack p50'.padStart(8)} ${'ack p99'.padStart(8)} ${'open p50'.padStart(9)} ${'open p99'.padStart(9)} ${'form p50'.padStart(9)} ${'form p99'.padStart(9)} ${'idle RSS'.padStart(9)} ${'peak RSS'.padStart(9)} ${'peak heap'.padStart(10)}`,
  );
  for (const role of ROLES) {
    const s = summaries[role];
    console.log(
      `${ROLE_LABELS[role].padEnd(28)} ${fmt(s.ack.p50).padStart(8)} ${fmt(s.ack.p99).padStart(8)} ${fmt(s.viewsOpen.p50).padStart(9)} ${fmt(s.viewsOpen.p99).padStart(9)} ` +
        `${fmt(s.form.p50).padStart(9)} ${fmt(s.form.p99).padStart(9)} ${`${s.idleRssMb.toFixed(0)} MB`.padStart(9)} ${`${s.peakRssMb.toFixed(0)} MB`.padStart(9)} ${`${s.peakHeapMb.toFixed(1)} MB`.padStart(10)}`,
    );
  }
  const app = summaries.app;
  const bareAck = summaries['bare-ack'];
  const bareOpen = summaries['bare-open'];
  console.log(
    `${'app / bare'.padEnd(28)} ${ratio(app.ack.p50, bareAck.ack.p50).padStart(8)} ${ratio(app.ack.p99, bareAck.ack.p99).padStart(8)} ` +
      `${ratio(app.viewsOpen.p50, bareOpen.viewsOpen.p50).padStart(9)} ${ratio(app.viewsOpen.p99, bareOpen.viewsOpen.p99).padStart(9)}`,
  );
  console.log('(ack ratios against "ack only", views.open ratios against "ack + views.open"; form = views.update with the loaded form, app only)\n');

  const known = Object.fromEntries(
    ROLES.map((role) => {
      const k = samples[role].known;
      return [role, { ack: summarizeLatencies(k.ackMs), viewsOpen: summarizeLatencies(k.viewsOpenMs), form: summarizeLatencies(k.formMs), gtmhubPerCommand: k.gtmhubRequests / Math.max(1, k.commands) }];
    }),
  ) as Record<Role, { ack: LatencySummary; viewsOpen: LatencySummary; form: LatencySummary; gtmhubPerCommand: number }>;
  console.log('the same people a second time (known to the app):');
  for (const role of ROLES) {
    const k = known[role];
    console.log(
      `${ROLE_LABELS[role].padEnd(28)} ${fmt(k.ack.p50).padStart(8)} ${fmt(k.ack.p99).padStart(8)} ${fmt(k.viewsOpen.p50).padStart(9)} ${fmt(k.viewsOpen.p99).padStart(9)} ` +
        `${fmt(k.form.p50).padStart(9)} ${fmt(k.form.p99).padStart(9)}   ${k.gtmhubPerCommand.toFixed(1)} Gtmhub requests per command`,
    );
  }
  // Acks of both kinds of person, pooled per target.
  const pooledAck = (role: Role) => summarizeLatencies([...samples[role].ackMs, ...samples[role].known.ackMs]);
  const appAck = pooledAck('app');
  const openAck = pooledAck('bare-open');
  console.log(
    `acks of both rounds: app p50/p99 ${fmt(appAck.p50)}/${fmt(appAck.p99)} ms, bare ack + views.open ${fmt(openAck.p50)}/${fmt(openAck.p99)} ms ` +
      `(${ratio(appAck.p50, openAck.p50)} / ${ratio(appAck.p99, openAck.p99)}), bare ack only ${fmt(pooledAck('bare-ack').p50)}/${fmt(pooledAck('bare-ack').p99)} ms\n`,
  );

  const problems: string[] = [];
  for (const role of ROLES) {
    const s = samples[role];
    const errors = Object.entries(s.slackErrors).map(([what, n]) => `${n}× ${what}`);
    const line = [
      s.badAcks ? `${s.badAcks} commands without a 200 ack (${s.ackTimeouts} after Slack's 3 s)` : '',
      s.missingViewsOpen ? `${s.missingViewsOpen} without views.open` : '',
      s.missingForm ? `${s.missingForm} without the form` : '',
      errors.length ? `Slack API errors: ${errors.join(', ')}` : '',
      s.exitedOnItsOwn ? '' : 'process did not exit by itself after stopping',
      s.logLines ? `${s.logLines} log lines at warn or above` : '',
    ].filter(Boolean);
    if (line.length) problems.push(`${ROLE_LABELS[role]}: ${line.join('; ')}`);
    const throughput = (s.commands / s.sendPhaseMs.reduce((a, b) => a + b, 0)) * 1000;
    const worst = (delays: EventLoopDelay[]) => delays.reduce((a, d) => (d.max > a.max ? d : a), { p50: 0, p99: 0, max: 0 });
    const worstLoop = worst(s.loopDelay);
    const worstOwnLoop = worst(s.loadGeneratorLoopDelay);
    console.log(
      `${ROLE_LABELS[role].padEnd(28)} ${s.commands} commands, ${throughput.toFixed(0)} commands/s acknowledged, ` +
        `event-loop delay p99/max ${worstLoop.p99.toFixed(0)}/${worstLoop.max.toFixed(0)} ms (load generator ${worstOwnLoop.p99.toFixed(0)}/${worstOwnLoop.max.toFixed(0)} ms), ` +
        `${(s.cpuMs / (2 * s.commands)).toFixed(1)} ms of server CPU, ${(s.slackCalls / s.commands).toFixed(1)} Slack API calls and ${(s.gtmhubRequests / s.commands).toFixed(1)} Gtmhub requests per command, ` +
        `${s.inFlightAtStop} modal loads still running at stop (drained), ${s.newConnections} new connections from Slack during the measured commands`,
    );
  }
  console.log(problems.length ? `\nproblems:\n  ${problems.join('\n  ')}` : '\nno failed acks, no missing modals, no Slack API errors, every server process exited by itself');

  const json = {
    bench: 'ack',
    commands,
    concurrency,
    latencyMs,
    rounds,
    node: process.version,
    cpu: host.cpu,
    cores: host.cores,
    clockStepMs: host.clockStepMs,
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    targets: Object.fromEntries(
      ROLES.map((role) => {
        const s = summaries[role];
        return [
          role,
          {
            ackMean: round1(s.ack.mean),
            ackP50: round1(s.ack.p50),
            ackP99: round1(s.ack.p99),
            viewsOpenMean: round1(s.viewsOpen.mean),
            viewsOpenP50: round1(s.viewsOpen.p50),
            viewsOpenP99: round1(s.viewsOpen.p99),
            formP50: round1(s.form.p50),
            formP99: round1(s.form.p99),
            peakRssMb: round1(s.peakRssMb),
            loopDelayMaxMs: round1(Math.max(...samples[role].loopDelay.map((d) => d.max))),
            cpuMsPerCommand: round1(samples[role].cpuMs / (2 * samples[role].commands)),
            peakHeapMb: round1(s.peakHeapMb),
          },
        ];
      }),
    ),
    ratios: {
      ackP50: ratioNumber(app.ack.p50, bareAck.ack.p50),
      ackP99: ratioNumber(app.ack.p99, bareAck.ack.p99),
      viewsOpenP50: ratioNumber(app.viewsOpen.p50, bareOpen.viewsOpen.p50),
      viewsOpenP99: ratioNumber(app.viewsOpen.p99, bareOpen.viewsOpen.p99),
    },
    problems: problems.length,
  };
  console.log(JSON.stringify(json));

  const firstTimeGtmhub = samples.app.gtmhubRequests / Math.max(1, samples.app.commands);
  const knownApp = known.app;
  const within = (form: LatencySummary, limit: number) => Number.isFinite(form.p50) && form.p99 <= limit && form.p50 <= limit;
  recordGoals('ack', [
    {
      goal: '1 form, known person',
      target: `p50, p99 ≤ ${latencyMs + 300} ms; 1 Gtmhub request`,
      measured: `${fmt(knownApp.form.p50)} / ${fmt(knownApp.form.p99)} ms; ${knownApp.gtmhubPerCommand.toFixed(1)} requests`,
      met: within(knownApp.form, latencyMs + 300) && knownApp.gtmhubPerCommand <= 1,
    },
    {
      goal: '1 form, first-time person',
      target: `p50, p99 ≤ ${2 * latencyMs + 300} ms; 2 Gtmhub requests`,
      measured: `${fmt(app.form.p50)} / ${fmt(app.form.p99)} ms; ${firstTimeGtmhub.toFixed(1)} requests`,
      met: within(app.form, 2 * latencyMs + 300) && firstTimeGtmhub <= 2,
    },
    {
      goal: '2 ack vs bare Bolt + views.open',
      target: 'p50, p99 ≤ 1.2×',
      measured: `${ratio(appAck.p50, openAck.p50)} / ${ratio(appAck.p99, openAck.p99)} (${fmt(appAck.p50)}/${fmt(appAck.p99)} vs ${fmt(openAck.p50)}/${fmt(openAck.p99)} ms)`,
      met: appAck.p50 <= 1.2 * openAck.p50 && appAck.p99 <= 1.2 * openAck.p99,
    },
  ]);
  if (problems.length) process.exitCode = 1;
}

const role = servedRole();
if (role) await serveForParent(() => startRole(role));
else await main();
