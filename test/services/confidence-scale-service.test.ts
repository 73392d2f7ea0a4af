/** Issue 10 item 7: the account's confidence scale, read through the Gtmhub emulator serving a non-default scale, cached per process. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startGtmhubEmulator, type GtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { DEFAULT_CONFIDENCE_SCALE } from '../../src/gtmhub/confidence-scale.js';
import { createLogger } from '../../src/logger.js';
import { confidenceLabel, ConfidenceScaleService, isOfferedConfidence } from '../../src/services/confidence-scale.js';
import { smallAccount } from '../support/fixtures.js';

let emulator: GtmhubEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

async function serviceWith(confidenceSettings: Record<string, unknown> | undefined) {
  const data = smallAccount().data;
  if (confidenceSettings) data.account = { confidenceSettings };
  emulator = await startGtmhubEmulator({ port: 0, data });
  const clock = fixedClock('2026-12-02T10:00:00Z');
  const gtmhub = new GtmhubClient({ baseUrl: emulator.url, token: emulator.adminToken, accountId: emulator.accountId, retry: { limit: 0 } });
  const service = new ConfidenceScaleService({ gtmhub, clock, logger, ttlMs: 60_000 });
  const reads = () => emulator!.requests.filter((r) => r.path.startsWith('/api/v1/accounts/')).length;
  return { service, clock, reads };
}

describe('ConfidenceScaleService', () => {
  it("reads the account's named levels once per TTL and labels values by them", async () => {
    const { service, clock, reads } = await serviceWith({
      confidenceType: 'emoji',
      confidenceMapping: [
        { name: '🔴', range: { from: 0, to: 0.3 } },
        { name: '🟡', range: { from: 0.4, to: 0.6 } },
        { name: '🟢', range: { from: 0.7, to: 1 } },
      ],
    });
    expect(service.known()).toBeNull();
    const [a, b] = await Promise.all([service.scale(), service.scale()]);
    expect(a).toBe(b);
    expect(reads()).toBe(1);
    expect(a.levels.map((l) => [l.label, l.value])).toEqual([
      ['🔴', 0.15],
      ['🟡', 0.5],
      ['🟢', 0.85],
    ]);
    expect(confidenceLabel(a, 0.85)).toBe('🟢');
    expect(confidenceLabel(a, 0.2)).toBe('🔴');
    expect(isOfferedConfidence(a, 0.5)).toBe(true);
    expect(isOfferedConfidence(a, 0.7)).toBe(false);
    expect(service.known()).toBe(a);

    clock.advance(59_000);
    await service.scale();
    expect(reads()).toBe(1);
    clock.advance(2_000);
    await service.scale();
    expect(reads()).toBe(2);
  });

  it('falls back to 0–1 in tenths without settings, and keeps the last scale when Gtmhub fails', async () => {
    const { service, clock } = await serviceWith(undefined);
    const scale = await service.scale();
    expect(scale).toEqual(DEFAULT_CONFIDENCE_SCALE);
    expect(confidenceLabel(scale, 0.7)).toBe('0.7');
    await emulator!.close();
    clock.advance(61_000);
    expect(await service.scale()).toEqual(DEFAULT_CONFIDENCE_SCALE);
    emulator = undefined;
  });
});
