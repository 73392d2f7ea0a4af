/**
 * Fan-out to Slack: a fixed number of workers, and one gate that every worker waits at while Slack
 * has asked us (429 Retry-After) to pause. Slack's limits are per workspace and method, so one 429
 * pauses all of this pass's calls, not just the one that got it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SlackRateLimitedError } from './reminders-ports.js';

export class RateLimitGate {
  private resumeAt = 0;
  /** How many 429 answers were honoured, and for how long in total. */
  readonly stats = { rateLimited: 0, pausedMs: 0 };

  async wait(): Promise<void> {
    for (let delay = this.resumeAt - Date.now(); delay > 0; delay = this.resumeAt - Date.now()) await sleep(delay);
  }

  pause(ms: number): void {
    this.stats.rateLimited++;
    const until = Date.now() + Math.max(0, ms);
    if (until > this.resumeAt) {
      this.stats.pausedMs += until - Math.max(this.resumeAt, Date.now());
      this.resumeAt = until;
    }
  }

  /** Runs `call` after the gate; on 429 pauses everyone and tries again, at most `maxAttempts` times. */
  async run<T>(call: () => Promise<T>, maxAttempts = 8): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.wait();
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof SlackRateLimitedError) || attempt >= maxAttempts) throw error;
        this.pause(error.retryAfterMs);
      }
    }
  }
}

/** Runs `work` over `items` with at most `concurrency` at a time, in order of `items`. */
export async function forEachBounded<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Lets queued I/O (Slack requests to the app, acks) run between slices of a long computation. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Calls `yieldToEventLoop` once `sliceMs` of synchronous work has passed since the last yield. */
export class TimeSlicer {
  private last = performance.now();
  constructor(private readonly sliceMs = 8) {}

  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < this.sliceMs) return;
    await yieldToEventLoop();
    this.last = performance.now();
  }
}
