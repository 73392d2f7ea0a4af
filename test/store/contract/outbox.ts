import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import type { Store } from '../../../src/store/store.js';
import { newCheckIn } from '../support/temp-db.js';
import type { StoreBackend } from './backend.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 30_000;

/** The check-in outbox: every test opens a fresh store that logs its warnings into `warnings`. */
export function outboxContract(backend: StoreBackend): void {
  describe(`${backend.name} check-in outbox`, () => {
    let store: Store;
    let warnings: string[];
    beforeEach(async () => {
      warnings = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          warnings.push(JSON.parse(chunk.toString()).msg as string);
          done();
        },
      });
      store = await (await backend.freshDatabase()).open({ logger: createLogger({ level: 'warn', destination }) });
    });
    describe('enqueueCheckIn', () => {
      it('creates a pending entry, due at once, with every field kept', async () => {
        const { entry, created } = await store.enqueueCheckIn(newCheckIn(), T0);
        expect(created).toBe(true);
        expect(entry).toEqual({
          ...newCheckIn(),
          id: expect.any(Number),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: T0,
          leaseUntil: null,
          lastError: null,
          uncertain: false,
          snapshotId: null,
          deliveredAt: null,
        });
        expect(await store.getOutboxEntry(entry.id)).toEqual(entry);
      });

      it('keeps null confidence, null reminder and empty comment', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn({ confidence: null, reminderId: null, comment: '', context: {} }), T0);
        expect(entry).toMatchObject({ confidence: null, reminderId: null, comment: '', context: {} });
      });

      it('is idempotent: the same key returns the first entry, unchanged, and records one entry', async () => {
        const first = await store.enqueueCheckIn(newCheckIn(), T0);
        const again = await store.enqueueCheckIn(newCheckIn({ actual: 99, comment: 'double click' }), at(500));
        expect(again.created).toBe(false);
        expect(again.entry).toEqual(first.entry);
        expect(await store.countOutbox()).toBe(1);
      });

      it('returns the entry in its current state for a re-sent submission after delivery', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.markOutboxDelivered(entry.id, 'snap-1', at(1000));
        const again = await store.enqueueCheckIn(newCheckIn(), at(2000));
        expect(again).toMatchObject({ created: false, entry: { id: entry.id, status: 'delivered', snapshotId: 'snap-1' } });
      });

      it('gives different keys different entries', async () => {
        const a = await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'a' }), T0);
        const b = await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'b' }), T0);
        expect(b.created).toBe(true);
        expect(b.entry.id).not.toBe(a.entry.id);
      });

      it('rejects a value that is not a number instead of storing it', async () => {
        await expect(store.enqueueCheckIn(newCheckIn({ actual: Number.NaN }), T0)).rejects.toThrow();
        expect(await store.countOutbox()).toBe(0);
      });
    });

    it('getOutboxEntry returns null for an unknown id', async () => {
      expect(await store.getOutboxEntry(12345)).toBeNull();
    });

    describe('claimOutboxEntries', () => {
      it('claims due pending entries oldest first up to the limit, with a lease and one more attempt', async () => {
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) ids.push((await store.enqueueCheckIn(newCheckIn({ idempotencyKey: `k${i}` }), at(i * 1000))).entry.id);

        const claimed = await store.claimOutboxEntries(at(10_000), 3, LEASE);
        expect(claimed.map((e) => e.id)).toEqual(ids.slice(0, 3));
        for (const entry of claimed) {
          expect(entry).toMatchObject({ status: 'in_flight', attempts: 1, leaseUntil: at(10_000 + LEASE) });
          expect(await store.getOutboxEntry(entry.id)).toEqual(entry);
        }
        expect((await store.claimOutboxEntries(at(10_000), 10, LEASE)).map((e) => e.id)).toEqual(ids.slice(3));
        expect(await store.claimOutboxEntries(at(10_000), 10, LEASE)).toEqual([]);
      });

      it('does not claim entries that are not yet due', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), at(5000));
        expect(await store.claimOutboxEntries(at(4999), 10, LEASE)).toEqual([]);
        expect((await store.claimOutboxEntries(at(5000), 10, LEASE)).map((e) => e.id)).toEqual([entry.id]);
      });

      it('leaves an in_flight entry alone until its lease ends, then claims it again (worker died)', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const [claim] = await store.claimOutboxEntries(T0, 10, LEASE);
        expect(await store.markOutboxUncertain(claim!, T0)).toBe(true);

        expect(await store.claimOutboxEntries(at(LEASE - 1), 10, LEASE)).toEqual([]);
        expect(await store.claimOutboxEntry(entry.id, at(LEASE - 1), LEASE)).toBeNull();

        const [again] = await store.claimOutboxEntries(at(LEASE), 10, LEASE);
        expect(again).toMatchObject({ id: entry.id, status: 'in_flight', attempts: 2, uncertain: true, leaseUntil: at(2 * LEASE) });
      });

      it('claims expired leases and due entries in the order they became due', async () => {
        const early = (await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'early' }), T0)).entry;
        await store.claimOutboxEntries(T0, 1, 1000); // lease ends at +1 s
        const later = (await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'later' }), at(2000))).entry;
        expect((await store.claimOutboxEntries(at(3000), 1, LEASE)).map((e) => e.id)).toEqual([early.id]);
        expect((await store.claimOutboxEntries(at(3000), 1, LEASE)).map((e) => e.id)).toEqual([later.id]);
      });

      it('never claims delivered or rejected entries', async () => {
        const a = (await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'a' }), T0)).entry;
        const b = (await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'b' }), T0)).entry;
        const [, claimB] = await store.claimOutboxEntries(T0, 10, LEASE);
        await store.markOutboxDelivered(a.id, 'snap', T0);
        await store.markOutboxRejected(claimB!, 'due date passed', T0);
        expect(await store.claimOutboxEntries(at(10 * LEASE), 10, LEASE)).toEqual([]);
        expect(await store.claimOutboxEntry(a.id, at(10 * LEASE), LEASE)).toBeNull();
        expect(await store.claimOutboxEntry(b.id, at(10 * LEASE), LEASE)).toBeNull();
      });

      it('returns nothing for limit 0 and refuses a bad limit or lease', async () => {
        await store.enqueueCheckIn(newCheckIn(), T0);
        expect(await store.claimOutboxEntries(T0, 0, LEASE)).toEqual([]);
        await expect(store.claimOutboxEntries(T0, -1, LEASE)).rejects.toThrow(RangeError);
        await expect(store.claimOutboxEntries(T0, 1.5, LEASE)).rejects.toThrow(RangeError);
        await expect(store.claimOutboxEntries(T0, 1, 0)).rejects.toThrow(RangeError);
        await expect(store.claimOutboxEntry(1, T0, Number.NaN)).rejects.toThrow(RangeError);
        expect(await store.countOutbox('pending')).toBe(1);
      });

      it('hands out an entry claimed twice at once only once', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const [first, second] = await Promise.all([store.claimOutboxEntry(entry.id, T0, LEASE), store.claimOutboxEntry(entry.id, T0, LEASE)]);
        expect([first, second].filter(Boolean)).toHaveLength(1);
      });
    });

    describe('claimOutboxEntry', () => {
      it('claims one due entry once', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claimed = await store.claimOutboxEntry(entry.id, T0, LEASE);
        expect(claimed).toMatchObject({ id: entry.id, status: 'in_flight', attempts: 1, leaseUntil: at(LEASE) });
        expect(await store.claimOutboxEntry(entry.id, T0, LEASE)).toBeNull();
        expect(await store.claimOutboxEntries(T0, 10, LEASE)).toEqual([]);
      });

      it('respects the retry time of a rescheduled entry and returns null for unknown ids', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.rescheduleOutboxEntry(claim!, at(60_000), 'HTTP 503', false);
        expect(await store.claimOutboxEntry(entry.id, at(59_999), LEASE)).toBeNull();
        expect(await store.claimOutboxEntry(entry.id, at(60_000), LEASE)).toMatchObject({ attempts: 2 });
        expect(await store.claimOutboxEntry(999, T0, LEASE)).toBeNull();
      });
    });

    describe('state changes', () => {
      it('markOutboxUncertain sets the flag, which a later claim carries', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.markOutboxUncertain(claim!, T0);
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ uncertain: true, status: 'in_flight' });
      });

      it('markOutboxDelivered records the snapshot and time, ends the lease and clears uncertainty', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.markOutboxUncertain(claim!, T0);
        await store.markOutboxDelivered(entry.id, 'snap-1', at(1500));
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({
          status: 'delivered',
          snapshotId: 'snap-1',
          deliveredAt: at(1500),
          leaseUntil: null,
          uncertain: false,
        });
      });

      it('markOutboxDelivered accepts an unknown snapshot id and keeps the first delivery', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.markOutboxDelivered(entry.id, null, at(1000));
        await store.markOutboxDelivered(entry.id, 'snap-late', at(2000));
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ status: 'delivered', snapshotId: null, deliveredAt: at(1000) });
        expect(warnings).toEqual(['outbox: marking delivered ignored']);
      });

      it('markOutboxRejected keeps the reason and ends the lease', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.markOutboxRejected(claim!, 'The key result is past its due date', at(1000));
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({
          status: 'rejected',
          lastError: 'The key result is past its due date',
          leaseUntil: null,
          deliveredAt: null,
        });
      });

      it('rescheduleOutboxEntry puts it back to pending with the error, time and uncertainty given', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.markOutboxUncertain(claim!, T0);
        await store.rescheduleOutboxEntry(claim!, at(10_000), 'timeout after 10 s', true);
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({
          status: 'pending',
          nextAttemptAt: at(10_000),
          lastError: 'timeout after 10 s',
          uncertain: true,
          leaseUntil: null,
          attempts: 1,
        });
        const second = await store.claimOutboxEntry(entry.id, at(10_000), LEASE);
        await store.rescheduleOutboxEntry(second!, at(20_000), 'HTTP 500', false);
        // Once a POST may have landed, a later certain failure does not make it certain that nothing landed.
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ uncertain: true, lastError: 'HTTP 500', attempts: 2 });
      });

      it('rescheduleOutboxEntry never clears an uncertain mark (a stale copy of the entry says false)', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        expect(claim!.uncertain).toBe(false);
        await store.markOutboxUncertain(claim!, T0);
        expect(await store.rescheduleOutboxEntry(claim!, at(10_000), 'answer unreadable', false)).toBe(true);
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ status: 'pending', uncertain: true });
      });

      it('rescheduleOutboxEntry records an entry as uncertain when told so', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.rescheduleOutboxEntry(claim!, at(10_000), 'timeout', true);
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ uncertain: true });
      });

      it('a late worker cannot move a delivered entry back to pending or to rejected', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        await store.markOutboxDelivered(entry.id, 'snap-1', at(1000));
        expect(await store.rescheduleOutboxEntry(claim!, at(5000), 'stale worker', false)).toBe(false);
        expect(await store.markOutboxRejected(claim!, 'stale worker', at(5000))).toBe(false);
        expect(await store.markOutboxUncertain(claim!, T0)).toBe(false);
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ status: 'delivered', snapshotId: 'snap-1', lastError: null, uncertain: false });
        expect(warnings).toEqual(['outbox: rescheduling ignored', 'outbox: marking rejected ignored', 'outbox: marking uncertain ignored']);
      });

      it('only an in_flight entry can be rescheduled', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        await store.rescheduleOutboxEntry(entry, at(60_000), 'not claimed', false);
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ status: 'pending', nextAttemptAt: T0, lastError: null });
      });

      it('a delivery that arrives after a rejection still counts (Gtmhub has it)', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        await store.markOutboxRejected(entry, 'gave up', at(1000));
        await store.markOutboxDelivered(entry.id, 'snap-1', at(2000));
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ status: 'delivered', snapshotId: 'snap-1' });
      });

      it('fencing: after a re-claim, the earlier claim cannot mark, reschedule or reject; delivery still counts', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const first = await store.claimOutboxEntry(entry.id, T0, LEASE);
        const second = await store.claimOutboxEntry(entry.id, at(LEASE), LEASE);
        expect(second).toMatchObject({ attempts: first!.attempts + 1 });
        expect(await store.markOutboxUncertain(first!, at(LEASE))).toBe(false);
        expect(await store.rescheduleOutboxEntry(first!, at(LEASE + 5000), 'stale', true)).toBe(false);
        expect(await store.markOutboxRejected(first!, 'stale', at(LEASE))).toBe(false);
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ status: 'in_flight', attempts: 2, uncertain: false, lastError: null });
        expect(await store.markOutboxUncertain(second!, at(LEASE))).toBe(true);
        await store.markOutboxDelivered(entry.id, 'snap-by-first', at(LEASE + 100));
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ status: 'delivered', snapshotId: 'snap-by-first' });
      });

      it('markOutboxUncertain refuses a claim whose lease ends before the POST could finish', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        const claim = await store.claimOutboxEntry(entry.id, T0, LEASE);
        expect(await store.markOutboxUncertain(claim!, at(LEASE + 1))).toBe(false);
        expect(await store.getOutboxEntry(entry.id)).toMatchObject({ uncertain: false });
        expect(await store.markOutboxUncertain(claim!, at(LEASE))).toBe(true);
      });

      it('an entry that is not claimed cannot be marked uncertain', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        expect(await store.markOutboxUncertain(entry, T0)).toBe(false);
      });

      it('changes to an unknown id change nothing and are logged', async () => {
        await store.markOutboxDelivered(77, 'x', T0);
        expect(await store.countOutbox()).toBe(0);
        expect(warnings).toEqual(['outbox: marking delivered ignored']);
      });
    });

    describe('notices', () => {
      it('keeps a notice, holds it for the first send, then hands it out once per hold until it is finished', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        await store.markOutboxDelivered(entry.id, 'snap', T0);
        await store.queueNotice(entry.id, { kind: 'delivered', late: true, change: { newActual: 3 } }, at(LEASE));
        expect(await store.countPendingNotices()).toBe(1);
        expect(await store.claimNotices(at(LEASE - 1), 10, LEASE)).toEqual([]);
        const [due] = await store.claimNotices(at(LEASE), 10, LEASE);
        expect(due).toMatchObject({ entry: { id: entry.id, status: 'delivered' }, notice: { kind: 'delivered', late: true, change: { newActual: 3 } }, attempts: 0 });
        expect(await store.claimNotices(at(LEASE), 10, LEASE)).toEqual([]);
        await store.retryNotice(entry.id, at(LEASE + 5000), 'Slack said internal_error');
        expect(await store.claimNotices(at(LEASE + 4999), 10, LEASE)).toEqual([]);
        expect(await store.claimNotices(at(LEASE + 5000), 10, LEASE)).toMatchObject([{ attempts: 1, notice: { kind: 'delivered' } }]);
        await store.finishNotice(entry.id);
        expect(await store.countPendingNotices()).toBe(0);
        expect(await store.claimNotices(at(100 * LEASE), 10, LEASE)).toEqual([]);
      });

      it('keeps a rejection notice with its reason', async () => {
        const { entry } = await store.enqueueCheckIn(newCheckIn(), T0);
        await store.queueNotice(entry.id, { kind: 'rejected', reason: 'past due' }, T0);
        expect(await store.claimNotices(T0, 10, LEASE)).toMatchObject([{ notice: { kind: 'rejected', reason: 'past due' } }]);
      });
    });

    it('countOutbox counts all entries or those in one status', async () => {
      for (const key of ['a', 'b', 'c', 'd']) await store.enqueueCheckIn(newCheckIn({ idempotencyKey: key }), T0);
      const [a, b, c] = await store.claimOutboxEntries(T0, 3, LEASE);
      await store.markOutboxDelivered(a!.id, 's', T0);
      await store.markOutboxRejected(b!, 'no', T0);
      expect(c).toBeDefined();
      expect(await store.countOutbox()).toBe(4);
      expect(await store.countOutbox('pending')).toBe(1);
      expect(await store.countOutbox('in_flight')).toBe(1);
      expect(await store.countOutbox('delivered')).toBe(1);
      expect(await store.countOutbox('rejected')).toBe(1);
    });
  });
}
