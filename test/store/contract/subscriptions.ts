import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { NewSummarySubscription } from '../../../src/store/subscription-store.js';
import type { StoreBackend } from './backend.js';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const LEASE = 60_000;

function subscription(overrides: Partial<NewSummarySubscription> = {}): NewSummarySubscription {
  return {
    channelId: 'CTEAM0001',
    createdBy: 'U1',
    frequency: 'weekly',
    day: 1,
    timeOfDay: '09:00',
    timeZone: 'Europe/Berlin',
    scope: '{"kind":"channel"}',
    anchorDate: '2026-11-30',
    createdAt: NOW,
    ...overrides,
  };
}

/** Summary subscriptions, their runs (claimed once per period), baselines and on-demand requests. */
export function subscriptionsContract(backend: StoreBackend): void {
  describe(`${backend.name} summary subscriptions`, () => {
    let store: Store;
    let other: Store;
    beforeEach(async () => {
      const database = await backend.freshDatabase();
      store = await database.open();
      other = await database.open();
    });

    it('creates active subscriptions with every field kept and lists them by channel and status', async () => {
      const a = await store.createSubscription(subscription());
      const b = await store.createSubscription(subscription({ channelId: 'COTHER001', frequency: 'monthly', day: 31 }));
      const c = await store.createSubscription(subscription({ frequency: 'daily', day: null }));
      expect(a).toEqual({
        ...subscription(),
        id: expect.any(Number),
        status: 'active',
        pausedReason: null,
        lastPeriod: null,
        lastPostedAt: null,
      });
      expect(await other.getSubscription(a.id)).toEqual(a);
      expect(await store.getSubscription(999_999)).toBeNull();
      expect((await store.listSubscriptions()).map((s) => s.id)).toEqual([a.id, b.id, c.id]);
      expect((await store.listSubscriptions({ channelId: 'CTEAM0001' })).map((s) => s.id)).toEqual([a.id, c.id]);
      expect(await store.pauseSubscription(c.id, 'not_in_channel')).toBe(true);
      expect((await store.listSubscriptions({ status: 'active' })).map((s) => s.id)).toEqual([a.id, b.id]);
      expect((await store.listSubscriptions({ channelId: 'CTEAM0001', status: 'paused' })).map((s) => s.id)).toEqual([c.id]);
    });

    it('pauses once, resumes within its channel, deletes within its channel', async () => {
      const s = await store.createSubscription(subscription());
      expect(await store.pauseSubscription(s.id, 'channel_not_found')).toBe(true);
      expect(await store.pauseSubscription(s.id, 'again')).toBe(false);
      expect(await store.getSubscription(s.id)).toMatchObject({ status: 'paused', pausedReason: 'channel_not_found' });
      expect(await store.resumeSubscription(s.id, 'COTHER001')).toBe(false);
      expect(await store.resumeSubscription(s.id, 'CTEAM0001')).toBe(true);
      expect(await store.resumeSubscription(s.id, 'CTEAM0001')).toBe(false);
      expect(await store.getSubscription(s.id)).toMatchObject({ status: 'active', pausedReason: null });
      expect(await store.deleteSubscription(s.id, 'COTHER001')).toBe(false);
      expect(await store.deleteSubscription(s.id, 'CTEAM0001')).toBe(true);
      expect(await store.getSubscription(s.id)).toBeNull();
    });

    it('gives the run of a period to exactly one of two stores at once', async () => {
      const s = await store.createSubscription(subscription());
      const both = await Promise.all([store.claimSummaryRun(s.id, '2026-11-30', NOW, LEASE), other.claimSummaryRun(s.id, '2026-11-30', NOW, LEASE)]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(both.find(Boolean)).toEqual({
        subscriptionId: s.id,
        period: '2026-11-30',
        status: 'running',
        attempts: 1,
        leaseUntil: at(LEASE),
        claimedAt: NOW,
        finishedAt: null,
        messageTs: null,
        error: null,
      });
      expect(await store.claimSummaryRun(s.id, '2026-12-07', NOW, LEASE)).toMatchObject({ period: '2026-12-07', attempts: 1 });
    });

    it('takes a running period over only after its lease, and a retry only when it is due', async () => {
      const s = await store.createSubscription(subscription());
      await store.claimSummaryRun(s.id, 'p', NOW, LEASE);
      expect(await other.claimSummaryRun(s.id, 'p', at(LEASE - 1), LEASE)).toBeNull();
      expect(await other.claimSummaryRun(s.id, 'p', at(LEASE), LEASE)).toMatchObject({ status: 'running', attempts: 2, claimedAt: at(LEASE) });
      await other.retrySummaryRun(s.id, 'p', at(5 * LEASE), 'HTTP 503');
      expect(await store.getSummaryRun(s.id, 'p')).toMatchObject({ status: 'retry', leaseUntil: at(5 * LEASE), error: 'HTTP 503', attempts: 2 });
      expect(await store.claimSummaryRun(s.id, 'p', at(5 * LEASE - 1), LEASE)).toBeNull();
      expect(await store.claimSummaryRun(s.id, 'p', at(5 * LEASE), LEASE)).toMatchObject({ status: 'running', attempts: 3 });
      expect(await store.getSummaryRun(s.id, 'other')).toBeNull();
      await expect(store.claimSummaryRun(s.id, 'q', NOW, 0)).rejects.toThrow(RangeError);
    });

    it('finishes a run once, records the period as the last one and never claims it again', async () => {
      const s = await store.createSubscription(subscription());
      await store.claimSummaryRun(s.id, '2026-11-30', NOW, LEASE);
      await store.finishSummaryRun(s.id, '2026-11-30', { status: 'posted', messageTs: '1.5' }, at(1000));
      expect(await store.getSummaryRun(s.id, '2026-11-30')).toMatchObject({ status: 'posted', messageTs: '1.5', finishedAt: at(1000), leaseUntil: null, error: null });
      expect(await store.getSubscription(s.id)).toMatchObject({ lastPeriod: '2026-11-30', lastPostedAt: at(1000) });
      // A late finisher of the same run changes nothing.
      await other.finishSummaryRun(s.id, '2026-11-30', { status: 'failed', error: 'late' }, at(2000));
      expect(await store.getSummaryRun(s.id, '2026-11-30')).toMatchObject({ status: 'posted', error: null });
      expect(await store.claimSummaryRun(s.id, '2026-11-30', at(100 * LEASE), LEASE)).toBeNull();

      // A skipped later period moves lastPeriod but keeps lastPostedAt; an earlier one never moves it back.
      await store.claimSummaryRun(s.id, '2026-12-07', NOW, LEASE);
      await store.finishSummaryRun(s.id, '2026-12-07', { status: 'skipped', reason: 'nothing to show' }, at(3000));
      expect(await store.getSummaryRun(s.id, '2026-12-07')).toMatchObject({ status: 'skipped', error: 'nothing to show', messageTs: null });
      expect(await store.getSubscription(s.id)).toMatchObject({ lastPeriod: '2026-12-07', lastPostedAt: at(1000) });
      await store.claimSummaryRun(s.id, '2026-11-23', NOW, LEASE);
      await store.finishSummaryRun(s.id, '2026-11-23', { status: 'posted', messageTs: '0.5' }, at(4000));
      expect(await store.getSubscription(s.id)).toMatchObject({ lastPeriod: '2026-12-07', lastPostedAt: at(1000) });
    });

    it('removes the runs of a deleted subscription with it', async () => {
      const s = await store.createSubscription(subscription());
      await store.claimSummaryRun(s.id, 'p', NOW, LEASE);
      await store.deleteSubscription(s.id, 'CTEAM0001');
      expect(await store.getSummaryRun(s.id, 'p')).toBeNull();
    });

    it('replaces a baseline whole and reads it back with its time', async () => {
      expect(await store.getSummaryBaseline('sub:1')).toBeNull();
      await store.replaceSummaryBaseline('sub:1', [
        { metricId: 'm1', attainment: 0.25, actual: 25 },
        { metricId: 'm2', attainment: 1.5, actual: null },
      ], NOW);
      await store.replaceSummaryBaseline('sub:2', [{ metricId: 'm1', attainment: 0, actual: 0 }], NOW);
      const first = await other.getSummaryBaseline('sub:1');
      expect(first?.takenAt).toEqual(NOW);
      expect([...first!.values.values()]).toEqual(expect.arrayContaining([
        { metricId: 'm1', attainment: 0.25, actual: 25 },
        { metricId: 'm2', attainment: 1.5, actual: null },
      ]));
      expect(first!.values.size).toBe(2);
      await store.replaceSummaryBaseline('sub:1', [{ metricId: 'm3', attainment: 0.5, actual: 5 }], at(1000));
      const second = await store.getSummaryBaseline('sub:1');
      expect(second).toEqual({ takenAt: at(1000), values: new Map([['m3', { metricId: 'm3', attainment: 0.5, actual: 5 }]]) });
      await store.replaceSummaryBaseline('sub:1', [], at(2000));
      expect(await store.getSummaryBaseline('sub:1')).toBeNull();
      expect((await store.getSummaryBaseline('sub:2'))?.values.size).toBe(1);
    });

    it('lets one click post a summary request, until it is released; cancelled and expired ones are not posted', async () => {
      const request = { id: 'req-1', channelId: 'CTEAM0001', requestedBy: 'U1', scope: 'mine', createdAt: NOW, expiresAt: at(LEASE) };
      expect(await store.createSummaryRequest(request)).toEqual({ ...request, postedAt: null, cancelledAt: null });
      expect(await other.getSummaryRequest('req-1')).toEqual({ ...request, postedAt: null, cancelledAt: null });
      const both = await Promise.all([store.claimSummaryRequest('req-1', at(1000)), other.claimSummaryRequest('req-1', at(1000))]);
      expect(both.filter(Boolean)).toEqual([{ ...request, postedAt: at(1000), cancelledAt: null }]);
      expect(await store.cancelSummaryRequest('req-1', at(1500))).toBe(false);
      await store.releaseSummaryRequest('req-1');
      expect(await store.claimSummaryRequest('req-1', at(LEASE))).toBeNull(); // expired
      expect(await store.claimSummaryRequest('req-1', at(LEASE - 1))).toMatchObject({ postedAt: at(LEASE - 1) });

      await store.createSummaryRequest({ ...request, id: 'req-2' });
      expect(await store.cancelSummaryRequest('req-2', at(1000))).toBe(true);
      expect(await store.cancelSummaryRequest('req-2', at(1000))).toBe(false);
      expect(await store.claimSummaryRequest('req-2', at(2000))).toBeNull();
      expect(await store.getSummaryRequest('req-2')).toMatchObject({ cancelledAt: at(1000), postedAt: null });
      expect(await store.getSummaryRequest('missing')).toBeNull();
    });

    it('sweeps requests that expired more than a day before a new one', async () => {
      const old = { id: 'old', channelId: 'C1', requestedBy: 'U1', scope: 'mine', createdAt: NOW, expiresAt: at(LEASE) };
      await store.createSummaryRequest(old);
      await store.createSummaryRequest({ ...old, id: 'within-a-day', createdAt: at(LEASE + 24 * 3600_000), expiresAt: at(2 * LEASE + 24 * 3600_000) });
      expect(await store.getSummaryRequest('old')).not.toBeNull();
      await store.createSummaryRequest({ ...old, id: 'next-day', createdAt: at(LEASE + 24 * 3600_000 + 1), expiresAt: at(3 * LEASE + 24 * 3600_000) });
      expect(await store.getSummaryRequest('old')).toBeNull();
      expect(await store.getSummaryRequest('within-a-day')).not.toBeNull();
    });
  });
}
