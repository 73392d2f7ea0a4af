/**
 * The app under `bench:remind`, in a process of its own: compiled with tsc (bench/tsconfig.build.json)
 * and run on plain node, as it is deployed (Procfile), so the memory measured is the app's and not the
 * bench's or tsx's. Started through the production composition root; the parent asks it for passes
 * (`pass`) and reads the memory, CPU time and event-loop delay each one cost.
 *
 * Environment: the app's own variables (config.ts), BENCH_NOW (the fixed clock), BENCH_CONCURRENCY.
 */
import { Writable } from 'node:stream';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import type { ReminderPassReport } from '../../src/services/reminders/report.js';
import { serveForParent, servedRole } from './forked-server.js';

export interface RemindAppInfo {
  port: number;
}

export interface PassFigures {
  report: ReminderPassReport;
  seconds: number;
  startedAt: number;
  cpuMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  peakHeapUsedMb: number;
  /** The heap V8 had reserved, and memory outside it (Buffers, native allocations seen by V8), at their peaks. */
  peakHeapTotalMb: number;
  peakExternalMb: number;
  /** Heap still used after a full collection at the end of the pass (null without --expose-gc). */
  heapAfterGcMb: number | null;
  /** Peak RSS per quarter of `expectedSeconds`: memory that grows with people shows as a rising line. */
  quarterPeakRssMb: number[];
  /** How late a 20 ms timer fired, ms, every beat of the pass. */
  loopLagsMs: number[];
}

const MB = 2 ** 20;

async function start() {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const server = await startServer(config, logger, {
    clock: fixedClock(process.env.BENCH_NOW ?? new Date().toISOString()),
    webApiRetries: 0,
    startScheduler: false,
    reminderTuning: { concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16) },
  });
  const gc = (globalThis as { gc?: () => void }).gc;

  async function pass(argument: unknown): Promise<PassFigures> {
    const { trigger, expectedSeconds } = argument as { trigger: string; expectedSeconds: number };
    gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let peakHeap = 0;
    let peakHeapTotal = 0;
    let peakExternal = 0;
    const quarters = [0, 0, 0, 0];
    const passStarted = performance.now();
    const sampler = setInterval(() => {
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      peakRss = Math.max(peakRss, rss);
      peakHeap = Math.max(peakHeap, heapUsed);
      peakHeapTotal = Math.max(peakHeapTotal, heapTotal);
      peakExternal = Math.max(peakExternal, external);
      const quarter = Math.min(3, Math.floor((performance.now() - passStarted) / ((expectedSeconds * 1000) / 4)));
      quarters[quarter] = Math.max(quarters[quarter]!, rss);
    }, 100);
    // A 20 ms timer that fires late shows the event loop was held (perf_hooks' histogram asserts on this VM's clock).
    const lags: number[] = [];
    let lastBeat = performance.now();
    const heartbeat = setInterval(() => {
      const beat = performance.now();
      lags.push(Math.max(0, beat - lastBeat - 20));
      lastBeat = beat;
    }, 20);
    const cpu = process.cpuUsage();
    const startedAt = Date.now();
    const report = await server.services.reminders.runPass(trigger);
    const seconds = (performance.now() - passStarted) / 1000;
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    clearInterval(heartbeat);
    let heapAfterGcMb: number | null = null;
    if (gc) {
      gc();
      heapAfterGcMb = process.memoryUsage().heapUsed / MB;
    }
    return {
      report,
      seconds,
      startedAt,
      cpuMs: (used.user + used.system) / 1000,
      rssBeforeMb: rssBefore / MB,
      peakRssMb: peakRss / MB,
      peakHeapUsedMb: peakHeap / MB,
      peakHeapTotalMb: peakHeapTotal / MB,
      peakExternalMb: peakExternal / MB,
      heapAfterGcMb,
      quarterPeakRssMb: quarters.map((q) => q / MB),
      loopLagsMs: lags,
    };
  }

  return {
    info: { port: server.port! } satisfies RemindAppInfo,
    stop: () => server.stop(),
    calls: { pass },
  };
}

if (servedRole()) await serveForParent(start);
