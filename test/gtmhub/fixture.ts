import { startGtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { GtmhubClient, type GtmhubClientOptions } from '../../src/gtmhub/client.js';

export type Emulator = Awaited<ReturnType<typeof startGtmhubEmulator>>;

export const NO_FAULTS = { latencyMs: 0, failureRate: 0, rateLimit: null, failNext: [], answerLate: [], unpaid: false };

/** Small backoff so retry tests stay fast; each test overrides what it exercises. */
export function clientFor(emu: Emulator, overrides: Partial<GtmhubClientOptions> = {}): GtmhubClient {
  return new GtmhubClient({
    baseUrl: emu.url,
    token: emu.adminToken,
    accountId: emu.accountId,
    timeoutMs: 2_000,
    retry: { limit: 2, baseDelayMs: 5, maxBackoffMs: 20 },
    ...overrides,
  });
}

/** Requests the emulator saw whose method matches and whose path contains `pathIncludes`. */
export function requestsTo(emu: Emulator, method: string, pathIncludes: string): number {
  return emu.requests.filter((r) => r.method === method && r.path.includes(pathIncludes)).length;
}

/** The query of the latest logged request to a path, as URLSearchParams. */
export function lastQuery(emu: Emulator, pathIncludes: string): URLSearchParams {
  const entry = [...emu.requests].reverse().find((r) => r.path.includes(pathIncludes));
  if (!entry) throw new Error(`no request to ${pathIncludes}`);
  const query: unknown = entry.query;
  if (typeof query === 'string') return new URLSearchParams(query);
  return new URLSearchParams(query as Record<string, string>);
}

export const UNKNOWN_ID = 'abcdefabcdefabcdefabcdef';

/**
 * Requests the client gave up on still sleep in the emulator's added latency and would then meet
 * the next test's faults (consuming its failNext). Tests that add latency wait them out.
 */
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
