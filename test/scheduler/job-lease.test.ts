import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { heldElsewhere, JobLeases } from '../../src/scheduler/job-lease.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { Store } from '../../src/store/store.js';
import { postgresBackend, sqliteBackend, type StoreBackend } from '../store/contract/index.js';

const logs: string[] = [];
const logger = createLogger({ level: 'debug', destination: new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }) });
const LEASE = { leaseMs: 400, renewEveryMs: 100 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  logs.length = 0;
});

function leaseSuite(backend: StoreBackend): void {
  describe.skipIf(!backend.available)(`job leases on ${backend.name}`, () => {
    let a: Store;
    let b: Store;
    const open = async () => {
      const database = await backend.freshDatabase();
      a = await database.open();
      b = await database.open();
    };

    it('runs a leased job on one replica while another replica ticks it, then lets the other take its turn', async () => {
      await open();
      const replicaA = new JobLeases(a, 'replica-a', systemClock, logger, LEASE);
      const replicaB = new JobLeases(b, 'replica-b', systemClock, logger, LEASE);
      let runs = 0;
      const work = async () => {
        runs++;
        await sleep(1000); // more than two leases long: only renewal keeps replica B out
        return 'done';
      };
      const first = replicaA.run('reminders', work);
      await sleep(50);
      expect(await replicaB.holderOf('reminders')).toBe('replica-a');
      const tries = [];
      for (let i = 0; i < 5; i++) {
        tries.push(await replicaB.run('reminders', work));
        await sleep(150);
      }
      expect(tries.every(heldElsewhere)).toBe(true);
      expect(await first).toBe('done');
      expect(runs).toBe(1);
      // Released at the end: replica B runs at once, without waiting for the lease to run out.
      expect(await replicaB.holderOf('reminders')).toBeNull();
      expect(await replicaB.run('reminders', async () => 'b ran')).toBe('b ran');
    });

    it('hands the job over when its holder stops renewing (a replica that died)', async () => {
      await open();
      // Replica A took the lease and died: nothing renews it.
      expect(await a.tryAcquireJobLease('reminders', 'replica-a', new Date(), LEASE.leaseMs)).toBe(true);
      const replicaB = new JobLeases(b, 'replica-b', systemClock, logger, LEASE);
      expect(heldElsewhere(await replicaB.run('reminders', async () => 'b ran'))).toBe(true);
      await sleep(LEASE.leaseMs + 50);
      expect(await replicaB.run('reminders', async () => 'b ran')).toBe('b ran');
    });

    it('releases the lease when the job fails', async () => {
      await open();
      const replicaA = new JobLeases(a, 'replica-a', systemClock, logger, LEASE);
      await expect(replicaA.run('summaries', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await replicaA.holderOf('summaries')).toBeNull();
    });

    it('the scheduler leases only fan-out jobs: the outbox runs on every replica at once', async () => {
      await open();
      let concurrent = 0;
      let most = 0;
      const job = (name: string, oneReplicaAtATime: boolean) => ({
        name,
        schedule: '0 0 1 1 *',
        oneReplicaAtATime,
        async run() {
          most = Math.max(most, ++concurrent);
          await sleep(200);
          concurrent--;
          return name;
        },
      });
      const schedulers = [a, b].map((store, i) => new Scheduler([job('reminders', true), job('outbox', false)], logger, new JobLeases(store, `replica-${i}`, systemClock, logger, LEASE)));
      const first = schedulers[0]!.runNow('reminders');
      await sleep(50);
      expect(await schedulers[1]!.isRunning('reminders')).toBe(true); // `/kr remind status` on the other replica
      expect(heldElsewhere(await schedulers[1]!.runExclusively('reminders', async () => 'an admin run'))).toBe(true);
      const reminders = await Promise.all([first, schedulers[1]!.runNow('reminders')]);
      expect(reminders.filter((r) => r === 'reminders')).toHaveLength(1);
      expect(reminders.filter(heldElsewhere)).toHaveLength(1);
      expect(most).toBe(1);
      const outbox = await Promise.all(schedulers.map((s) => s.runNow('outbox')));
      expect(outbox).toEqual(['outbox', 'outbox']);
      expect(most).toBe(2);
      expect(await schedulers[0]!.isRunning('reminders')).toBe(false);
      expect(await schedulers[1]!.runExclusively('reminders', async () => 'an admin run')).toBe('an admin run');
    });
  });
}

describe('JobLeases', () => {
  it('refuses a renewal interval that is not inside the lease', () => {
    expect(() => new JobLeases({} as Store, 'x', systemClock, logger, { leaseMs: 1000, renewEveryMs: 1000 })).toThrow(RangeError);
  });
});

leaseSuite(sqliteBackend());
leaseSuite(postgresBackend());
