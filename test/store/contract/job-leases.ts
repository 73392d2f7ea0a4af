import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { StoreBackend } from './backend.js';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const LEASE = 60_000;

/** The lease of a fan-out job: one holder at a time, renewable, taken over once it expires. */
export function jobLeasesContract(backend: StoreBackend): void {
  describe(`${backend.name} job leases`, () => {
    let a: Store;
    let b: Store;
    beforeEach(async () => {
      const database = await backend.freshDatabase();
      a = await database.open();
      b = await database.open();
    });

    it('gives a free lease to exactly one of two replicas asking at once', async () => {
      const both = await Promise.all([a.tryAcquireJobLease('reminders', 'replica-a', NOW, LEASE), b.tryAcquireJobLease('reminders', 'replica-b', NOW, LEASE)]);
      expect(both.filter(Boolean)).toHaveLength(1);
      // Another job is its own lease.
      expect(await b.tryAcquireJobLease('summaries', 'replica-b', NOW, LEASE)).toBe(true);
    });

    it('lets the holder renew, keeps others out until the lease ends, then hands it over', async () => {
      expect(await a.tryAcquireJobLease('reminders', 'replica-a', NOW, LEASE)).toBe(true);
      expect(await a.tryAcquireJobLease('reminders', 'replica-a', at(LEASE - 1000), LEASE)).toBe(true); // renewed to 2 LEASE - 1000
      expect(await b.tryAcquireJobLease('reminders', 'replica-b', at(LEASE), LEASE)).toBe(false);
      expect(await b.tryAcquireJobLease('reminders', 'replica-b', at(2 * LEASE - 1001), LEASE)).toBe(false);
      expect(await b.tryAcquireJobLease('reminders', 'replica-b', at(2 * LEASE - 1000), LEASE)).toBe(true); // replica-a stopped renewing
      expect(await a.tryAcquireJobLease('reminders', 'replica-a', at(2 * LEASE), LEASE)).toBe(false);
    });

    it('releases only the holder’s lease, at once', async () => {
      expect(await a.tryAcquireJobLease('reminders', 'replica-a', NOW, LEASE)).toBe(true);
      expect(await b.releaseJobLease('reminders', 'replica-b')).toBe(false);
      expect(await b.tryAcquireJobLease('reminders', 'replica-b', at(1), LEASE)).toBe(false);
      expect(await a.releaseJobLease('reminders', 'replica-a')).toBe(true);
      expect(await a.releaseJobLease('reminders', 'replica-a')).toBe(false);
      expect(await b.tryAcquireJobLease('reminders', 'replica-b', at(2), LEASE)).toBe(true);
    });

    it('tells who holds a lease until it ends or is released', async () => {
      expect(await b.jobLeaseHolder('reminders', NOW)).toBeNull();
      expect(await a.tryAcquireJobLease('reminders', 'replica-a', NOW, LEASE)).toBe(true);
      expect(await b.jobLeaseHolder('reminders', at(LEASE - 1))).toBe('replica-a');
      expect(await b.jobLeaseHolder('summaries', NOW)).toBeNull();
      expect(await b.jobLeaseHolder('reminders', at(LEASE))).toBeNull();
      expect(await a.releaseJobLease('reminders', 'replica-a')).toBe(true);
      expect(await b.jobLeaseHolder('reminders', NOW)).toBeNull();
    });

    it('refuses a lease that is not a positive duration', async () => {
      await expect(a.tryAcquireJobLease('reminders', 'replica-a', NOW, 0)).rejects.toThrow(RangeError);
      await expect(a.tryAcquireJobLease('reminders', 'replica-a', NOW, Number.NaN)).rejects.toThrow(RangeError);
      expect(await b.tryAcquireJobLease('reminders', 'replica-b', NOW, LEASE)).toBe(true);
    });
  });
}
