/** Paging across more than 250 key results from generated data, with a stable order under ties. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { generateEmulatorData } from '../../src/emulator/gtmhub/generate.js';
import type { GtmhubClient } from '../../src/gtmhub/client.js';
import { clientFor, lastQuery, requestsTo, type Emulator } from './fixture.js';

let emu: Emulator;
let client: GtmhubClient;

beforeAll(async () => {
  emu = await startGtmhubEmulator({ port: 0, data: generateEmulatorData({ people: 40, metricsPerPerson: 8, seed: 7 }) });
  client = clientFor(emu);
});

afterAll(async () => {
  await emu.close();
});

describe('paging over > 250 key results', () => {
  it('walks every metric once, stopping at totalCount without an extra request', async () => {
    const total = emu.state.metrics.length;
    expect(total).toBeGreaterThan(250);
    const before = requestsTo(emu, 'GET', '/v2/metrics');
    const ids: string[] = [];
    for await (const metric of client.iterateMetrics({ pageSize: 100 })) ids.push(metric.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids)).toEqual(new Set(emu.state.metrics.map((m) => m.id)));
    expect(ids).toEqual([...ids].sort());
    expect(requestsTo(emu, 'GET', '/v2/metrics') - before).toBe(Math.ceil(total / 100));
  });

  it('stays complete and duplicate-free when the requested sort has ties (id is appended)', async () => {
    const ids: string[] = [];
    for await (const metric of client.iterateMetrics({ sort: '-dynamic', fields: 'id,dynamic', pageSize: 37 })) ids.push(metric.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(emu.state.metrics.length);
    expect(lastQuery(emu, '/v2/metrics').get('sort')).toBe('-dynamic,id');
  });

  it('pages a filter and agrees with listMetrics counts', async () => {
    const owner = emu.state.users[3]!.id;
    const { totalCount } = await client.listMetrics({ filter: { ownerIds: owner }, limit: 1 });
    const ids: string[] = [];
    for await (const metric of client.iterateMetrics({ filter: { ownerIds: owner }, pageSize: 3 })) {
      expect(metric.ownerIds).toContain(owner);
      ids.push(metric.id);
    }
    expect(ids).toHaveLength(totalCount);
    expect(totalCount).toBe(emu.state.metrics.filter((m) => m.ownerIds.includes(owner)).length);
  });

  it('an early break stops fetching', async () => {
    const before = requestsTo(emu, 'GET', '/v2/metrics');
    let seen = 0;
    for await (const _ of client.iterateMetrics({ pageSize: 50 })) {
      seen += 1;
      if (seen === 60) break;
    }
    expect(requestsTo(emu, 'GET', '/v2/metrics') - before).toBe(2);
  });
});
