import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { StoreBackend } from './backend.js';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const day = (n: number) => new Date(NOW.getTime() + n * 24 * 3600_000);

/** Each posted summary's overall progress, read back oldest first for the progress line. */
export function summaryHistoryContract(backend: StoreBackend): void {
  describe(`${backend.name} summary progress history`, () => {
    let store: Store;
    let other: Store;
    beforeEach(async () => {
      const database = await backend.freshDatabase();
      store = await database.open();
      other = await database.open();
    });

    it('keeps every field and lists the most recent points of one key, oldest first', async () => {
      for (let n = 0; n < 5; n++) {
        await store.recordSummaryProgress('sub:1', { takenAt: day(n * 7), overall: 0.1 * n, expected: n === 2 ? null : 0.15 * n, keyResults: 10 + n });
      }
      await store.recordSummaryProgress('sub:2', { takenAt: day(1), overall: 0.9, expected: 0.5, keyResults: 3 });
      const points = await other.listSummaryProgress('sub:1', 3);
      expect(points.map((p) => p.takenAt.toISOString())).toEqual([day(14), day(21), day(28)].map((d) => d.toISOString()));
      expect(points[0]).toEqual({ takenAt: day(14), overall: expect.closeTo(0.2, 10), expected: null, keyResults: 12 });
      expect(points[2]).toEqual({ takenAt: day(28), overall: expect.closeTo(0.4, 10), expected: expect.closeTo(0.6, 10), keyResults: 14 });
      expect(await other.listSummaryProgress('sub:2', 20)).toEqual([{ takenAt: day(1), overall: 0.9, expected: 0.5, keyResults: 3 }]);
      expect(await other.listSummaryProgress('nobody', 20)).toEqual([]);
    });

    it('records a summary posted again at the same instant once, with its latest figures', async () => {
      await store.recordSummaryProgress('sub:1', { takenAt: NOW, overall: 0.3, expected: 0.4, keyResults: 5 });
      await other.recordSummaryProgress('sub:1', { takenAt: NOW, overall: 0.35, expected: 0.4, keyResults: 6 });
      expect(await store.listSummaryProgress('sub:1', 20)).toEqual([{ takenAt: NOW, overall: 0.35, expected: 0.4, keyResults: 6 }]);
    });
  });
}
