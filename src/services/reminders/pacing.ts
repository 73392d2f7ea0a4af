/**
 * Fan-out to Slack: a fixed number of workers, and one gate that every worker waits at while Slack
 * has asked us (429 Retry-After) to pause. Slack's limits are per workspace and method, so one 429
 * pauses all of this pass's calls, not just the one that got it. Until the first 429 nothing is
 * paced; after it, calls go at the full rate that went through before the 429 (probing slowly
 * upwards), counted so that jitter cannot push us over: Slack counts a call when it arrives, which
 * is after we send it and before we read its answer, so the calls answered in the last second plus
 * those still on their way bound what Slack's current second holds — however late either side is.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SlackRateLimitedError } from '../ports.js';

const WINDOW_MS = 1_000;
const PROBE_EVERY_MS = 5 * 60_000;

export class RateLimitGate {
  private resumeAt = 0;
  /** When calls were answered as accepted (last second). */
  private readonly accepted: number[] = [];
  /** When those calls were sent, in the same order. */
  private readonly acceptedSent: number[] = [];
  private inFlight = 0;
  /** Calls per second Slack allows; null until Slack first says 429. */
  private learnedRate: number | null = null;
  private learnedAt = 0;
  /** How many 429 answers were honoured, and for how long in total. */
  readonly stats = { rateLimited: 0, pausedMs: 0 };

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.accepted.length && this.accepted[drop]! <= now - WINDOW_MS) drop++;
    if (drop > 0) {
      this.accepted.splice(0, drop);
      this.acceptedSent.splice(0, drop);
    }
  }

  /**
   * Waits until a call may go and counts it as on its way from that same moment: callers that start
   * together (a batch handed to the workers at once) must not all see the last free place.
   */
  private async acquire(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (this.resumeAt > now) {
        await sleep(this.resumeAt - now);
        continue;
      }
      const rate = this.currentRate(now);
      if (rate !== null) {
        this.prune(now);
        if (this.accepted.length + this.inFlight >= rate) {
          // The oldest answer leaves the window then; calls still on their way free a place when answered.
          await sleep(this.accepted.length > 0 ? Math.max(1, this.accepted[0]! + WINDOW_MS - now) : 2);
          continue;
        }
      }
      this.inFlight++;
      return;
    }
  }

  /**
   * The learned rate, probing one call per second higher for every PROBE_EVERY_MS without a 429.
   * Each probe that finds the limit costs a Retry-After pause of every worker (a second of posts at
   * Slack's usual Retry-After), and Slack's limits change rarely: probing once a minute cost about
   * 1.7 % of a long pass.
   */
  private currentRate(now: number): number | null {
    if (this.learnedRate === null) return null;
    return this.learnedRate + Math.floor((now - this.learnedAt) / PROBE_EVERY_MS);
  }

  pause(ms: number): void {
    const now = Date.now();
    this.stats.rateLimited++;
    this.prune(now);
    // Calls already in flight when a 429 came get theirs too: one lesson per pause. The first 429
    // teaches what went through in the second before it; a later one (the limit moved, or another
    // app shares it) takes one call off, or what went through if that is less after a full second.
    if (now >= this.resumeAt) {
      const current = this.currentRate(now);
      const steady = now - Math.max(this.learnedAt, this.resumeAt) >= WINDOW_MS;
      this.learnedRate = Math.max(
        1,
        current === null ? this.sentWithin(now) : Math.min(current - 1, steady ? Math.max(this.sentWithin(now), Math.ceil(current / 2)) : current),
      );
      this.learnedAt = now;
    }
    const until = now + Math.max(0, ms);
    if (until > this.resumeAt) {
      this.stats.pausedMs += until - Math.max(this.resumeAt, now);
      this.resumeAt = until;
    }
  }

  /**
   * Accepted calls sent in the last second: Slack counted each of them within its second (it counts
   * a call on arrival, after we sent it). Counting by answer instead would also count calls that
   * arrived before Slack's second began but were answered late, and teach a rate above the limit.
   */
  private sentWithin(now: number): number {
    let count = 0;
    for (const sent of this.acceptedSent) if (sent > now - WINDOW_MS) count++;
    return count;
  }

  /** Runs `call` after the gate; on 429 pauses everyone and tries again, at most `maxAttempts` times. */
  async run<T>(call: () => Promise<T>, maxAttempts = 8): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.acquire();
      try {
        const sent = Date.now();
        const result = await call();
        this.accepted.push(Date.now());
        this.acceptedSent.push(sent);
        if (this.accepted.length > 10_000) {
          this.accepted.splice(0, this.accepted.length - 10_000);
          this.acceptedSent.splice(0, this.acceptedSent.length - 10_000);
        }
        return result;
      } catch (error) {
        if (!(error instanceof SlackRateLimitedError) || attempt >= maxAttempts) throw error;
        this.pause(error.retryAfterMs);
      } finally {
        this.inFlight--;
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
