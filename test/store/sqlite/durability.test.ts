import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import { newCheckIn } from '../support/temp-db.js';

describe('durability settings', () => {
  it('commits an accepted check-in with synchronous=FULL and returns to NORMAL for everything else', async () => {
    const store = SqliteStore.open(':memory:');
    const modes: number[] = [];
    const pragma = store.db.pragma.bind(store.db);
    store.db.pragma = ((source: string, options?: { simple?: boolean }) => {
      if (source.startsWith('synchronous =')) modes.push(source.endsWith('FULL') ? 2 : 1);
      return pragma(source, options);
    }) as typeof store.db.pragma;
    try {
      expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
      const { entry } = await store.enqueueCheckIn(newCheckIn(), new Date());
      const claim = await store.claimOutboxEntry(entry.id, new Date(), 30_000);
      await store.markOutboxUncertain(claim!, new Date());
      expect(modes).toEqual([2, 1, 2, 1]);
      expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      await store.close();
    }
  });
});
