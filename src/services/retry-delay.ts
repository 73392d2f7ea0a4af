/**
 * When a check-in that met a 5xx, 429 or timeout is tried again. The first retries come after a
 * few seconds (most Gtmhub failures are brief), run by the process that took the check-in; later
 * ones double up to 15 minutes and are left to the periodic outbox worker.
 */

/** Delays before retries 1–4; from the fifth on the delay doubles from the last of these. */
export const QUICK_RETRY_STEPS_MS = [2_000, 5_000, 15_000, 30_000] as const;
export const MAX_RETRY_DELAY_MS = 15 * 60_000;
/** Up to this share of a delay is added at random, so that retries after one outage do not all arrive at once. */
export const RETRY_JITTER = 0.2;

/**
 * The delay before retry number `attempt` (1 = after the first failed attempt), jitter included.
 * `random` returns a number in [0, 1), like Math.random.
 */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const steps = QUICK_RETRY_STEPS_MS;
  const index = Math.max(1, Math.floor(attempt)) - 1;
  const base = index < steps.length ? steps[index]! : Math.min(MAX_RETRY_DELAY_MS, steps[steps.length - 1]! * 2 ** Math.min(index - steps.length + 1, 16));
  const jittered = base * (1 + RETRY_JITTER * Math.min(Math.max(random(), 0), 1));
  return Math.round(Math.min(MAX_RETRY_DELAY_MS, jittered));
}

/** Whether retry number `attempt` is one of the quick ones the taking process runs itself. */
export function isQuickRetry(attempt: number): boolean {
  return Math.max(1, Math.floor(attempt)) <= QUICK_RETRY_STEPS_MS.length;
}

/** Runs `run` after `ms`; returns how to cancel it. Tests inject their own. */
export type RetryTimer = (ms: number, run: () => void) => { cancel(): void };

export const realRetryTimer: RetryTimer = (ms, run) => {
  const timer = setTimeout(run, ms);
  // The outbox worker is the backstop: a pending quick retry must not keep the process alive.
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

/** In-process quick retries: at most one timer per outbox entry, all cancelled on stop. */
export class QuickRetries {
  private readonly timers = new Map<number, { cancel(): void }>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly timer: RetryTimer) {}

  schedule(id: number, ms: number, retry: () => Promise<void>): void {
    if (this.stopped) return;
    this.timers.get(id)?.cancel();
    this.timers.set(
      id,
      this.timer(ms, () => {
        this.timers.delete(id);
        if (this.stopped) return;
        const running = retry().finally(() => this.running.delete(running));
        this.running.add(running);
      }),
    );
  }

  /** Cancels every waiting retry (the outbox worker will take them) and waits for running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  get pending(): number {
    return this.timers.size;
  }
}
