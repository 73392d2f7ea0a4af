import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewReminderClaim } from '../../src/store/reminder-store.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** Two connections to one database file: what two processes (replicas) would have. */
function twoConnections(): [SqliteStore, SqliteStore] {
  const file = join(mkdtempSync(join(tmpdir(), 'kr-reminders-')), 'store.db');
  const a = SqliteStore.open(file);
  const b = SqliteStore.open(file);
  stores.push(a, b);
  return [a, b];
}

const NOW = new Date('2026-11-30T09:00:00Z');
const LEASE = 60_000;

function claim(overrides: Partial<NewReminderClaim> = {}): NewReminderClaim {
  return {
    slackUserId: 'U1',
    gtmhubUserId: 'a'.repeat(24),
    slotKey: '2026-11-30',
    kind: 'period',
    periodKey: '2026-11-30',
    periodStart: new Date('2026-11-29T23:00:00Z'),
    periodEnd: new Date('2026-12-06T23:00:00Z'),
    timeZone: 'Europe/Berlin',
    followUpAt: new Date('2026-12-01T07:00:00Z'),
    items: [
      {
        metricId: 'b'.repeat(24),
        position: 0,
        snapshot: { name: 'KR', goalName: 'Goal', url: null, initialValue: 0, target: 10, actual: 4, targetOperator: 'at_least', format: null, lastCheckInDate: null, dueDate: null, dueSoon: false },
      },
    ],
    ...overrides,
  };
}

describe('reminder claims (compare-and-set in SQL)', () => {
  it('gives a (person, period) to exactly one of two connections', async () => {
    const [a, b] = twoConnections();
    const results = await Promise.all([a.claimReminder(claim(), NOW, LEASE), b.claimReminder(claim(), NOW, LEASE)]);
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const lost = results.find((r) => !r.claimed)!;
    expect(!lost.claimed && lost.existing.status).toBe('claimed');
    // Another period of the same person is its own claim.
    expect((await b.claimReminder(claim({ slotKey: '2026-12-07', periodKey: '2026-12-07' }), NOW, LEASE)).claimed).toBe(true);
  });

  it('lets a claim be taken over only after its lease, and only the holder records the post', async () => {
    const [a, b] = twoConnections();
    const first = await a.claimReminder(claim(), NOW, LEASE);
    if (!first.claimed) throw new Error('expected a claim');
    expect(first.reminder.itemCount).toBe(1);
    expect((await b.claimReminder(claim(), new Date(NOW.getTime() + LEASE - 1), LEASE)).claimed).toBe(false);
    const second = await b.claimReminder(claim(), new Date(NOW.getTime() + LEASE), LEASE);
    if (!second.claimed) throw new Error('expected the takeover');
    expect(second.reminder.attempts).toBe(2);
    expect(second.reminder.itemCount).toBe(1);
    // The presumed-dead first worker comes back: its token no longer counts.
    expect(await a.markReminderSent(first.reminder.id, first.reminder.claimToken!, 'D1', '1.1', NOW)).toBe(false);
    expect(await b.markReminderSent(second.reminder.id, second.reminder.claimToken!, 'D1', '1.2', NOW)).toBe(true);
    const sent = await a.getReminder(second.reminder.id);
    expect(sent).toMatchObject({ status: 'sent', channelId: 'D1', ts: '1.2', leaseUntil: null });
    // A sent reminder is never claimed again, however late.
    const late = await a.claimReminder(claim(), new Date(NOW.getTime() + 10 * LEASE), LEASE);
    expect(late.claimed).toBe(false);
  });

  it('releases a transient failure for the next pass, keeps a permanent one', async () => {
    const [a] = twoConnections();
    const first = await a.claimReminder(claim(), NOW, LEASE);
    if (!first.claimed) throw new Error('expected a claim');
    await a.releaseReminderClaim(first.reminder.id, first.reminder.claimToken!, 'timeout', NOW);
    const again = await a.claimReminder(claim(), NOW, LEASE);
    if (!again.claimed) throw new Error('expected the claim to be free again');
    await a.markReminderFailed(again.reminder.id, again.reminder.claimToken!, 'user_disabled');
    const after = await a.claimReminder(claim(), new Date(NOW.getTime() + 10 * LEASE), LEASE);
    expect(!after.claimed && after.existing.status).toBe('failed');
  });

  it('hands a follow-up to one worker, and counts rows acted on', async () => {
    const [a, b] = twoConnections();
    const first = await a.claimReminder(claim(), NOW, LEASE);
    if (!first.claimed) throw new Error('expected a claim');
    expect(await a.claimFollowUp(first.reminder.id, NOW, LEASE)).toBe(false); // not sent yet
    await a.markReminderSent(first.reminder.id, first.reminder.claimToken!, 'D1', '1.1', NOW);
    const both = await Promise.all([a.claimFollowUp(first.reminder.id, NOW, LEASE), b.claimFollowUp(first.reminder.id, NOW, LEASE)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    await a.finishFollowUp(first.reminder.id, 'sent', '1.5');
    expect(await b.claimFollowUp(first.reminder.id, new Date(NOW.getTime() + 10 * LEASE), LEASE)).toBe(false);

    await b.setReminderItemOutcome(first.reminder.id, 'b'.repeat(24), { kind: 'skipped' }, NOW);
    const read = await a.getReminder(first.reminder.id);
    expect(read).toMatchObject({ itemCount: 1, actedCount: 1, followUpStatus: 'sent', followUpTs: '1.5' });
    expect(await a.findOpenReminderItems('U1', 'b'.repeat(24), NOW)).toEqual([expect.objectContaining({ outcome: { kind: 'skipped' } })]);
    expect(await a.findOpenReminderItems('U1', 'b'.repeat(24), new Date('2026-12-07T00:00:00Z'))).toEqual([]);
  });

  it('keeps settings, mutes and the pass bookkeeping', async () => {
    const [a] = twoConnections();
    await a.putReminderSettings({ slackUserId: 'U1', enabled: true, days: [4, 1, 1], minutes: 570, updatedAt: NOW });
    expect(await a.getReminderSettings('U1')).toMatchObject({ days: [1, 4], minutes: 570, enabled: true });
    await a.putReminderMute({ slackUserId: 'U1', metricId: 'm1', kind: 'snooze', periodKey: 'p', until: NOW, createdAt: NOW });
    await a.putReminderMute({ slackUserId: 'U1', metricId: 'm2', kind: 'skip', periodKey: 'p', until: null, createdAt: NOW });
    expect(await a.deleteEndedSnoozes('U1', ['m1', 'm2'], NOW)).toBe(1);
    expect((await a.listReminderMutes('U1')).map((m) => m.metricId)).toEqual(['m2']);

    await a.setNextReminderPass(new Date('2026-12-01T00:00:00Z'), false);
    await a.setNextReminderPass(new Date('2026-12-02T00:00:00Z'), true);
    expect((await a.getReminderPassState()).nextPassAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    await a.setNextReminderPass(new Date('2026-11-30T10:00:00Z'), true);
    expect((await a.getReminderPassState()).nextPassAt?.toISOString()).toBe('2026-11-30T10:00:00.000Z');

    for (let i = 0; i < 5; i++) await a.recordReminderPass({ trigger: `t${i}`, startedAt: NOW, finishedAt: NOW, report: { sent: i } }, 3);
    expect((await a.lastReminderPass())?.report).toEqual({ sent: 4 });
  });
});
