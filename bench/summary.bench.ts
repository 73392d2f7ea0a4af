/**
 * `npm run bench:summary` — channel summaries of 100, 1,000 and 10,000 key results (20 per person,
 * one channel with every owner in it), built and posted through the real services against the
 * Gtmhub emulator and the strict Slack emulator.
 *
 * Both emulators run in a child process, so "build ms" is the app's own work plus real HTTP on
 * 127.0.0.1 (the emulators' JSON serialisation runs on the other core, as a real Gtmhub's would run
 * elsewhere). Request counts come from the child.
 *
 * Each size runs several rounds; each round starts with a fresh store and fresh services (empty
 * caches) and runs a cold build (channel members are resolved once) then a warm one (links,
 * profiles, members and sessions cached), and then the baseline: bare `fetch` of the very metric
 * pages the warm build read (same filters, fields and page size, the filters walked as many at once
 * as the builder does), `JSON.parse` only. Tables show the median over rounds; the first round's
 * cold build is shown too (its JIT is the coldest).
 *
 * Messages and blocks are reported for both layouts of the same summary: "text" (the layout before
 * charts, still the fallback) and "charts" (native charts and data tables, what is posted), with the
 * time each takes to render. The charts layout is posted in the first round, so the Slack emulator
 * validates it. The first round also runs `/kr summary` as a person does, a preview and its Post through
 * SummaryService, and counts the Slack calls it makes besides the posts.
 *
 * Options: --sizes 100,1000,10000   --rounds N (default 5)   --page-size N (default: the builder's, 1000)
 *          --without-history (the scope has two recorded summaries already, so no page carries metricHistory)
 * BENCH_CPU_PROFILE_DIR=DIR writes the app's CPU profile of each build there
 * (`summary-<size>-r<round>-<cold|warm>.cpuprofile`; open it in Chrome DevTools or speedscope).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { systemClock } from '../src/clock.js';
import { GtmhubClient } from '../src/gtmhub/client.js';
import { createLogger } from '../src/logger.js';
import { KeyResultService } from '../src/services/key-results.js';
import { PeopleService } from '../src/services/people/people-service.js';
import { FILTERS_AT_ONCE, SummaryBuilder } from '../src/services/summaries/build.js';
import { SummaryService } from '../src/services/summaries/summary-service.js';
import { summaryMessages, messageChars } from '../src/slack/blocks/summary-message.js';
import { summaryChartMessages } from '../src/slack/blocks/summary-chart-message.js';
import { tableChars, type DataTableBlock } from '../src/slack/blocks/chart-types.js';
import { SlackGateway } from '../src/slack/gateway/slack-gateway.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import { recordGoals, type GoalResult } from './support/goals.js';
import { mapLimited } from '../src/services/bounded.js';

const METRICS_PER_PERSON = 20;
const CHANNEL = 'CBENCH001';
const BOT_TOKEN = ['xoxb', 'bench'].join('-');

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

// ── child: both emulators ───────────────────────────────────────────────────────────────────────

interface EmulatorInfo {
  gtmhubUrl: string;
  gtmhubToken: string;
  accountId: string;
  slackApiUrl: string;
}

interface Counts {
  gtmhubRequests: number;
  /** Path and query of each GET /v2/metrics since the previous `counts`. */
  metricPages: string[];
  slackLookups: number;
  /** Slack calls other than chat.postMessage so far, by method. */
  slackMethods: Record<string, number>;
  posts: number;
  refusedPost: string | null;
  /** The emulators' CPU time so far (user + system). */
  cpuMs: number;
}

type ChildMessage = { type: 'ready'; info: EmulatorInfo } | { type: 'counts'; counts: Counts };

async function serveEmulators(size: number): Promise<void> {
  const { generateEmulatorData, startGtmhubEmulator } = await import('../src/emulator/gtmhub/index.js');
  const { startSlackEmulator } = await import('../src/emulator/slack/index.js');
  const people = Math.ceil(size / METRICS_PER_PERSON);
  const data = generateEmulatorData({ people, metricsPerPerson: METRICS_PER_PERSON, seed: 1 });
  data.metrics = data.metrics.slice(0, size);
  const gtmhub = await startGtmhubEmulator({ port: 0, data });
  const slackUsers = data.users.map((u, i) => ({ id: `UB${String(i + 1).padStart(7, '0')}`, name: `p${i + 1}`, email: u.email, tz: 'UTC' }));
  const slack = await startSlackEmulator({
    port: 0,
    signingSecret: 'bench',
    botToken: BOT_TOKEN,
    users: slackUsers,
    channels: [{ id: CHANNEL, name: 'bench', members: [...slackUsers.map((u) => u.id), 'UBOT0001'] }],
  });
  let seenRequests = 0;
  process.send?.({
    type: 'ready',
    info: { gtmhubUrl: gtmhub.url, gtmhubToken: gtmhub.adminToken, accountId: gtmhub.accountId, slackApiUrl: slack.apiUrl },
  } satisfies ChildMessage);
  process.on('message', (message: unknown) => {
    if (message === 'counts') {
      const metricPages = gtmhub.requests
        .slice(seenRequests)
        .filter((r) => r.method === 'GET' && r.path.endsWith('/v2/metrics'))
        .map((r) => `${r.path}${r.query ? `?${r.query.replace(/^\?/, '')}` : ''}`);
      seenRequests = gtmhub.requests.length;
      const posts = slack.callsTo('chat.postMessage');
      const slackMethods: Record<string, number> = {};
      for (const call of slack.calls) if (call.method !== 'chat.postMessage') slackMethods[call.method] = (slackMethods[call.method] ?? 0) + 1;
      const counts: Counts = {
        gtmhubRequests: gtmhub.requests.length,
        metricPages,
        slackLookups: slack.calls.length - posts.length,
        slackMethods,
        posts: posts.length,
        refusedPost: posts.find((c) => !c.ok)?.error ?? null,
        cpuMs: cpuMs(),
      };
      process.send?.({ type: 'counts', counts } satisfies ChildMessage);
    }
    if (message === 'stop') void Promise.all([gtmhub.close(), slack.close()]).then(() => process.exit(0));
  });
}

class Emulators {
  private readonly child: ChildProcess;
  private readonly waiting: Array<{ resolve: (message: ChildMessage) => void; reject: (error: Error) => void }> = [];

  constructor(size: number) {
    this.child = fork(fileURLToPath(import.meta.url), ['--serve', String(size)], { execArgv: process.execArgv, stdio: 'inherit' });
    this.child.on('message', (message: ChildMessage) => this.waiting.shift()?.resolve(message));
    this.child.on('exit', (code) => {
      for (const waiter of this.waiting.splice(0)) waiter.reject(new Error(`emulator process exited (${code})`));
    });
  }

  private next(): Promise<ChildMessage> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async ready(): Promise<EmulatorInfo> {
    const message = await this.next();
    if (message.type !== 'ready') throw new Error('the emulator process did not start');
    return message.info;
  }

  async counts(): Promise<Counts> {
    const answer = this.next();
    this.child.send('counts');
    const message = await answer;
    if (message.type !== 'counts') throw new Error('unexpected message from the emulator process');
    return message.counts;
  }

  stop(): void {
    this.child.send('stop');
  }
}

// ── parent: the app and the measurements ────────────────────────────────────────────────────────

interface RunFigures {
  keyResults: number;
  buildMs: number;
  /** CPU time of this process (the app) during the build, and of the emulators' process. */
  buildCpuMs: number;
  emulatorCpuMs: number;
  renderMs: number;
  postMs: number | null;
  gtmhubRequests: number;
  metricPages: string[];
  slackLookups: number;
  slackMethods: Record<string, number>;
  messages: number;
  maxBlocks: number;
  maxChars: number;
  text: { messages: number; blocks: number; maxBlocks: number; renderMs: number };
  charts: { messages: number; blocks: number; maxBlocks: number; maxTableChars: number; renderMs: number };
}

interface RoundFigures {
  cold: RunFigures;
  warm: RunFigures;
  /** `bytes`: the metric pages' bodies as received, `pages`: how many. */
  baseline: { ms: number; cpuMs: number; bytes: number; pages: number };
  /** First round only: Slack calls other than posts for a `/kr summary` preview and its Post, through SummaryService. */
  onDemand: { lookups: number; methods: Record<string, number> } | null;
}

const PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;

/** `work` under the CPU profiler when BENCH_CPU_PROFILE_DIR is set, the profile written as `name`.cpuprofile. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** What a caller would write without the app: the same metric pages, fetch + JSON.parse, filters walked as many at once as the builder. */
async function bareFetch(info: EmulatorInfo, pages: string[]): Promise<RoundFigures['baseline']> {
  const headers = { authorization: `Bearer ${info.gtmhubToken}`, 'gtmhub-accountId': info.accountId, accept: 'application/json' };
  const byFilter = new Map<string, string[]>();
  for (const page of pages) {
    const url = new URL(page, info.gtmhubUrl);
    url.searchParams.delete('skip');
    byFilter.set(url.search, [...(byFilter.get(url.search) ?? []), page]);
  }
  const cpuBefore = cpuMs();
  const started = performance.now();
  let bytes = 0;
  const counts = await mapLimited([...byFilter.values()], FILTERS_AT_ONCE, async (walk) => {
    let items = 0;
    for (const page of walk) {
      const response = await fetch(new URL(page, info.gtmhubUrl), { headers });
      if (!response.ok) throw new Error(`bare fetch: ${response.status} ${await response.text()}`);
      const text = await response.text();
      bytes += text.length;
      items += ((JSON.parse(text) as { items: unknown[] }).items ?? []).length;
    }
    return items;
  });
  const ms = performance.now() - started;
  const cpu = cpuMs() - cpuBefore;
  if (counts.reduce((a, b) => a + b, 0) === 0) throw new Error('bare fetch read no key results');
  return { ms, cpuMs: cpu, bytes, pages: pages.length };
}

const WITHOUT_HISTORY = process.argv.includes('--without-history');

async function benchRound(emulators: Emulators, info: EmulatorInfo, pageSize: number | undefined, post: boolean, name: string): Promise<RoundFigures> {
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const gtmhub = new GtmhubClient({ baseUrl: info.gtmhubUrl, token: info.gtmhubToken, accountId: info.accountId });
  const store = SqliteStore.open(':memory:');
  const slack = SlackGateway.fromSettings({ token: BOT_TOKEN, slackApiUrl: info.slackApiUrl, retries: 0 }, { clock: systemClock, logger });
  const peopleService = new PeopleService({ gtmhub, store, slack, clock: systemClock, logger, adminSlackUserIds: [] });
  const keyResults = new KeyResultService({ gtmhub, clock: systemClock, logger });
  const builder = new SummaryBuilder({ gtmhub, keyResults, people: peopleService, store, slack, clock: systemClock, logger, appUrl: 'https://app.gtmhub.com/', ...(pageSize ? { pageSize } : {}) });

  const run = async (which: 'cold' | 'warm'): Promise<RunFigures> => {
    const before = await emulators.counts();
    const end = new Date();
    const cpuBefore = cpuMs();
    let started = performance.now();
    const built = await profiled(`${name}-${which}`, () =>
      builder.build({
        scope: { kind: 'channel' },
        channelId: CHANNEL,
        title: 'Benchmark summary',
        period: { start: new Date(end.getTime() - 7 * 24 * 3600_000), end, label: 'last 7 days' },
        baselineKey: 'bench',
      }),
    );
    const buildMs = performance.now() - started;
    const buildCpuMs = cpuMs() - cpuBefore;
    if (!built.ok) throw new Error(built.reason);
    const afterBuild = await emulators.counts();
    started = performance.now();
    const textMessages = summaryMessages(built.summary);
    const textRenderMs = performance.now() - started;
    started = performance.now();
    const messages = summaryChartMessages(built.summary);
    const renderMs = performance.now() - started;
    const tableCharsOf = (m: (typeof messages)[number]) =>
      m.blocks.filter((b): b is DataTableBlock => b.type === 'data_table').reduce((n, t) => n + tableChars(t), 0);
    let postMs: number | null = null;
    if (post) {
      started = performance.now();
      await slack.postSummary(CHANNEL, built.summary);
      postMs = performance.now() - started;
    }
    // What posting a summary records (summary-service.ts): the next summary compares with it and draws it.
    await store.replaceSummaryBaseline('bench', built.baseline, built.summary.generatedAt);
    await store.recordSummaryProgress('bench', built.progress);
    const after = await emulators.counts();
    if (after.refusedPost) throw new Error(`Slack refused a message: ${after.refusedPost}`);
    return {
      keyResults: built.summary.total,
      buildMs,
      buildCpuMs,
      emulatorCpuMs: afterBuild.cpuMs - before.cpuMs,
      renderMs,
      postMs,
      gtmhubRequests: afterBuild.gtmhubRequests - before.gtmhubRequests,
      metricPages: afterBuild.metricPages,
      slackLookups: afterBuild.slackLookups - before.slackLookups,
      slackMethods: Object.fromEntries(
        Object.entries(afterBuild.slackMethods)
          .map(([method, n]) => [method, n - (before.slackMethods[method] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      ),
      messages: after.posts - afterBuild.posts,
      maxBlocks: Math.max(...messages.map((m) => m.blocks.length)),
      maxChars: Math.max(...messages.map((m) => messageChars(m.blocks))),
      text: {
        messages: textMessages.length,
        blocks: textMessages.reduce((n, m) => n + m.blocks.length, 0),
        maxBlocks: Math.max(...textMessages.map((m) => m.blocks.length)),
        renderMs: textRenderMs,
      },
      charts: {
        messages: messages.length,
        blocks: messages.reduce((n, m) => n + m.blocks.length, 0),
        maxBlocks: Math.max(...messages.map((m) => m.blocks.length)),
        maxTableChars: Math.max(...messages.map(tableCharsOf)),
        renderMs,
      },
    };
  };

  try {
    if (WITHOUT_HISTORY) {
      for (const weeksAgo of [2, 1]) {
        await store.recordSummaryProgress('bench', { takenAt: new Date(Date.now() - weeksAgo * 7 * 24 * 3600_000), overall: 0.3, expected: 0.4, keyResults: 1 });
      }
    }
    const cold = await run('cold');
    const warm = await run('warm');
    const onDemand = post ? await previewAndPost(emulators, new SummaryService({ builder, store, slack, clock: systemClock, logger })) : null;
    const baseline = await bareFetch(info, warm.metricPages);
    return { cold, warm, baseline, onDemand };
  } finally {
    await store.close();
  }
}

/** `/kr summary` as a person runs it: the preview, then Post (each asks whether the bot may post in the channel). */
async function previewAndPost(emulators: Emulators, summaries: SummaryService): Promise<NonNullable<RoundFigures['onDemand']>> {
  const before = await emulators.counts();
  const requester = 'UB0000001';
  const preview = await summaries.preview(requester, CHANNEL, '');
  if (preview.kind !== 'ready') throw new Error(`the preview was not ready: ${preview.kind}`);
  const posted = await summaries.post(requester, CHANNEL, preview.requestId);
  if (posted.kind !== 'posted') throw new Error(`the summary was not posted: ${posted.kind}`);
  const after = await emulators.counts();
  return {
    lookups: after.slackLookups - before.slackLookups,
    methods: Object.fromEntries(
      Object.entries(after.slackMethods)
        .map(([method, n]) => [method, n - (before.slackMethods[method] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    ),
  };
}

async function benchSize(size: number, rounds: number, pageSize: number | undefined): Promise<RoundFigures[]> {
  const emulators = new Emulators(size);
  try {
    const info = await emulators.ready();
    const figures: RoundFigures[] = [];
    for (let round = 0; round < rounds; round++) figures.push(await benchRound(emulators, info, pageSize, round === 0, `summary-${size}-r${round + 1}`));
    return figures;
  } finally {
    emulators.stop();
  }
}

const methods = (calls: Record<string, number>) =>
  Object.entries(calls)
    .map(([method, n]) => `${method} ${n}`)
    .join(', ') || 'none';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<void> {
  const sizes = option('sizes', '100,1000,10000')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const rounds = Math.max(1, Number(option('rounds', '5')) || 5);
  const pageSizeOption = option('page-size', '');
  const pageSize = pageSizeOption ? Number(pageSizeOption) : undefined;
  console.log(
    `Channel summaries: ${METRICS_PER_PERSON} key results per person, every owner in the channel, page size ${pageSize ?? 'the builder default (1000)'}, ` +
      `emulators in a child process, ${rounds} round${rounds === 1 ? '' : 's'} per size (medians), ` +
      `${WITHOUT_HISTORY ? 'two summaries recorded already (no metricHistory asked)' : 'no summaries recorded yet (pages carry metricHistory)'}, Node ${process.version}\n`,
  );
  const header = [
    'key results',
    'run',
    'build ms',
    'app CPU ms',
    'emulators CPU ms',
    'bare fetch ms',
    'bare CPU ms',
    'build/bare',
    'app CPU/bare CPU',
    'first round ms',
    'render ms',
    'post ms',
    'Gtmhub req',
    'Slack lookups',
    'messages',
    'max blocks',
    'max chars',
  ];
  const rows: string[][] = [];
  const goals: GoalResult[] = [];
  const layouts: Array<[number, RunFigures]> = [];
  const pageSizes: string[] = [];
  const onDemandCalls: string[] = [];
  for (const size of sizes) {
    const figures = await benchSize(size, rounds, pageSize);
    const baselineMs = median(figures.map((f) => f.baseline.ms));
    const baselineCpuMs = median(figures.map((f) => f.baseline.cpuMs));
    const pageKb = figures[0]!.baseline.bytes / figures[0]!.baseline.pages / 1024;
    pageSizes.push(`${size} key results: ${figures[0]!.baseline.pages} metric pages, ${(figures[0]!.baseline.bytes / 1024).toFixed(0)} KB in all, ${pageKb.toFixed(0)} KB per page`);
    const [first] = figures;
    const summarise = (pick: (f: RoundFigures) => RunFigures) => ({
      first: pick(first!),
      buildMs: median(figures.map((f) => pick(f).buildMs)),
      buildCpuMs: median(figures.map((f) => pick(f).buildCpuMs)),
      emulatorCpuMs: median(figures.map((f) => pick(f).emulatorCpuMs)),
      renderMs: median(figures.map((f) => pick(f).renderMs)),
    });
    const cold = summarise((f) => f.cold);
    const warm = summarise((f) => f.warm);
    if (size === 10_000) {
      goals.push({
        goal: '5 summary of 10k key results, cold build',
        target: '≤ 300 ms',
        measured:
          `${cold.buildMs.toFixed(0)} ms (warm ${warm.buildMs.toFixed(0)} ms; bare fetch of the same pages ${baselineMs.toFixed(0)} ms, cold ${(cold.buildMs / baselineMs).toFixed(2)}×;` +
          ` app CPU cold ${cold.buildCpuMs.toFixed(0)} ms vs bare fetch ${baselineCpuMs.toFixed(0)} ms)`,
        met: cold.buildMs <= 300,
      });
      goals.push({
        goal: '5 summary of 10k key results, Slack lookups',
        target: 'only cold (members once), none warm; one conversations.info for a preview and its Post',
        measured:
          `cold ${cold.first.slackLookups} (${methods(cold.first.slackMethods)}), warm ${warm.first.slackLookups}; Gtmhub requests cold ${cold.first.gtmhubRequests}, warm ${warm.first.gtmhubRequests};` +
          ` a preview and its Post: ${methods(first!.onDemand?.methods ?? {})}`,
        met: figures.every((f) => f.warm.slackLookups === 0 && f.cold.slackLookups <= 3) && (first!.onDemand?.lookups ?? 0) <= 1,
      });
    }
    layouts.push([warm.first.keyResults, warm.first]);
    onDemandCalls.push(`${size} key results: ${methods(first!.onDemand?.methods ?? {})}`);
    for (const [name, f] of [['cold', cold], ['warm', warm]] as const) {
      rows.push([
        String(f.first.keyResults),
        name,
        f.buildMs.toFixed(0),
        f.buildCpuMs.toFixed(0),
        f.emulatorCpuMs.toFixed(0),
        baselineMs.toFixed(0),
        baselineCpuMs.toFixed(0),
        `${(f.buildMs / baselineMs).toFixed(2)}×`,
        `${(f.buildCpuMs / baselineCpuMs).toFixed(2)}×`,
        f.first.buildMs.toFixed(0),
        f.renderMs.toFixed(1),
        f.first.postMs === null ? '' : f.first.postMs.toFixed(0),
        String(f.first.gtmhubRequests),
        String(f.first.slackLookups),
        String(f.first.messages),
        String(f.first.maxBlocks),
        String(f.first.maxChars),
      ]);
    }
  }
  printTable(header, rows);
  console.log(`\nSlack calls besides the posts for a /kr summary preview and its Post (first round, caches warm): ${onDemandCalls.join('; ')}`);
  console.log(`\nMetric pages as received (warm build's pages, characters of JSON): ${pageSizes.join('; ')}`);
  console.log('\nMessages and blocks per summary (warm run of the first round), before (text layout) and after (charts and data tables):\n');
  printTable(
    ['key results', 'text msgs', 'text blocks', 'text max blocks', 'text render ms', 'chart msgs', 'chart blocks', 'chart max blocks', 'max table chars', 'chart render ms'],
    layouts.map(([size, f]) => [
      String(size),
      String(f.text.messages),
      String(f.text.blocks),
      String(f.text.maxBlocks),
      f.text.renderMs.toFixed(1),
      String(f.charts.messages),
      String(f.charts.blocks),
      String(f.charts.maxBlocks),
      String(f.charts.maxTableChars),
      f.charts.renderMs.toFixed(1),
    ]),
  );
  console.log(
    '\nbuild = scope resolution + paged Gtmhub reads + judging, over real HTTP to the emulators in another process; bare fetch = the warm build\'s metric pages' +
      ' fetched and JSON.parsed, nothing else (the floor for reading them). app CPU = this process\'s CPU time during the build (the app\'s own work, less' +
      ' sensitive to load than wall time); emulators CPU = the other process\'s, serving it. Counts are from the first round.' +
      '\nCold: channel members are resolved once (users.list pages past 20 unknown members, users.info below; Gtmhub users in batches of 40 emails);' +
      ' warm: links, profiles, members and sessions come from the store and caches.' +
      '\nGtmhub requests = ceil(key results / page size) per owner chunk of 100 + sessions + user batches; no call per key result.' +
      '\nPosting (first round only) is bounded by Slack (about one message per second per channel in production; the emulator does not throttle).',
  );
  // The goal is the first summaries of a scope, whose pages carry history; the other run is for comparison.
  if (goals.length > 0 && !WITHOUT_HISTORY) recordGoals('summary', goals);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

const served = process.argv.indexOf('--serve');
(served >= 0 ? serveEmulators(Number(process.argv[served + 1])) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
