/**
 * The check-in listing asks Gtmhub for `goalName` and `url` in its v2 fields and, when the list
 * carries goalName, groups by it without a separate goals request.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { DEMO_BASE_DATE, DEMO_USER_IDS, startGtmhubEmulator, type GtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { createLogger } from '../../src/logger.js';
import { KeyResultService, METRIC_LIST_FIELDS } from '../../src/services/key-results.js';

let emu: GtmhubEmulator;
let service: KeyResultService;

beforeAll(async () => {
  emu = await startGtmhubEmulator({ now: () => new Date(DEMO_BASE_DATE) });
  const gtmhub = new GtmhubClient({ baseUrl: emu.url, token: emu.adminToken, accountId: emu.accountId, retry: { limit: 0 } });
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  service = new KeyResultService({ gtmhub, clock: fixedClock(DEMO_BASE_DATE), logger });
});

afterAll(async () => {
  await emu.close();
});

describe('KeyResultService and goalName', () => {
  it('asks for goalName and url and groups by the goalName the list carries, without a goals request', async () => {
    expect(METRIC_LIST_FIELDS.split(',')).toEqual(expect.arrayContaining(['goalName', 'url']));
    emu.requests.length = 0;
    const groups = await service.listCheckable(DEMO_USER_IDS.ana!);
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group.goalName).toBe(emu.state.goals.find((g) => g.id === group.goalId)!.name);
    const metricsQuery = new URLSearchParams(emu.requests.find((r) => r.path.endsWith('/v2/metrics'))!.query);
    expect(metricsQuery.get('fields')!.split(',')).toEqual(expect.arrayContaining(['goalName', 'url']));
    expect(emu.requests.filter((r) => r.path.includes('/goals'))).toEqual([]);
  });

  it('falls back to the goals lookup for a single v1 body, which has no goalName', async () => {
    const metric = emu.state.metrics.find((m) => m.ownerIds.includes(DEMO_USER_IDS.ana!) && !m.dynamic)!;
    emu.requests.length = 0;
    const checked = await service.checkFor(metric.id, DEMO_USER_IDS.ana!);
    expect(checked.goalName).toBe(emu.state.goals.find((g) => g.id === metric.goalId)!.name);
    expect(emu.requests.filter((r) => r.path.endsWith('/v2/goals'))).toHaveLength(1);
  });
});
