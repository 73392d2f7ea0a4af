import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { newCheckIn } from '../support/temp-db.js';
import { startWorker, type WorkerProcess } from '../support/worker-process.js';
import type { StoreBackend, TestDatabase } from './backend.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');

async function seed(store: Store, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push((await store.enqueueCheckIn(newCheckIn({ idempotencyKey: `k${i}` }), T0)).entry.id);
  return ids;
}

async function seeded(database: TestDatabase, count: number): Promise<number[]> {
  const store = await database.open();
  try {
    return await seed(store, count);
  } finally {
    await store.close();
  }
}

async function runTogether(workers: WorkerProcess[]): Promise<number[][]> {
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  return Promise.all(workers.map((w) => w.claimed));
}

function expectNoOverlap(claims: number[][], all: number[]): void {
  const flat = claims.flat();
  expect(new Set(flat).size).toBe(flat.length);
  expect([...flat].sort((a, b) => a - b)).toEqual(all);
}

/** Outbox claims by several stores on one database: in one process, and in separate OS processes. */
export function concurrencyContract(backend: StoreBackend): void {
  describe(`${backend.name} shared by several processes`, () => {
    const started: WorkerProcess[] = [];
    afterEach(() => {
      for (const w of started.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    });
    const start = (...args: Parameters<typeof startWorker>) => {
      const worker = startWorker(...args);
      started.push(worker);
      return worker;
    };

    it('two stores on the same database in one process never claim the same entry', async () => {
      const database = await backend.freshDatabase();
      const ids = await seeded(database, 50);
      const a = await database.open();
      const b = await database.open();
      const claims: number[][] = [[], []];
      for (;;) {
        const [fromA, fromB] = await Promise.all([a.claimOutboxEntries(T0, 3, 60_000), b.claimOutboxEntries(T0, 4, 60_000)]);
        claims[0]!.push(...fromA.map((e) => e.id));
        claims[1]!.push(...fromB.map((e) => e.id));
        if (fromA.length + fromB.length === 0) break;
      }
      expectNoOverlap(claims, ids);
      expect(claims[0]!.length).toBeGreaterThan(0);
      expect(claims[1]!.length).toBeGreaterThan(0);
    });

    it('processes claiming batches at the same time split the entries without overlap', async () => {
      const database = await backend.freshDatabase();
      const ids = await seeded(database, 600);
      const claims = await runTogether([1, 2, 3].map(() => start(database.url, T0, 'batch', 2)));
      expectNoOverlap(claims, ids);
    });

    it('processes racing for the same ids one by one each win a disjoint set', async () => {
      const database = await backend.freshDatabase();
      const ids = await seeded(database, 400);
      const claims = await runTogether([1, 2, 3].map(() => start(database.url, T0, 'each', ids.length)));
      expectNoOverlap(claims, ids);
    });

    it('an entry in flight in a process killed with SIGKILL is claimable again after its lease, still uncertain', async () => {
      const database = await backend.freshDatabase();
      const [id] = await seeded(database, 1);
      const leaseMs = 30_000;
      const worker = start(database.url, T0, 'hang', id!, leaseMs);
      await worker.ready;
      worker.go();
      expect(await worker.claimed).toEqual([id]);
      const exited = new Promise((resolve) => worker.child.once('exit', resolve));
      worker.child.kill('SIGKILL');
      await exited;

      const store = await database.open();
      expect(await store.getOutboxEntry(id!)).toMatchObject({ status: 'in_flight', uncertain: true, attempts: 1 });
      expect(await store.claimOutboxEntries(new Date(T0.getTime() + leaseMs - 1), 10, leaseMs)).toEqual([]);
      const [again] = await store.claimOutboxEntries(new Date(T0.getTime() + leaseMs), 10, leaseMs);
      expect(again).toMatchObject({ id, status: 'in_flight', uncertain: true, attempts: 2 });
    });

    it('a process whose lease ran out and whose entry was claimed again cannot write it any more (fencing)', async () => {
      const database = await backend.freshDatabase();
      const [id] = await seeded(database, 1);
      const leaseMs = 30_000;
      const worker = start(database.url, T0, 'stale', id!, leaseMs);
      await worker.ready;
      worker.go();
      const store = await database.open();
      try {
        await expect.poll(async () => (await store.getOutboxEntry(id!))?.attempts, { timeout: 5000 }).toBe(1);
        const later = new Date(T0.getTime() + leaseMs);
        const again = await store.claimOutboxEntry(id!, later, leaseMs);
        expect(again).toMatchObject({ attempts: 2 });
        // The stale holder's uncertain mark, reschedule and rejection are all refused.
        expect(await worker.claimed).toEqual([0, 0, 0]);
        expect(await store.getOutboxEntry(id!)).toMatchObject({ status: 'in_flight', attempts: 2, uncertain: false, lastError: null });
        // The current holder's writes still count.
        expect(await store.markOutboxUncertain(again!, later)).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
}
