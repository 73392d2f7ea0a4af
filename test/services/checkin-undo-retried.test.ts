/**
 * Undo deletes a check-in in Gtmhub; DELETE is idempotent, so the client tries it again when its answer
 * is lost. The second try then meets a 404 for the check-in the first try deleted: the reminder rows
 * that showed it must open again all the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { CheckInFollowUps } from '../../src/services/checkin-followups.js';
import { NotFoundError } from '../../src/services/errors.js';
import { startGtmhubEmulator, type GtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import type { OutboxEntry } from '../../src/store/store.js';
import { smallAccount, USERS } from '../support/fixtures.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

let gtmhub: GtmhubEmulator | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await gtmhub?.close();
  proxy = undefined;
  gtmhub = undefined;
});

async function setUp() {
  const account = smallAccount();
  gtmhub = await startGtmhubEmulator({ port: 0, data: account.data });
  proxy = await startFaultProxy(gtmhub.url);
  const client = new GtmhubClient({ baseUrl: proxy.url, token: gtmhub.adminToken, accountId: gtmhub.accountId, logger: pino({ level: 'silent' }) });
  const metricId = account.metrics.nps!;
  const snapshot = await client.checkIn(metricId, { actual: 35, comment: 'from Slack' });
  const snapshotId = String(snapshot.id);
  const entry = { id: 7, slackUserId: 'UANA00001', metricId, status: 'delivered', snapshotId, gtmhubUserId: USERS.ana } as unknown as OutboxEntry;
  const undone: OutboxEntry[] = [];
  const followUps = new CheckInFollowUps({
    gtmhub: client,
    store: { getOutboxEntry: async (id: number) => (id === entry.id ? entry : null) },
    logger: pino({ level: 'silent' }),
    people: { nameOf: async () => 'Ana Novak' },
    undone: async (e) => void undone.push(e),
  });
  return { followUps, undone, snapshotId, entry, emulator: gtmhub };
}

describe('Undo when the answer to its DELETE is lost', () => {
  it('the retry meets a 404 for what the first try deleted: the person is told it is gone and the rows open again', async () => {
    const { followUps, undone, snapshotId, entry, emulator } = await setUp();
    proxy!.inject({ method: 'DELETE', path: /\/metrics\/checkin\//, fault: { kind: 'reset' }, afterUpstream: true });
    const error = await followUps.undo(entry.slackUserId, entry.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe('That check-in is already gone from Gtmhub.');
    expect(emulator.state.snapshots.some((s) => s.id === snapshotId)).toBe(false);
    expect(proxy!.requests.filter((r) => r.method === 'DELETE').length).toBe(2);
    expect(undone.map((e) => e.id)).toEqual([entry.id]);
  });

  it('a plain undo deletes once and opens the rows again', async () => {
    const { followUps, undone, entry } = await setUp();
    await followUps.undo(entry.slackUserId, entry.id);
    expect(proxy!.requests.filter((r) => r.method === 'DELETE').length).toBe(1);
    expect(undone.map((e) => e.id)).toEqual([entry.id]);
  });
});
