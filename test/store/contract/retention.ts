import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { newCheckIn } from '../support/temp-db.js';
import type { StoreBackend } from './backend.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The retention pass: what only grew with use goes once it is older than the cutoff; nothing still needed goes. */
export function retentionContract(backend: StoreBackend): void {
  describe(`${backend.name} retention`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await (await backend.freshDatabase()).open();
    });

    it('deletes finished check-ins older than the cutoff and keeps pending, recent and not-yet-told ones', async () => {
      const enqueue = async (key: string) => (await store.enqueueCheckIn(newCheckIn({ idempotencyKey: key }), T0)).entry;
      const oldDelivered = await enqueue('old-delivered');
      const oldRejected = await enqueue('old-rejected');
      const oldUntold = await enqueue('old-untold');
      const recent = await enqueue('recent');
      const pending = await enqueue('pending');
      await store.markOutboxDelivered(oldDelivered.id, 's1', T0);
      await store.markOutboxRejected(oldRejected, 'no', T0);
      await store.markOutboxDelivered(oldUntold.id, 's2', T0);
      await store.queueNotice(oldUntold.id, { kind: 'delivered', late: true, change: null }, T0);
      await store.markOutboxDelivered(recent.id, 's3', at(20 * DAY));

      const pruned = await store.pruneHistory(at(10 * DAY));
      expect(pruned.checkin_outbox).toBe(2);
      expect(await store.getOutboxEntry(oldDelivered.id)).toBeNull();
      expect(await store.getOutboxEntry(oldRejected.id)).toBeNull();
      expect(await store.getOutboxEntry(oldUntold.id)).toMatchObject({ status: 'delivered' });
      expect(await store.getOutboxEntry(recent.id)).toMatchObject({ status: 'delivered' });
      expect(await store.getOutboxEntry(pending.id)).toMatchObject({ status: 'pending' });

      await store.finishNotice(oldUntold.id);
      expect((await store.pruneHistory(at(10 * DAY))).checkin_outbox).toBe(1);
      expect(await store.countOutbox()).toBe(2);
    });

    it('deletes old cached profiles, expired email matches and expired summary requests; keeps manual links', async () => {
      await store.putSlackProfile({ slackUserId: 'UOLD', email: null, tz: null, realName: null, fetchedAt: T0 });
      await store.putSlackProfile({ slackUserId: 'UNEW', email: null, tz: null, realName: null, fetchedAt: at(20 * DAY) });
      await store.putOwnerLink({ slackUserId: 'UEMAIL', gtmhubUserId: 'g1', email: 'a@x.example', source: 'email', linkedBy: null, createdAt: T0, expiresAt: at(DAY) });
      await store.putOwnerLink({ slackUserId: 'UMANUAL', gtmhubUserId: 'g2', email: null, source: 'manual', linkedBy: 'UADMIN', createdAt: T0, expiresAt: null });
      await store.createSummaryRequest({ id: 'req-new', channelId: 'C1', requestedBy: 'U1', scope: '{}', createdAt: at(20 * DAY), expiresAt: at(21 * DAY) });
      await store.createSummaryRequest({ id: 'req-old', channelId: 'C1', requestedBy: 'U1', scope: '{}', createdAt: T0, expiresAt: at(DAY) });

      const pruned = await store.pruneHistory(at(10 * DAY));
      expect(pruned).toMatchObject({ slack_profiles: 1, owner_links: 1, summary_requests: 1 });
      expect(await store.getSlackProfile('UOLD')).toBeNull();
      expect(await store.getSlackProfile('UNEW')).not.toBeNull();
      expect(await store.getOwnerLink('UEMAIL')).toBeNull();
      expect(await store.getOwnerLink('UMANUAL')).not.toBeNull();
      expect(await store.getSummaryRequest('req-old')).toBeNull();
      expect(await store.getSummaryRequest('req-new')).not.toBeNull();
    });

    it('a second pass over the same cutoff deletes nothing more', async () => {
      const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
      await store.markOutboxDelivered(entry.id, 's', T0);
      expect((await store.pruneHistory(at(DAY))).checkin_outbox).toBe(1);
      expect(Object.values(await store.pruneHistory(at(DAY))).every((n) => n === 0)).toBe(true);
    });
  });
}
