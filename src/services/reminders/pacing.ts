/**
 * Fan-out to Slack: a fixed number of workers, and one gate that every worker waits at while Slack
 * has asked us (429 Retry-After) to pause. Slack's limits are per workspace and method, so one 429
 * pauses all of this pass's calls, not just the one that got it. Until the first 429 nothing is
 * paced; after it, calls go at the rate that 429 revealed, counted in places: a call holds a place
 * from the moment it is let through until one second after the latest it can have arrived at Slack.
 *
 * Slack counts a call in its second when the call arrives, which we never see. A call arrived at the
 * latest when its answer left Slack: at least the shortest round trip seen before the answer came
 * back — not exactly (the way out and the way back split each round trip differently), but the next
 * call needs its own way out before Slack counts it, which makes up the difference. Holding the place
 * until a second after the answer instead (safe, but a round trip longer than Slack's second) let
 * long round trips cost the rate they held.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { SlackRateLimitedError } from '../ports.js';

const WINDOW_MS = 1_000;
/** The first probe for a higher limit after this long without a 429; each probe that draws one doubles it. */
const FIRST_PROBE_AFTER_MS = 60_000;
const LONGEST_PROBE_AFTER_MS = 5 * 60_000;
/** A lesson this soon after a cut trusts its count of the places Slack let through. */
const REPEATED_LESSON_WITHIN_MS = 10_000;
/** Calls older than this (and no longer holding a place) are forgotten. */
const KEEP_CALLS_MS = 10_000;

/** Time as the gate sees it: real by default, virtual in tests. */
export interface GateTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realTime: GateTime = { now: () => Date.now(), sleep: (ms) => sleepFor(ms) };

/** A rate the gate paced at from `afterMs` after it was made, and what set it. */
export interface PacedRate {
  afterMs: number;
  perSecond: number;
  cause: 'lesson' | 'probe';
}

/** Enough to see how a pass settled; a gate that keeps finding new limits keeps only its first ones. */
const MAX_RATES_KEPT = 50;

interface Call {
  sent: number;
  /** When its place is free again: Infinity while it is on its way, the answer time if Slack refused it. */
  releaseAt: number;
  refused: boolean;
}

export class RateLimitGate {
  private resumeAt = 0;
  /** The calls let through, in the order they were sent; pruned as they age. */
  private calls: Call[] = [];
  private shortestRoundTripMs = Infinity;
  /** Calls per second allowed; null until Slack first says 429. */
  private rate: number | null = null;
  /** When the 429 that opened the current pause was answered: its lesson is read when the pause ends. */
  private lessonAt: number | null = null;
  private quietSince = 0;
  private probeAfterMs = FIRST_PROBE_AFTER_MS;
  /** When a later lesson last cut the rate. */
  private lastCutAt: number | null = null;
  /** True once the rate was raised by a probe and no 429 has come since. */
  private probing = false;
  /** How many 429 answers were honoured, for how long in total, and each rate the gate paced at, from when. */
  readonly stats: { rateLimited: number; pausedMs: number; rates: PacedRate[] } = { rateLimited: 0, pausedMs: 0, rates: [] };

  private readonly madeAt: number;

  constructor(private readonly time: GateTime = realTime) {
    this.madeAt = time.now();
  }

  /** Calls per second this gate lets through now; null while it paces nothing. */
  get currentRate(): number | null {
    return this.rate;
  }

  private prune(now: number): void {
    if (this.lessonAt !== null) return;
    let drop = 0;
    while (drop < this.calls.length && this.calls[drop]!.releaseAt < now - KEEP_CALLS_MS) drop++;
    // Calls are released roughly in send order; one long call at the front keeps a few more for a while.
    if (drop > 0) this.calls = this.calls.slice(drop);
  }

  /** Places held now: calls that Slack did not refuse and that may still be in its second, or are on their way. */
  private placesHeld(now: number): number {
    let held = 0;
    for (const call of this.calls) if (!call.refused && call.releaseAt > now) held++;
    return held;
  }

  /** Places that calls Slack accepted held at `at` (calls still on their way are not known to count). */
  private acceptedPlacesAt(at: number): number {
    let held = 0;
    for (const call of this.calls) {
      if (call.sent > at) break;
      if (!call.refused && call.releaseAt > at && call.releaseAt !== Infinity) held++;
    }
    return held;
  }

  private nextRelease(now: number): number | null {
    let next: number | null = null;
    for (const call of this.calls) if (!call.refused && call.releaseAt > now && call.releaseAt !== Infinity) next = next === null ? call.releaseAt : Math.min(next, call.releaseAt);
    return next;
  }

  /**
   * Waits until a call may go and counts it as on its way from that same moment: callers that start
   * together (a batch handed to the workers at once) must not all see the last free place.
   */
  private async acquire(): Promise<Call> {
    for (;;) {
      const now = this.time.now();
      if (this.resumeAt > now) {
        await this.time.sleep(this.resumeAt - now);
        continue;
      }
      this.learn(now);
      this.probe(now);
      this.prune(now);
      if (this.rate !== null && this.placesHeld(now) >= this.rate) {
        // The next place frees when a call leaves Slack's second; calls still on their way free one when answered.
        const next = this.nextRelease(now);
        await this.time.sleep(next === null ? 2 : Math.max(1, next - now));
        continue;
      }
      const call: Call = { sent: now, releaseAt: Infinity, refused: false };
      this.calls.push(call);
      return call;
    }
  }

  /**
   * A 429 says Slack's second was full when the refused call arrived, at the latest a shortest round
   * trip before its answer came back: the places that accepted calls held then are the limit, give or
   * take a call.
   * The first lesson paces one below it. A later 429 (the limit moved, another app shares it, or a
   * probe found it) takes one call off. Only when another comes soon after that cut does the count
   * decide, down to what Slack let through but never more than half the rate at once: a single low
   * count is as often calls that reached Slack bunched together, and trusting it cost a whole pass
   * four calls a second. Read when the pause ends, once the calls that were on their way with the
   * refused one have been answered.
   */
  private learn(now: number): void {
    if (this.lessonAt === null) return;
    const held = this.acceptedPlacesAt(this.lessonAt);
    this.lessonAt = null;
    if (this.rate === null) this.rate = Math.max(1, held - 1);
    else {
      const soonAfterCut = this.lastCutAt !== null && now - this.lastCutAt <= REPEATED_LESSON_WITHIN_MS;
      this.rate = Math.max(1, soonAfterCut ? Math.min(this.rate - 1, Math.max(held - 1, Math.ceil(this.rate / 2))) : this.rate - 1);
      this.lastCutAt = now;
      if (this.probing) this.probeAfterMs = Math.min(LONGEST_PROBE_AFTER_MS, this.probeAfterMs * 2);
    }
    this.probing = false;
    this.quietSince = now;
    this.noteRate(now, 'lesson');
  }

  private noteRate(at: number, cause: PacedRate['cause']): void {
    if (this.rate !== null && this.stats.rates.length < MAX_RATES_KEPT) this.stats.rates.push({ afterMs: at - this.madeAt, perSecond: this.rate, cause });
  }

  /** After a quiet spell one call per second more: Slack's limits change, and a lesson may have been low. */
  private probe(now: number): void {
    if (this.rate === null || now - this.quietSince < this.probeAfterMs) return;
    this.rate++;
    if (this.probing) this.probeAfterMs = FIRST_PROBE_AFTER_MS;
    this.probing = true;
    this.quietSince = now;
    this.noteRate(now, 'probe');
  }

  private refused(call: Call, retryAfterMs: number): void {
    const now = this.time.now();
    call.refused = true;
    call.releaseAt = now;
    this.stats.rateLimited++;
    // Calls that were on their way when a 429 came get theirs too: one lesson per pause.
    if (now >= this.resumeAt && this.lessonAt === null) this.lessonAt = Math.max(call.sent, now - this.shortestRoundTripMs);
    const until = now + Math.max(0, retryAfterMs);
    if (until > this.resumeAt) {
      this.stats.pausedMs += until - Math.max(this.resumeAt, now);
      this.resumeAt = until;
    }
  }

  private answered(call: Call): void {
    const now = this.time.now();
    this.shortestRoundTripMs = Math.min(this.shortestRoundTripMs, now - call.sent);
    call.releaseAt = Math.max(call.sent, now - this.shortestRoundTripMs) + WINDOW_MS;
  }

  /** Runs `call` after the gate; on 429 pauses everyone and tries again, at most `maxAttempts` times. */
  async run<T>(call: () => Promise<T>, maxAttempts = 8): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const place = await this.acquire();
      try {
        const result = await call();
        this.answered(place);
        return result;
      } catch (error) {
        if (!(error instanceof SlackRateLimitedError)) {
          // Slack may have counted it: it keeps its place like an accepted call.
          this.answered(place);
          throw error;
        }
        this.refused(place, error.retryAfterMs);
        if (attempt >= maxAttempts) throw error;
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
