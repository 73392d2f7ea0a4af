/**
 * `npm run bench:client` — the Gtmhub client's page iterator over 10,000 key results against the
 * emulator, next to the same walk done with bare fetch, in the same run.
 *
 * The emulator runs in a child process so that the time, CPU, RSS and heap measured here are the
 * walker's own (the emulator's serialisation cost is the same for both and stays out of them).
 * Both walkers send the same requests (same URLs, query and headers; the run checks the
 * emulator's request log) and read the same fields. Each round runs both walkers for each page
 * size, alternating which goes first; the table shows the median (p50) over the rounds after one
 * warm-up round, for wall time and for this process's CPU time (steadier on a busy machine), and
 * the client's overhead per request in µs.
 *
 * Options: --metrics N (default 10000), --rounds N (default 7).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { GtmhubClient } from '../src/gtmhub/client.js';
import { recordGoals, type GoalResult } from './support/goals.js';

interface EmulatorInfo {
  url: string;
  token: string;
  accountId: string;
  metrics: number;
}

type ChildMessage = { type: 'ready'; info: EmulatorInfo } | { type: 'requests'; count: number; urls: string[] };

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

// ── child: the emulator ─────────────────────────────────────────────────────────────────────────

async function serveEmulator(): Promise<void> {
  const { startGtmhubEmulator } = await import('../src/emulator/gtmhub/index.js');
  const { generateEmulatorData } = await import('../src/emulator/gtmhub/generate.js');
  const wanted = argument('metrics', 10_000);
  const metricsPerPerson = 20;
  const data = generateEmulatorData({ people: Math.ceil(wanted / metricsPerPerson), metricsPerPerson, seed: 1 });
  const emu = await startGtmhubEmulator({ port: 0, data });
  const info: EmulatorInfo = { url: emu.url, token: emu.adminToken, accountId: emu.accountId, metrics: emu.state.metrics.length };
  process.send?.({ type: 'ready', info } satisfies ChildMessage);
  let reported = 0;
  process.on('message', (message: unknown) => {
    if (message === 'requests') {
      // The requests since the last report, as `METHOD path?query`, so the parent can compare the walkers' requests.
      const urls = emu.requests.slice(reported).map((r) => `${r.method} ${r.path}?${r.query}`);
      reported = emu.requests.length;
      process.send?.({ type: 'requests', count: emu.requests.length, urls } satisfies ChildMessage);
    }
    if (message === 'stop') void Promise.resolve(emu.close()).then(() => process.exit(0));
  });
}

// ── parent: the walkers ─────────────────────────────────────────────────────────────────────────

class EmulatorProcess {
  readonly #child: ChildProcess;
  readonly #waiting: Array<{ resolve: (message: ChildMessage) => void; reject: (error: Error) => void }> = [];

  constructor() {
    const forwarded = process.argv.slice(2).filter((arg) => arg !== '--serve');
    this.#child = fork(fileURLToPath(import.meta.url), ['--serve', ...forwarded], { execArgv: process.execArgv, stdio: 'inherit' });
    this.#child.on('message', (message: ChildMessage) => this.#waiting.shift()?.resolve(message));
    this.#child.on('exit', (code) => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`emulator process exited (${code})`));
    });
  }

  next(): Promise<ChildMessage> {
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** The requests the emulator answered since the last call. */
  async requestsSince(): Promise<string[]> {
    const answer = this.next();
    this.#child.send('requests');
    const message = await answer;
    if (message.type !== 'requests') throw new Error('unexpected message from the emulator process');
    return message.urls;
  }

  stop(): void {
    this.#child.send('stop');
  }
}

/**
 * Samples memory every 20 ms while a walk runs; the walk awaits I/O per page so samples interleave.
 * (process.memoryUsage() costs a few hundred µs; every 5 ms it was a tenth of the walkers' CPU.)
 */
async function measure(run: () => Promise<number>): Promise<{ ms: number; cpuMs: number; systemMs: number; items: number; peakRssMb: number; peakHeapMb: number }> {
  global.gc?.();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  sample();
  const sampler = setInterval(sample, 20);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const items = await run();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  sample();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, systemMs: cpu.system / 1000, items, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
}

async function walkWithClient(client: GtmhubClient, pageSize: number): Promise<number> {
  let count = 0;
  for await (const metric of client.iterateMetrics({ pageSize })) if (metric.id) count += 1;
  return count;
}

/**
 * What a caller would write without the client: the client's exact request (query in the same
 * order, page size as both limit and take, same headers), the same stop rule, JSON per page.
 */
async function walkWithFetch(info: EmulatorInfo, pageSize: number): Promise<number> {
  const headers = { authorization: `Bearer ${info.token}`, 'gtmhub-accountId': info.accountId, accept: 'application/json' };
  let count = 0;
  for (let skip = 0; ; ) {
    const url = `${info.url}/v2/metrics?sort=id&skip=${skip}&limit=${pageSize}&take=${pageSize}`;
    const response = await fetch(url, { headers });
    if (!response.ok) throw new Error(`bare fetch: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { items: Array<{ id: string }>; totalCount: number };
    for (const metric of page.items) if (metric.id) count += 1;
    skip += page.items.length;
    if (page.items.length === 0 || skip >= page.totalCount) return count;
  }
}

const loadAverage = () => loadavg().map((n) => n.toFixed(2)).join(' ');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Row {
  walker: 'client' | 'bare fetch';
  pageSize: number;
  ms: number;
  cpuMs: number;
  /** The part of cpuMs spent in the kernel (socket reads and writes). */
  systemMs: number;
  requests: number;
  items: number;
  peakRssMb: number;
  peakHeapMb: number;
}

async function main(): Promise<void> {
  const rounds = argument('rounds', 7);
  const emulator = new EmulatorProcess();
  const ready = await emulator.next();
  if (ready.type !== 'ready') throw new Error('emulator process did not start');
  const { info } = ready;
  const client = new GtmhubClient({ baseUrl: info.url, token: info.token, accountId: info.accountId, timeoutMs: 30_000 });
  console.log(`Gtmhub client benchmark — ${info.metrics} key results, emulator in a child process at ${info.url}`);
  console.log(`node ${process.version}, ${rounds} rounds after 1 warm-up, page sizes 100 and 1000, load average ${loadAverage()}${global.gc ? ', gc between runs' : ''}\n`);

  const rows: Row[] = [];
  for (let round = 0; round <= rounds; round += 1) {
    for (const pageSize of [100, 1000]) {
      const walkers = [
        ['client', () => walkWithClient(client, pageSize)],
        ['bare fetch', () => walkWithFetch(info, pageSize)],
      ] as const;
      const sent = new Map<string, string[]>();
      for (const [walker, run] of round % 2 === 0 ? walkers : [...walkers].reverse()) {
        await emulator.requestsSince();
        const result = await measure(run);
        const urls = await emulator.requestsSince();
        sent.set(walker, urls);
        if (result.items !== info.metrics) throw new Error(`${walker} saw ${result.items} of ${info.metrics} metrics`);
        if (round > 0) rows.push({ walker, pageSize, requests: urls.length, ...result });
        const label = round === 0 ? 'warm-up' : `round ${round}`;
        console.log(
          `${label.padEnd(8)} ${walker.padEnd(10)} page ${String(pageSize).padStart(4)}: ${result.ms.toFixed(0).padStart(6)} ms, CPU ${result.cpuMs.toFixed(0).padStart(5)} ms (kernel ${result.systemMs.toFixed(0).padStart(4)}), ${urls.length} requests, ` +
            `peak RSS ${result.peakRssMb.toFixed(0)} MB, peak heap ${result.peakHeapMb.toFixed(1)} MB`,
        );
      }
      const [clientUrls, bareUrls] = [sent.get('client')!, sent.get('bare fetch')!];
      if ([...clientUrls].sort().join('\n') !== [...bareUrls].sort().join('\n')) {
        throw new Error(`the walkers sent different requests at page ${pageSize}: client ${clientUrls[0]} …, bare ${bareUrls[0]} …`);
      }
    }
  }

  const goals: GoalResult[] = [];
  console.log(`\np50 over rounds; overhead = (client − bare) ÷ requests; load average ${loadAverage()}`);
  console.log('page  walker       time ms  CPU ms  requests  peak RSS MB  peak heap MB  client/bare time  client/bare CPU  overhead µs/request (time, CPU)');
  for (const pageSize of [100, 1000]) {
    const of = (walker: Row['walker']) => rows.filter((r) => r.walker === walker && r.pageSize === pageSize);
    const [client50, bare50] = [median(of('client').map((r) => r.ms)), median(of('bare fetch').map((r) => r.ms))];
    const [clientCpu50, bareCpu50] = [median(of('client').map((r) => r.cpuMs)), median(of('bare fetch').map((r) => r.cpuMs))];
    const requests = median(of('client').map((r) => r.requests));
    const overheadUs = ((client50 - bare50) / requests) * 1000;
    const cpuOverheadUs = ((clientCpu50 - bareCpu50) / requests) * 1000;
    for (const walker of ['client', 'bare fetch'] as const) {
      const mine = of(walker);
      const comparison =
        walker === 'client'
          ? `${`${(client50 / bare50).toFixed(2)}×`.padStart(16)}  ${`${(clientCpu50 / bareCpu50).toFixed(2)}×`.padStart(15)}  ${overheadUs.toFixed(0).padStart(8)}, ${cpuOverheadUs.toFixed(0)}`
          : '';
      console.log(
        `${String(pageSize).padStart(4)}  ${walker.padEnd(10)} ${median(mine.map((r) => r.ms)).toFixed(0).padStart(9)} ${median(mine.map((r) => r.cpuMs)).toFixed(0).padStart(7)} ${String(median(mine.map((r) => r.requests))).padStart(9)} ` +
          `${median(mine.map((r) => r.peakRssMb)).toFixed(0).padStart(12)} ${median(mine.map((r) => r.peakHeapMb)).toFixed(1).padStart(13)}  ${comparison}`,
      );
    }
    goals.push({
      goal: `3 client vs bare fetch, page ${pageSize}`,
      target: '≤ 1.10×',
      measured: `${(client50 / bare50).toFixed(2)}× (${client50.toFixed(0)} vs ${bare50.toFixed(0)} ms; CPU ${(clientCpu50 / bareCpu50).toFixed(2)}×; ${overheadUs.toFixed(0)} µs/request)`,
      met: client50 / bare50 <= 1.1,
    });
  }
  recordGoals('client', goals);
  emulator.stop();
}

if (process.argv.includes('--serve')) {
  await serveEmulator();
} else {
  await main();
}
