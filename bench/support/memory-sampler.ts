/**
 * Peak memory of the current process, sampled on a timer. A timer sample only runs when the event
 * loop is free, so a peak reached and released within one synchronous stretch can be missed; for
 * servers under I/O-bound load (the usual benchmark case) the loop turns often enough.
 */

export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

export interface MemoryPeaks {
  /** Usage when sampling (re)started. */
  baseline: MemoryFigures;
  /** Highest value seen of each figure (each on its own; they need not come from one sample). */
  peak: MemoryFigures;
  current: MemoryFigures;
  samples: number;
}

const MB = 2 ** 20;

export function memoryNow(): MemoryFigures {
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / MB, heapUsedMb: usage.heapUsed / MB, heapTotalMb: usage.heapTotal / MB, externalMb: usage.external / MB };
}

export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private baseline: MemoryFigures = memoryNow();
  private peak: MemoryFigures = { ...this.baseline };
  private samples = 0;

  constructor(private readonly intervalMs = 50) {}

  /** Starts (or restarts) sampling with a fresh baseline and peak. */
  start(): void {
    this.stop();
    this.baseline = memoryNow();
    this.peak = { ...this.baseline };
    this.samples = 1;
    // Unref'd so that sampling alone never keeps a finished process alive.
    this.timer = setInterval(() => this.sample(), this.intervalMs).unref();
  }

  sample(): MemoryFigures {
    const now = memoryNow();
    this.samples += 1;
    this.peak = {
      rssMb: Math.max(this.peak.rssMb, now.rssMb),
      heapUsedMb: Math.max(this.peak.heapUsedMb, now.heapUsedMb),
      heapTotalMb: Math.max(this.peak.heapTotalMb, now.heapTotalMb),
      externalMb: Math.max(this.peak.externalMb, now.externalMb),
    };
    return now;
  }

  read(): MemoryPeaks {
    const current = this.sample();
    return { baseline: { ...this.baseline }, peak: { ...this.peak }, current, samples: this.samples };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
