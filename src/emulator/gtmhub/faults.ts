/** Fault injection for tests, benchmarks and the sandbox: latency, random 500s, rate limiting, queued failures, unpaid. */
import { seededRandom } from '../seeded-random.js';
import type { EmulatorFaults } from './types.js';

export const DEFAULT_FAULTS: EmulatorFaults = {
  latencyMs: 0,
  failureRate: 0,
  rateLimit: null,
  failNext: [],
  answerLate: [],
  unpaid: false,
};

export interface InjectedFailure {
  status: number;
  message: string;
  retryAfterSeconds?: number;
}

/** Merges a partial update into `base`; throws Error naming what is invalid. */
export function mergeFaults(base: EmulatorFaults, update: Partial<EmulatorFaults>): EmulatorFaults {
  if (typeof update !== 'object' || update === null || Array.isArray(update)) throw new Error('faults must be an object');
  const known = new Set(Object.keys(DEFAULT_FAULTS));
  const unknown = Object.keys(update).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`unknown fault setting(s): ${unknown.join(', ')}`);
  const next: EmulatorFaults = {
    ...base,
    ...update,
    failNext: [...(update.failNext ?? base.failNext)],
    answerLate: [...(update.answerLate ?? base.answerLate)],
  };
  const problems: string[] = [];
  if (typeof next.latencyMs !== 'number' || !(next.latencyMs >= 0)) problems.push('latencyMs must be a number >= 0');
  if (typeof next.failureRate !== 'number' || !(next.failureRate >= 0 && next.failureRate <= 1)) problems.push('failureRate must be between 0 and 1');
  if (next.rateLimit !== null) {
    const { everyNth, retryAfterSeconds } = next.rateLimit ?? ({} as Record<string, unknown>);
    if (!Number.isInteger(everyNth) || (everyNth as number) < 1) problems.push('rateLimit.everyNth must be an integer >= 1');
    if (typeof retryAfterSeconds !== 'number' || !(retryAfterSeconds >= 0)) problems.push('rateLimit.retryAfterSeconds must be a number >= 0');
  }
  if (!Array.isArray(next.failNext)) problems.push('failNext must be an array');
  else {
    next.failNext.forEach((failure, i) => {
      if (!Number.isInteger(failure?.status) || failure.status < 400 || failure.status > 599) problems.push(`failNext[${i}].status must be an HTTP error status`);
    });
  }
  if (!Array.isArray(next.answerLate) || next.answerLate.some((late) => !(typeof late?.delayMs === 'number' && late.delayMs >= 0))) {
    problems.push('answerLate must be an array of {delayMs >= 0, method?, pathIncludes?}');
  }
  if (typeof next.unpaid !== 'boolean') problems.push('unpaid must be true or false');
  if (problems.length > 0) throw new Error(`invalid faults: ${problems.join('; ')}`);
  return next;
}

/** Decides, per /api request, whether to answer with an injected failure instead of the real answer. */
export class FaultInjector {
  private current: EmulatorFaults;
  private counted = 0;
  /** Deterministic, so a benchmark with a failure rate fails the same requests on every run. */
  private readonly random = seededRandom(0x9e3779b9);

  constructor(initial: Partial<EmulatorFaults> = {}) {
    this.current = mergeFaults(DEFAULT_FAULTS, initial);
  }

  get faults(): EmulatorFaults {
    return this.current;
  }

  set(update: Partial<EmulatorFaults>): void {
    this.current = mergeFaults(this.current, update);
    if (update.rateLimit !== undefined) this.counted = 0;
  }

  /** Queued failures first (the first one matching this request), then rate limiting, then random failures. */
  decide(method: string, path: string): InjectedFailure | null {
    this.counted += 1;
    const queued = this.current.failNext.findIndex(
      (failure) => (!failure.method || failure.method.toUpperCase() === method) && (!failure.pathIncludes || path.includes(failure.pathIncludes)),
    );
    if (queued >= 0) {
      const [failure] = this.current.failNext.splice(queued, 1);
      return {
        status: failure!.status,
        message: `injected failure (${failure!.status})`,
        ...(failure!.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure!.retryAfterSeconds } : {}),
      };
    }
    const rateLimit = this.current.rateLimit;
    if (rateLimit && this.counted % rateLimit.everyNth === 0) {
      return { status: 429, message: 'rate limit exceeded (injected)', retryAfterSeconds: rateLimit.retryAfterSeconds };
    }
    if (this.current.failureRate > 0 && this.random() < this.current.failureRate) {
      return { status: 500, message: 'internal server error (injected)' };
    }
    return null;
  }

  /** How long to hold back the answer to this request (consumes a matching `answerLate` entry). */
  answerDelay(method: string, path: string): number {
    const index = this.current.answerLate.findIndex(
      (late) => (!late.method || late.method.toUpperCase() === method) && (!late.pathIncludes || path.includes(late.pathIncludes)),
    );
    if (index < 0) return 0;
    const [late] = this.current.answerLate.splice(index, 1);
    return late!.delayMs;
  }
}
