import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { StoreBackend } from './backend.js';

const NOW = new Date('2026-11-30T09:00:00.000Z');

/** Once-per-key actions: one claimant wins across replicas; later ones see when and what. */
export function actionClaimsContract(backend: StoreBackend): void {
  describe(`${backend.name} action claims`, () => {
    let a: Store;
    let b: Store;
    beforeEach(async () => {
      const database = await backend.freshDatabase();
      a = await database.open();
      b = await database.open();
    });

    it('gives a key to exactly one of two replicas claiming at once, and tells the other when and what', async () => {
      const both = await Promise.all([a.claimAction('create:V1', NOW), b.claimAction('create:V1', new Date(NOW.getTime() + 5))]);
      expect(both.filter((c) => c.claimed)).toHaveLength(1);
      const winner = both[0]!.claimed ? a : b;
      await winner.setActionResult('create:V1', '5f0000000000000000000001');
      const later = await a.claimAction('create:V1', new Date(NOW.getTime() + 60_000));
      expect(later.claimed).toBe(false);
      if (!later.claimed) {
        expect(later.claim.result).toBe('5f0000000000000000000001');
        expect([NOW.getTime(), NOW.getTime() + 5]).toContain(later.claim.claimedAt.getTime());
      }
      expect((await b.claimAction('create:V2', NOW)).claimed).toBe(true);
      expect(await a.getActionClaim('create:V1')).toEqual(later.claimed ? null : later.claim);
      expect(await a.getActionClaim('create:V3')).toBeNull();
    });

    it('is pruned with the rest of the history once older than the retention cutoff', async () => {
      await a.claimAction('nudge:old', NOW);
      await a.claimAction('nudge:new', new Date(NOW.getTime() + 10 * 86_400_000));
      expect((await a.pruneHistory(new Date(NOW.getTime() + 86_400_000))).action_claims).toBe(1);
      expect(await b.getActionClaim('nudge:old')).toBeNull();
      expect(await b.getActionClaim('nudge:new')).not.toBeNull();
    });

    it('lets a released key be claimed again, and only once', async () => {
      expect((await a.claimAction('nudge:x', NOW)).claimed).toBe(true);
      expect(await b.releaseAction('nudge:x')).toBe(true);
      expect(await b.releaseAction('nudge:x')).toBe(false);
      const again = await b.claimAction('nudge:x', new Date(NOW.getTime() + 1000));
      expect(again.claimed).toBe(true);
      const third = await a.claimAction('nudge:x', new Date(NOW.getTime() + 2000));
      expect(third.claimed ? null : third.claim.claimedAt.getTime()).toBe(NOW.getTime() + 1000);
      expect(third.claimed ? 'x' : third.claim.result).toBeNull();
    });
  });
}
