/**
 * `npm run bench:remind` — one reminder pass over 10,000 people with 3 due key results each.
 *
 * The Gtmhub and Slack emulators run in a child process each; the app runs in a third, compiled with
 * tsc and on plain node as it is deployed (support/remind-app.ts, started through the production
 * composition root), so the memory, CPU and event loop measured are the app's own. The fake Slack
 * allows N chat.postMessage per second workspace-wide and answers 429 with Retry-After beyond.
 *
 * Reported: total time against the floor (people / N), Gtmhub requests, Slack calls by method,
 * duplicates and missed DMs (both must be 0), peak memory, and the p50/p99 ack time of `/kr help`
 * sent every 50 ms while the pass runs.
 *
 * Options: --people N (default 10000), --rate N (chat.postMessage per second, default 100),
 *          --concurrency N (default: the app's, 16), --goals-name NAME (where run-all.ts finds its goals).
 *          The app's database: a SQLite file, or with BENCH_DATABASE_URL
 *          (or DATABASE_URL) = postgres://… a fresh schema on that server (support/bench-database.ts).
 *          BENCH_APP_NODE_ARGS: node options for the app's process (e.g. `--max-old-space-size=128`;
 *          `--expose-gc` adds the heap left after a full collection at the end of the pass).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TUNING } from '../src/services/reminders/pass.js';
import { appNodeArgs, compiledBenchScript } from './support/app-build.js';
import { benchDatabase } from './support/bench-database.js';
import { ForkedServer } from './support/forked-server.js';
import { recordGoals } from './support/goals.js';
import type { PassFigures, RemindAppInfo } from './support/remind-app.js';

const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench';
/** Monday 30 November 2026, 10:30 in Berlin: everyone's weekly reminder is due. */
const NOW = '2026-11-30T09:30:00.000Z';

function textArgument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return (index >= 0 ? process.argv[index + 1] : undefined) ?? fallback;
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const slackId = (n: number) => `U${String(n).padStart(8, '0')}`;

interface Ready {
  type: 'ready';
  gtmhubUrl: string;
  gtmhubToken: string;
  accountId: string;
  slackApiUrl: string;
  dueKeyResults: number;
}

interface Stats {
  type: 'stats';
  gtmhubRequests: number;
  slackCalls: Record<string, { ok: number; ratelimited: number; failed: number }>;
  dmsPerPerson: number[];
  /** When Slack accepted the first and the last chat.postMessage (epoch ms). */
  firstPostAt: number;
  lastPostAt: number;
  /** chat.postMessage accepted in each whole second from the first to the last. */
  postsPerSecond: number[];
}

type ChildMessage = Partial<Ready> | Partial<Stats>;

// ── children: one emulator each ─────────────────────────────────────────────────────────────────
// Gtmhub and Slack are separate services: in one process, the Gtmhub emulator's filter and sort of
// every key result per page request (300,000 at 100,000 people) held Slack's answers back.

async function serveGtmhub(): Promise<void> {
  const { startGtmhubEmulator, generateEmulatorData } = await import('../src/emulator/gtmhub/index.js');
  const data = generateEmulatorData({ people: argument('people', 10_000), metricsPerPerson: 3, seed: 1 });
  const gtmhub = await startGtmhubEmulator({ port: 0, data, now: () => new Date(NOW) });
  const periodStart = Date.parse('2026-11-29T23:00:00Z');
  const due = gtmhub.state.metrics.filter((m) => !m.lastCheckInDate || Date.parse(m.lastCheckInDate) < periodStart).length;
  process.send?.({ gtmhubUrl: gtmhub.url, gtmhubToken: gtmhub.adminToken, accountId: gtmhub.accountId, dueKeyResults: due } satisfies Partial<Ready>);
  process.on('message', (message: unknown) => {
    if (message === 'stats') process.send?.({ gtmhubRequests: gtmhub.requests.length } satisfies Partial<Stats>);
    if (message === 'stop') void gtmhub.close().then(() => process.exit(0));
  });
}

async function serveSlack(): Promise<void> {
  const { generateEmulatorData } = await import('../src/emulator/gtmhub/index.js');
  const { startSlackEmulator } = await import('../src/emulator/slack/index.js');
  const users = generateEmulatorData({ people: argument('people', 10_000), metricsPerPerson: 3, seed: 1 }).users;
  const slack = await startSlackEmulator({
    port: 0,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    users: users.map((u, i) => ({ id: slackId(i + 1), name: `person${i + 1}`, realName: `${u.firstName} ${u.lastName}`, email: u.email, tz: 'Europe/Berlin' })),
  });
  slack.rateLimit('chat.postMessage', { perSecond: argument('rate', 100) });
  process.send?.({ slackApiUrl: slack.apiUrl } satisfies Partial<Ready>);
  process.on('message', (message: unknown) => {
    if (message === 'stats') {
      const slackCalls: Stats['slackCalls'] = {};
      let firstPostAt = Infinity;
      let lastPostAt = 0;
      for (const call of slack.calls) {
        if (call.method === 'chat.postMessage' && call.ok) {
          firstPostAt = Math.min(firstPostAt, call.at);
          lastPostAt = Math.max(lastPostAt, call.at);
        }
        const entry = (slackCalls[call.method] ??= { ok: 0, ratelimited: 0, failed: 0 });
        if (call.ok) entry.ok++;
        else if (call.error === 'ratelimited') entry.ratelimited++;
        else entry.failed++;
      }
      const postsPerSecond: number[] = [];
      for (const call of slack.calls) {
        if (call.method !== 'chat.postMessage' || !call.ok) continue;
        const second = Math.floor((call.at - firstPostAt) / 1000);
        postsPerSecond[second] = (postsPerSecond[second] ?? 0) + 1;
      }
      const dmsPerPerson = users.map((_, i) => slack.messages(slack.dmChannelId(slackId(i + 1))).filter((m) => !m.threadTs).length);
      process.send?.({ slackCalls, dmsPerPerson, firstPostAt, lastPostAt, postsPerSecond: Array.from(postsPerSecond, (n) => n ?? 0) } satisfies Partial<Stats>);
    }
    if (message === 'stop') void slack.close().then(() => process.exit(0));
  });
}

// ── parent: the app, the pass and the measurements ──────────────────────────────────────────────

class Emulator {
  private readonly child: ChildProcess;
  private readonly waiting: Array<(message: ChildMessage) => void> = [];

  constructor(kind: 'gtmhub' | 'slack') {
    this.child = fork(fileURLToPath(import.meta.url), ['--serve', kind, ...process.argv.slice(2)], { execArgv: process.execArgv, stdio: 'inherit' });
    this.child.on('message', (message: ChildMessage) => this.waiting.shift()?.(message));
  }

  next(): Promise<ChildMessage> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  ask(message: 'stats'): Promise<ChildMessage> {
    const reply = this.next();
    this.child.send(message);
    return reply;
  }

  stop(): void {
    this.child.send('stop');
  }
}

class Emulators {
  private readonly gtmhub = new Emulator('gtmhub');
  private readonly slack = new Emulator('slack');

  async ready(): Promise<Ready> {
    const [gtmhub, slack] = await Promise.all([this.gtmhub.next(), this.slack.next()]);
    return { type: 'ready', ...gtmhub, ...slack } as Ready;
  }

  async stats(): Promise<Stats> {
    const [gtmhub, slack] = await Promise.all([this.gtmhub.ask('stats'), this.slack.ask('stats')]);
    return { type: 'stats', ...gtmhub, ...slack } as Stats;
  }

  stop(): void {
    this.gtmhub.stop();
    this.slack.stop();
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function slashCommandAckMs(appUrl: string): Promise<number> {
  const { signSlackRequest } = await import('../src/emulator/slack/signing.js');
  const body = new URLSearchParams({
    token: 'x',
    team_id: 'T0EMULATE',
    channel_id: 'CGENERAL01',
    user_id: slackId(1),
    user_name: 'person1',
    command: '/kr',
    text: 'help',
    trigger_id: `${Date.now()}.bench`,
    response_url: 'http://127.0.0.1:9/unused',
    api_app_id: 'AEMU00001',
  }).toString();
  const started = performance.now();
  const { signature, timestamp } = signSlackRequest(SIGNING_SECRET, body, Date.now() / 1000);
  const response = await fetch(appUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
    body,
  });
  await response.text();
  if (response.status !== 200) throw new Error(`ack answered ${response.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const people = argument('people', 10_000);
  const rate = argument('rate', 100);
  const concurrency = argument('concurrency', DEFAULT_TUNING.concurrency);
  const nodeArgs = appNodeArgs();
  const appScript = compiledBenchScript('support/remind-app');
  const emulators = new Emulators();
  const ready = await emulators.ready();
  const dir = mkdtempSync(join(tmpdir(), 'kr-remind-bench-'));
  const database = await benchDatabase(dir);
  const app = await ForkedServer.start<RemindAppInfo>(
    appScript,
    'app',
    {
      ...process.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: ready.slackApiUrl,
      GTMHUB_API_URL: ready.gtmhubUrl,
      GTMHUB_API_TOKEN: ready.gtmhubToken,
      GTMHUB_ACCOUNT_ID: ready.accountId,
      DATABASE_URL: database.url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      BENCH_NOW: NOW,
      BENCH_CONCURRENCY: String(concurrency),
    },
    nodeArgs,
  );
  const appUrl = `http://127.0.0.1:${app.info.port}/slack/events`;
  await slashCommandAckMs(appUrl); // warm-up
  const idle: number[] = [];
  for (let i = 0; i < 20; i++) idle.push(await slashCommandAckMs(appUrl));

  const acks: number[] = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      acks.push(await slashCommandAckMs(appUrl));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const floor = people / rate;
  console.log(
    `reminder pass: ${people} people × 3 key results, fake Slack at ${rate} chat.postMessage/s, concurrency ${concurrency}; app compiled, on node ${process.version}${nodeArgs.length > 0 ? ` ${nodeArgs.join(' ')}` : ''}…`,
  );
  const first = await app.call<PassFigures>('pass', { trigger: 'bench', expectedSeconds: floor });
  probing = false;
  await prober;
  const { report, seconds, startedAt } = first;

  const afterFirst = await emulators.stats();
  // The second pass finds every reminder already sent: it reads the store's state batch by batch
  // (every person has an open reminder now), so its memory is measured too.
  const second = await app.call<PassFigures>('pass', { trigger: 'bench again', expectedSeconds: 10 });
  const afterSecond = await emulators.stats();

  const dms = afterSecond.dmsPerPerson;
  const duplicates = dms.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const missed = dms.filter((n) => n === 0).length;
  const mb = (megabytes: number) => `${Math.round(megabytes)} MB`;
  const lags = first.loopLagsMs;
  const rows: Array<[string, string]> = [
    ['people / due key results', `${people} / ${ready.dueKeyResults}`],
    ['DMs sent (report)', `${report.sent} (failed ${report.failed}, unmapped ${report.unmappedCount})`],
    ['total time', `${seconds.toFixed(1)} s (${Object.entries(report.phaseMs).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')})`],
    [
      'first / last DM accepted',
      `${((afterFirst.firstPostAt - startedAt) / 1000).toFixed(1)} s / ${((afterFirst.lastPostAt - startedAt) / 1000).toFixed(1)} s after the start (${((report.sent - 1) / ((afterFirst.lastPostAt - afterFirst.firstPostAt) / 1000)).toFixed(1)} DMs/s between)`,
    ],
    (() => {
      // Whole seconds only: the last one is partial.
      const seconds = afterFirst.postsPerSecond.slice(0, -1);
      const slow = seconds.map((n, i) => [i, n] as const).filter(([, n]) => n < rate * 0.95);
      return [
        'DMs accepted per second',
        `p10 ${percentile(seconds, 10)}, p50 ${percentile(seconds, 50)}; ${slow.length} of ${seconds.length} s below 95 % of the rate${slow.length > 0 ? ` (${slow.slice(0, 12).map(([i, n]) => `${i}s:${n}`).join(' ')}${slow.length > 12 ? ' …' : ''})` : ''}`,
      ] as [string, string];
    })(),
    ['floor (people / N)', `${floor.toFixed(1)} s (${((seconds / floor) * 100).toFixed(0)} % of it)`],
    ['Gtmhub requests', `${afterFirst.gtmhubRequests} (${Math.ceil((people * 3) / DEFAULT_TUNING.pageSize)} pages of ${DEFAULT_TUNING.pageSize} + sessions and goals)`],
    ...Object.entries(afterFirst.slackCalls).map(([method, c]): [string, string] => [`Slack ${method}`, `${c.ok} ok, ${c.ratelimited} answered 429, ${c.failed} failed`]),
    ['429 pauses honoured', `${report.rateLimited} (${(report.rateLimitPausedMs / 1000).toFixed(1)} s paused)`],
    ['paced at (after each lesson or probe)', report.pacedRates.length === 0 ? 'never paced' : report.pacedRates.map((r) => `${r.perSecond}/s from ${(r.afterMs / 1000).toFixed(1)} s (${r.cause})`).join(', ')],
    ['duplicates (must be 0)', String(duplicates)],
    ['missed (must be 0)', String(missed)],
    [
      'second pass',
      `${second.report.sent} sent, ${second.report.alreadySent} already sent in ${second.seconds.toFixed(1)} s, peak RSS ${mb(second.peakRssMb)}; chat.postMessage ok ${afterSecond.slackCalls['chat.postMessage']?.ok ?? 0}`,
    ],
    [
      'peak RSS / heap used / heap reserved / external (app process)',
      `${mb(first.peakRssMb)} / ${mb(first.peakHeapUsedMb)} / ${mb(first.peakHeapTotalMb)} / ${mb(first.peakExternalMb)} (RSS before the pass ${mb(first.rssBeforeMb)}; peak per quarter of the pass ${first.quarterPeakRssMb.map(mb).join(', ')}${first.heapAfterGcMb !== null ? `; heap after a full GC at the end ${mb(first.heapAfterGcMb)}` : ''})`,
    ],
    ['app CPU during the pass', `${(first.cpuMs / 1000).toFixed(1)} s (${((first.cpuMs / 1000 / seconds) * 100).toFixed(0)} % of one core)`],
    ['event loop delay during the pass', `p99 ${percentile(lags, 99).toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms`],
    ['/kr ack idle', `p50 ${percentile(idle, 50).toFixed(1)} ms, p99 ${percentile(idle, 99).toFixed(1)} ms`],
    ['/kr ack during the pass', `p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms, max ${Math.max(...acks).toFixed(1)} ms (${acks.length} probes)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);

  const ratio = seconds / floor;
  const pages = Math.ceil(ready.dueKeyResults / DEFAULT_TUNING.pageSize);
  const label = people >= 1000 ? `${people / 1000}k` : String(people);
  const quarters = first.quarterPeakRssMb;
  const rssGrowth = quarters[3]! > 0 && quarters[0]! > 0 ? quarters[3]! - quarters[0]! : NaN;
  const flags = nodeArgs.length > 0 ? ` (node ${nodeArgs.join(' ')})` : '';
  recordGoals(textArgument('goals-name', 'remind'), [
    { goal: `4 reminder pass, ${label} people`, target: '≤ 1.05× the floor', measured: `${ratio.toFixed(3)}× (${seconds.toFixed(1)} s, floor ${floor.toFixed(1)} s; ${report.rateLimited} 429s)`, met: ratio <= 1.05 },
    {
      goal: `4 peak RSS, ${label} people`,
      target: people > 10_000 ? '≤ 150 MB and not growing during the pass' : '≤ 150 MB',
      measured: `${mb(first.peakRssMb)}${flags}${people > 10_000 ? `, last quarter − first ${rssGrowth.toFixed(0)} MB` : ''}`,
      met: first.peakRssMb <= 150 && (people <= 10_000 || rssGrowth <= 20),
    },
    { goal: `4 duplicates / missed, ${label} people`, target: '0 / 0', measured: `${duplicates} / ${missed}`, met: duplicates === 0 && missed === 0 },
    {
      goal: `4 Gtmhub requests, ${label} people`,
      target: `≤ key results ÷ ${DEFAULT_TUNING.pageSize} + 3 = ${pages + 3}`,
      measured: String(afterFirst.gtmhubRequests),
      met: afterFirst.gtmhubRequests <= pages + 3,
    },
  ]);
  await app.stop();
  emulators.stop();
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
  if (duplicates > 0 || missed > 0) process.exitCode = 1;
}

const serving = process.argv.indexOf('--serve');
if (serving >= 0) await (process.argv[serving + 1] === 'slack' ? serveSlack() : serveGtmhub());
else await main();
