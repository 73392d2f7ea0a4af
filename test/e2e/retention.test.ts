import { afterEach, describe, expect, it } from 'vitest';
import { smallAccount } from '../support/fixtures.js';
import { eventually, fixedClock, startHarness, type Harness } from '../support/harness.js';
import { newCheckIn } from '../store/support/temp-db.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const DAY = 86_400_000;

describe('retention job', () => {
  it('deletes finished check-ins once older than OUTBOX_RETENTION_DAYS, on the daily job, and keeps pending ones', async () => {
    const clock = fixedClock('2026-03-02T09:00:00.000Z');
    harness = await startHarness({ gtmhub: { data: smallAccount().data }, clock, env: { OUTBOX_RETENTION_DAYS: '7' } });
    const { store } = harness.server.services;
    // Bolt verifies its token at start; let that finish before the emulators close.
    await eventually(() => harness!.slack.callsTo('auth.test').length > 0, 5000, 'auth.test');
    const delivered = (await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'done' }), clock.now())).entry;
    const pending = (await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'waiting' }), clock.now())).entry;
    await store.markOutboxDelivered(delivered.id, 'snap', clock.now());

    clock.advance(6 * DAY);
    await harness.server.scheduler.runNow('retention');
    expect(await store.getOutboxEntry(delivered.id)).not.toBeNull();

    clock.advance(2 * DAY);
    expect(await harness.server.scheduler.runNow('retention')).toMatchObject({ checkin_outbox: 1 });
    expect(await store.getOutboxEntry(delivered.id)).toBeNull();
    expect(await store.getOutboxEntry(pending.id)).toMatchObject({ status: 'pending' });
  });
});
