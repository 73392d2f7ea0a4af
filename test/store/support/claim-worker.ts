/**
 * A separate OS process holding its own connection to a store, for the tests that need real
 * concurrency (better-sqlite3 is synchronous, so two stores in one process never race) and for
 * replicas of a PostgreSQL store. <databaseUrl> is a DATABASE_URL: file:PATH or postgres://….
 *
 *   node --import tsx claim-worker.ts <databaseUrl> <nowIso> batch <limit>   claim batches until none is left
 *   node --import tsx claim-worker.ts <databaseUrl> <nowIso> each <maxId>    try to claim ids 1..maxId one by one
 *   node --import tsx claim-worker.ts <databaseUrl> <nowIso> hang <id> <leaseMs>  claim, mark uncertain, wait to be killed
 *   node --import tsx claim-worker.ts <databaseUrl> <nowIso> stale <id> <leaseMs> claim, wait until another process claimed the
 *     entry again, then try every fenced write with the stale claim; prints [uncertain, rescheduled, rejected] as 1 (written) or 0
 *
 * Prints "ready" once open, waits for a line on stdin before starting (so that workers start together),
 * then prints one JSON line with the claimed ids.
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../../src/store/open-store.js';

const [databaseUrl, nowIso, mode, arg1, arg2] = process.argv.slice(2);
if (!databaseUrl || !nowIso || !mode || !arg1) throw new Error('usage: claim-worker.ts <databaseUrl> <nowIso> <mode> <arg> [arg]');
const now = new Date(nowIso);
const store = await openStore(databaseUrl, { poolSize: 2 });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

const claimed: number[] = [];
if (mode === 'batch') {
  for (;;) {
    const batch = await store.claimOutboxEntries(now, Number(arg1), 60_000);
    if (batch.length === 0) break;
    claimed.push(...batch.map((e) => e.id));
  }
} else if (mode === 'each') {
  for (let id = 1; id <= Number(arg1); id++) {
    const entry = await store.claimOutboxEntry(id, now, 60_000);
    if (entry) claimed.push(entry.id);
  }
} else if (mode === 'hang') {
  const entry = await store.claimOutboxEntry(Number(arg1), now, Number(arg2));
  if (entry) {
    await store.markOutboxUncertain(entry, now);
    claimed.push(entry.id);
  }
  process.stdout.write(`${JSON.stringify(claimed)}\n`);
  setInterval(() => {}, 60_000);
} else if (mode === 'stale') {
  const entry = await store.claimOutboxEntry(Number(arg1), now, Number(arg2));
  if (!entry) throw new Error('stale: could not claim');
  process.stdout.write('claimed\n');
  while (((await store.getOutboxEntry(entry.id))?.attempts ?? 0) <= entry.attempts) await new Promise((r) => setTimeout(r, 20));
  const written = [
    await store.markOutboxUncertain(entry, now),
    await store.rescheduleOutboxEntry(entry, now, 'stale holder', false),
    await store.markOutboxRejected(entry, 'stale holder', now),
  ];
  claimed.push(...written.map((w) => (w ? 1 : 0)));
} else {
  throw new Error(`unknown mode ${mode}`);
}
if (mode !== 'hang') {
  process.stdout.write(`${JSON.stringify(claimed)}\n`);
  await store.close();
}
