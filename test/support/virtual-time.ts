/**
 * Virtual time for pacing tests: a clock that jumps from timer to timer once every promise has
 * settled, and a fake Slack method limited to N calls in any sliding second (Slack's count, taken
 * when a call arrives). A pass of minutes runs in well under a second of real time, and every figure
 * is exact, whatever the machine's load.
 */
import { SlackRateLimitedError } from '../../src/services/ports.js';
import type { GateTime } from '../../src/services/reminders/pacing.js';

interface Timer {
  at: number;
  order: number;
  fire: () => void;
  /** The far side of the network: runs on time whatever the app's event loop does. */
  elsewhere: boolean;
}

export class VirtualTime implements GateTime {
  private current = 0;
  private order = 0;
  private timers: Timer[] = [];
  /** Spells in which the app's event loop is held: its timers due then fire at the end, all at once. */
  private readonly stalls: Array<{ from: number; until: number }> = [];

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(this.current + Math.max(0, ms), resolve));
  }

  /** Runs `fire` on the app's side at virtual time `at` (or at the end of a stall that covers it). */
  at(at: number, fire: () => void): void {
    this.timers.push({ at, order: this.order++, fire, elsewhere: false });
  }

  /** Runs `fire` at `at` on the far side of the network (Slack), which a stall of the app does not hold. */
  elsewhereAt(at: number, fire: () => void): void {
    this.timers.push({ at, order: this.order++, fire, elsewhere: true });
  }

  /** From `from` for `ms`, nothing runs on the app's side; what fell due meanwhile runs at the end, in one go. */
  stall(from: number, ms: number): void {
    this.stalls.push({ from, until: from + ms });
  }

  /** Moves time forward, timer by timer, until `work` settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const settled = work.finally(() => {
      done = true;
    });
    settled.catch(() => undefined);
    for (;;) {
      // A macrotask turn: every microtask chain started by the last timer has run by then.
      await new Promise((resolve) => setImmediate(resolve));
      if (done) return settled;
      if (this.timers.length === 0) throw new Error(`virtual time: nothing scheduled at ${this.current} ms and the work is not done`);
      let next = 0;
      for (let i = 1; i < this.timers.length; i++) {
        const a = this.timers[i]!;
        const b = this.timers[next]!;
        if (a.at < b.at || (a.at === b.at && a.order < b.order)) next = i;
      }
      const timer = this.timers[next]!;
      const stall = timer.elsewhere ? undefined : this.stalls.find((s) => timer.at >= s.from && timer.at < s.until);
      if (stall) {
        timer.at = stall.until;
        continue;
      }
      this.timers.splice(next, 1);
      this.current = timer.at;
      timer.fire();
    }
  }
}

export interface FakeSlackMethodOptions {
  perSecond: number;
  /** Way out and way back of each call, ms. */
  uplinkMs: () => number;
  downlinkMs: () => number;
  retryAfterMs?: number;
}

/**
 * A Slack method on the far side of the network: a call arrives after its way out, is counted (or
 * refused, with Retry-After, when its sliding second already holds `perSecond`), and is answered
 * after its way back. Arrivals and answers are timers on the Slack side: a stall on the app's side
 * does not stop them, but the app reads the answers only when the stall ends.
 */
export class FakeSlackMethod {
  readonly accepted: number[] = [];
  /** Arrival times of the refused calls. */
  readonly refusedAt: number[] = [];
  private perSecond: number;

  constructor(
    private readonly time: VirtualTime,
    private readonly options: FakeSlackMethodOptions,
  ) {
    this.perSecond = options.perSecond;
  }

  get refused(): number {
    return this.refusedAt.length;
  }

  /** From `at` on, Slack allows `perSecond`. */
  changeLimitAt(at: number, perSecond: number): void {
    this.time.elsewhereAt(at, () => {
      this.perSecond = perSecond;
    });
  }

  /** Calls Slack accepted with an arrival in [from, to). */
  acceptedBetween(from: number, to: number): number {
    return this.accepted.filter((t) => t >= from && t < to).length;
  }

  /** The most calls Slack accepted in any sliding second. */
  busiestSecond(): number {
    let most = 0;
    let first = 0;
    for (let last = 0; last < this.accepted.length; last++) {
      while (this.accepted[last]! - this.accepted[first]! >= 1_000) first++;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  call(): Promise<void> {
    return new Promise((resolve, reject) => {
      const sentAt = this.time.now();
      const arrival = sentAt + this.options.uplinkMs();
      this.time.elsewhereAt(arrival, () => {
        const inWindow = this.accepted.filter((t) => arrival - t < 1_000).length;
        const ok = inWindow < this.perSecond;
        if (ok) this.accepted.push(arrival);
        else this.refusedAt.push(arrival);
        this.time.at(arrival + this.options.downlinkMs(), () => (ok ? resolve() : reject(new SlackRateLimitedError('chat.postMessage', this.options.retryAfterMs ?? 1_000))));
      });
    });
  }
}
