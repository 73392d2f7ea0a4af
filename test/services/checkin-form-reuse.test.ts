/**
 * Picking a key result in the check-in form reuses what the form loaded (the person's own list, read
 * with each key result's check-ins), so the pick and the Enter preview cost no Gtmhub request; once
 * the load is older than the kept time, or a check-in of that key result has landed, it is read again.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startGtmhubEmulator, type GtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { createLogger } from '../../src/logger.js';
import { CheckInFormService, FormAwareNotifier } from '../../src/services/checkin-form.js';
import type { OutboxEntry } from '../../src/store/store.js';
import { KeyResultService } from '../../src/services/key-results.js';
import { smallAccount, USERS } from '../support/fixtures.js';

const ANA_SLACK = 'UANA00001';
let emu: GtmhubEmulator | undefined;

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setUp() {
  const now = Date.now();
  const account = smallAccount(now);
  emu = await startGtmhubEmulator({ port: 0, data: account.data });
  const gtmhub = new GtmhubClient({ baseUrl: emu.url, token: emu.adminToken, accountId: emu.accountId, retry: { limit: 0 } });
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const clock = fixedClock(new Date(now));
  const keyResults = new KeyResultService({ gtmhub, clock, logger });
  const forms = new CheckInFormService({
    people: { resolve: async () => ({ mapped: true, gtmhubUserId: USERS.ana, email: 'ana@acme.example', source: 'email', displayName: null }) },
    keyResults,
    store: { getSlackProfile: async () => null },
    clock,
    loadKeptMs: 60_000,
  });
  const requestsSince = (start: number) => emu!.requests.slice(start).map((r) => `${r.method} ${r.path}`);
  return { account, emu, forms, clock, requestsSince };
}

describe('CheckInFormService: reusing what the form loaded', () => {
  it('picks a loaded key result, with its last check-in, without asking Gtmhub', async () => {
    const { account, emu, forms, requestsSince } = await setUp();
    const revenue = account.metrics.revenue!;
    const state = await forms.prepare(ANA_SLACK, '');
    expect(state.kind).toBe('ready');
    const listRequest = emu.requests.find((r) => r.path === '/api/v2/metrics');
    expect(new URLSearchParams(listRequest!.query).get('fields')?.split(',')).toContain('metricHistory');

    const start = emu.requests.length;
    const picked = await forms.select(ANA_SLACK, revenue);
    expect(requestsSince(start)).toEqual([]);
    expect(picked.kind).toBe('selected');
    if (picked.kind !== 'selected') return;
    const held = emu.state.metrics.find((m) => m.id === revenue)!;
    expect(picked.selected.metric.actual).toBe(held.actual);
    expect(picked.selected.metric.metricHistory?.map((h) => h.comment)).toEqual(held.metricHistory.map((h) => h.comment));
    expect(picked.groups.flatMap((g) => g.keyResults.map((m) => m.id))).toContain(revenue);
  });

  it('reads the key result again once the load is older than the kept time', async () => {
    const { account, emu, forms, clock, requestsSince } = await setUp();
    const revenue = account.metrics.revenue!;
    await forms.prepare(ANA_SLACK, '');
    emu.state.metrics.find((m) => m.id === revenue)!.actual = 31_000;
    clock.advance(61_000);
    const start = emu.requests.length;
    const picked = await forms.select(ANA_SLACK, revenue);
    expect(requestsSince(start)).toContain(`GET /api/v1/metrics/${revenue}`);
    expect(picked.kind === 'selected' && picked.selected.metric.actual).toBe(31_000);
  });

  it('reads a key result again after a check-in of it landed', async () => {
    const { account, emu, forms, requestsSince } = await setUp();
    const revenue = account.metrics.revenue!;
    await forms.prepare(ANA_SLACK, '');
    emu.state.metrics.find((m) => m.id === revenue)!.actual = 27_500;
    forms.forgetKeyResult(revenue);
    const start = emu.requests.length;
    const picked = await forms.select(ANA_SLACK, revenue);
    expect(requestsSince(start)).toContain(`GET /api/v1/metrics/${revenue}`);
    expect(picked.kind === 'selected' && picked.selected.metric.actual).toBe(27_500);
  });

  it('re-checks a key result the form did not offer with Gtmhub, and refuses one that is not the person’s', async () => {
    const { account, emu, forms, requestsSince } = await setUp();
    await forms.prepare(ANA_SLACK, '');
    const bens = account.data.metrics.find((m) => !m.ownerIds.includes(USERS.ana))!.id;
    const start = emu.requests.length;
    const picked = await forms.select(ANA_SLACK, bens);
    expect(requestsSince(start)).toContain(`GET /api/v1/metrics/${bens}`);
    expect(picked.kind).toBe('refused');
  });
});

describe('FormAwareNotifier', () => {
  it('makes loads of a landed key result stale and passes every notice on', async () => {
    const forgotten: string[] = [];
    const passed: string[] = [];
    const notifier = new FormAwareNotifier(
      {
        delivered: async (entry) => void passed.push(`delivered ${entry.metricId}`),
        rejected: async (entry, reason) => void passed.push(`rejected ${entry.metricId} ${reason}`),
      },
      { forgetKeyResult: (metricId) => void forgotten.push(metricId) },
    );
    const entry = { metricId: 'dd0000000000000000000001' } as OutboxEntry;
    await notifier.delivered(entry, null, false);
    await notifier.rejected(entry, 'closed');
    expect(forgotten).toEqual(['dd0000000000000000000001']);
    expect(passed).toEqual(['delivered dd0000000000000000000001', 'rejected dd0000000000000000000001 closed']);
  });
});
