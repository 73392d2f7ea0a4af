/**
 * Fan-out to Slack: a fixed number of workers, and one gate that every worker waits at while Slack
 * has asked us (429 Retry-After) to pause. Slack's limits are per workspace and method, so one 429
 * pauses all of this pass's calls, not just the one that got it; after it, the gate paces calls at
 * the rate that went through before the 429 (and probes slowly upwards), so that the pass runs
 * close to Slack's limit instead of hitting it again and again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SlackRateLimitedError } from '../ports.js';

const PACING_WINDOW_MS = 1_100;

export class RateLimitGate {
  private resumeAt = 0;
  /** Start times of recent calls (last second), to pace at the rate Slack showed us it allows. */
  private readonly recent: number[] = [];
  /** When recent calls succeeded (last second): what Slack accepted. */
  private readonly accepted: number[] = [];
  /** Calls per second that went through before the last 429; null until Slack first says 429. */
  private learnedRate: number | null = null;
  private learnedAt = 0;
  /** How many 429 answers were honoured, and for how long in total. */
  readonly stats = { rateLimited: 0, pausedMs: 0 };

  async wait(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (this.resumeAt > now) {
        await sleep(this.resumeAt - now);
        continue;
      }
      // A second plus the time a call takes to reach Slack, which counts arrivals, not our sends.
      while (this.recent.length > 0 && this.recent[0]! <= now - PACING_WINDOW_MS) this.recent.shift();
      const rate = this.currentRate(now);
      if (rate !== null && this.recent.length >= rate) {
        await sleep(Math.max(1, this.recent[0]! + PACING_WINDOW_MS - now));
        continue;
      }
      this.recent.push(now);
      return;
    }
  }

  /**
   * The learned rate, probing one call per second higher for every minute without a 429 (Slack's
   * limits change rarely; probing faster would buy a Retry-After pause every few seconds).
   */
  private currentRate(now: number): number | null {
    if (this.learnedRate === null) return null;
    return this.learnedRate + Math.floor((now - this.learnedAt) / 60_000);
  }

  pause(ms: number): void {
    const now = Date.now();
    this.stats.rateLimited++;
    while (this.accepted.length > 0 && this.accepted[0]! <= now - 1000) this.accepted.shift();
    // What Slack accepted in the last second is about what it allows; 5 % below it absorbs the
    // jitter between when we send and when Slack counts, which would otherwise cost a pause each time.
    // Calls already in flight when the first 429 came get theirs too: one lesson per pause.
    if (now >= this.resumeAt) {
      this.learnedRate = Math.max(1, Math.floor(Math.min(this.currentRate(now) ?? Infinity, this.accepted.length) * 0.95));
      this.learnedAt = now;
    }
    const until = now + Math.max(0, ms);
    if (until > this.resumeAt) {
      this.stats.pausedMs += until - Math.max(this.resumeAt, now);
      this.resumeAt = until;
    }
  }

  /** Runs `call` after the gate; on 429 pauses everyone and tries again, at most `maxAttempts` times. */
  async run<T>(call: () => Promise<T>, maxAttempts = 8): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.wait();
      try {
        const result = await call();
        this.accepted.push(Date.now());
        if (this.accepted.length > 10_000) this.accepted.splice(0, this.accepted.length - 10_000);
        return result;
      } catch (error) {
        if (!(error instanceof SlackRateLimitedError) || attempt >= maxAttempts) throw error;
        this.pause(error.retryAfterMs);
      }
    }
  }
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
