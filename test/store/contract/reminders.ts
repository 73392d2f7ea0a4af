import { describe, expect, it } from 'vitest';
import type { NewReminderClaim } from '../../../src/store/reminder-store.js';
import type { Store } from '../../../src/store/store.js';
import type { StoreBackend } from './backend.js';

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

export function remindersContract(backend: StoreBackend): void {
  /** Two stores on one database: what two processes (replicas) would have. */
  async function twoConnections(): Promise<[Store, Store]> {
    const database = await backend.freshDatabase();
    return [await database.open(), await database.open()];
  }

  describe(`${backend.name} reminder claims (compare-and-set in SQL)`, () => {

    it('gives a (person, period) to exactly one of two connections', async () => {
      const [a, b] = await twoConnections();
      const results = await Promise.all([a.claimReminder(claim(), NOW, LEASE), b.claimReminder(claim(), NOW, LEASE)]);
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      const lost = results.find((r) => !r.claimed)!;
      expect(!lost.claimed && lost.existing.status).toBe('claimed');
      // Another period of the same person is its own claim.
      expect((await b.claimReminder(claim({ slotKey: '2026-12-07', periodKey: '2026-12-07' }), NOW, LEASE)).claimed).toBe(true);
    });

    it('lets a claim be taken over only after its lease, and only the holder records the post', async () => {
      const [a, b] = await twoConnections();
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
      const [a] = await twoConnections();
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
      const [a, b] = await twoConnections();
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

      // An undone skip (or check-in) reopens the row: no outcome, not counted as acted on.
      await b.setReminderItemOutcome(first.reminder.id, 'b'.repeat(24), null, NOW);
      expect(await a.getReminder(first.reminder.id)).toMatchObject({ itemCount: 1, actedCount: 0 });
      expect(await a.listReminderItems(first.reminder.id)).toEqual([expect.objectContaining({ outcome: null, actedAt: null })]);
    });

    it('keeps settings, mutes and the pass bookkeeping', async () => {
      const [a] = await twoConnections();
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

  describe(`${backend.name} reminder rows, batches and pruning`, () => {
    it('claims a batch in one go, results in the order asked, and records a batch of posts', async () => {
      const [a, b] = await twoConnections();
      const taken = await b.claimReminder(claim({ slackUserId: 'U2' }), NOW, LEASE);
      const results = await a.claimReminders([claim({ slackUserId: 'U3' }), claim({ slackUserId: 'U2' }), claim({ slackUserId: 'U1' })], NOW, LEASE);
      expect(results.map((r) => (r.claimed ? r.reminder.slackUserId : `lost:${r.existing.slackUserId}`))).toEqual(['U3', 'lost:U2', 'U1']);
      expect(await a.claimReminders([], NOW, LEASE)).toEqual([]);
      const [u3, , u1] = results.map((r) => (r.claimed ? r.reminder : null));
      if (!taken.claimed) throw new Error('expected a claim');
      const sent = await a.markRemindersSent(
        [
          { id: u3!.id, claimToken: u3!.claimToken!, channelId: 'D3', ts: '3.0' },
          { id: taken.reminder.id, claimToken: 'not-the-token', channelId: 'D2', ts: '2.0' },
          { id: u1!.id, claimToken: u1!.claimToken!, channelId: 'D1', ts: '1.0' },
        ],
        NOW,
      );
      expect(sent).toEqual([true, false, true]);
      expect(await a.markRemindersSent([], NOW)).toEqual([]);
      expect(await b.findReminder('U1', '2026-11-30')).toMatchObject({ status: 'sent', channelId: 'D1', ts: '1.0', sentAt: NOW });
      expect(await b.findReminder('U2', '2026-11-30')).toMatchObject({ status: 'claimed', channelId: null });
      expect(await b.findReminder('U9', '2026-11-30')).toBeNull();
    });

    it('keeps every field of a claim and its rows, replaces the rows on a take-over, and reads them in order', async () => {
      const [a] = await twoConnections();
      const snapshot = claim().items[0]!.snapshot;
      const items = [
        { metricId: 'm-b', position: 1, snapshot: { ...snapshot, name: 'second', format: { prefix: '$', fractionSize: 2 } } },
        { metricId: 'm-a', position: 0, snapshot: { ...snapshot, name: 'first' } },
      ];
      const first = await a.claimReminder(claim({ items }), NOW, LEASE);
      if (!first.claimed) throw new Error('expected a claim');
      expect(first.reminder).toEqual({
        id: expect.any(Number),
        slackUserId: 'U1',
        gtmhubUserId: 'a'.repeat(24),
        slotKey: '2026-11-30',
        kind: 'period',
        periodKey: '2026-11-30',
        periodStart: new Date('2026-11-29T23:00:00Z'),
        periodEnd: new Date('2026-12-06T23:00:00Z'),
        timeZone: 'Europe/Berlin',
        status: 'claimed',
        claimToken: expect.any(String),
        leaseUntil: new Date(NOW.getTime() + LEASE),
        attempts: 1,
        channelId: null,
        ts: null,
        sentAt: null,
        lastError: null,
        followUpAt: new Date('2026-12-01T07:00:00Z'),
        followUpStatus: null,
        followUpLeaseUntil: null,
        followUpTs: null,
        pageOffset: 0,
        createdAt: NOW,
        itemCount: 2,
        actedCount: 0,
      });
      expect(await a.listReminderItems(first.reminder.id)).toEqual([
        { reminderId: first.reminder.id, metricId: 'm-a', position: 0, snapshot: items[1]!.snapshot, outcome: null, actedAt: null },
        { reminderId: first.reminder.id, metricId: 'm-b', position: 1, snapshot: items[0]!.snapshot, outcome: null, actedAt: null },
      ]);
      await a.releaseReminderClaim(first.reminder.id, first.reminder.claimToken!, 'timeout', NOW);
      expect(await a.getReminder(first.reminder.id)).toMatchObject({ lastError: 'timeout', leaseUntil: NOW, status: 'claimed' });
      const again = await a.claimReminder(claim({ timeZone: 'Asia/Tokyo', followUpAt: null }), NOW, LEASE);
      if (!again.claimed) throw new Error('expected the claim to be free again');
      expect(again.reminder).toMatchObject({ id: first.reminder.id, timeZone: 'Asia/Tokyo', followUpAt: null, attempts: 2, itemCount: 1 });
      expect((await a.listReminderItems(first.reminder.id)).map((i) => i.metricId)).toEqual(['b'.repeat(24)]);
      await a.setReminderPage(first.reminder.id, 10.7);
      expect((await a.getReminder(first.reminder.id))?.pageOffset).toBe(10);
      await a.setReminderPage(first.reminder.id, -3);
      expect((await a.getReminder(first.reminder.id))?.pageOffset).toBe(0);
      expect(await a.getReminder(999_999)).toBeNull();
    });

    it('keeps an outcome with the time it was acted on, lists open reminders and prunes ended ones with their rows', async () => {
      const [a, b] = await twoConnections();
      const open = await a.claimReminder(claim(), NOW, LEASE);
      const ended = await a.claimReminder(
        claim({ slotKey: '2026-11-23', periodKey: '2026-11-23', periodStart: new Date('2026-11-22T23:00:00Z'), periodEnd: new Date('2026-11-29T23:00:00Z') }),
        NOW,
        LEASE,
      );
      if (!open.claimed || !ended.claimed) throw new Error('expected claims');
      const outcome = { kind: 'checked_in' as const, from: 4, to: 5.5, pending: true };
      await b.setReminderItemOutcome(open.reminder.id, 'b'.repeat(24), outcome, NOW);
      expect(await a.listReminderItems(open.reminder.id)).toEqual([expect.objectContaining({ outcome, actedAt: NOW })]);
      expect((await a.listOpenReminders(NOW)).map((r) => r.id)).toEqual([open.reminder.id]);
      expect((await a.listOpenReminders(new Date('2026-11-29T22:59:59.999Z'))).map((r) => r.id).sort((x, y) => x - y)).toEqual(
        [open.reminder.id, ended.reminder.id].sort((x, y) => x - y),
      );
      await a.putReminderMute({ slackUserId: 'U1', metricId: 'old-skip', kind: 'skip', periodKey: 'p', until: null, createdAt: new Date('2026-11-20T00:00:00Z') });
      await a.putReminderMute({ slackUserId: 'U1', metricId: 'old-snooze', kind: 'snooze', periodKey: 'p', until: new Date('2026-11-21T00:00:00Z'), createdAt: NOW });
      await a.putReminderMute({ slackUserId: 'U1', metricId: 'new-snooze', kind: 'snooze', periodKey: 'p', until: new Date('2026-12-21T00:00:00Z'), createdAt: NOW });
      expect(await a.pruneReminders(new Date('2026-11-30T00:00:00Z'))).toBe(1);
      expect(await a.getReminder(ended.reminder.id)).toBeNull();
      expect(await a.listReminderItems(ended.reminder.id)).toEqual([]);
      expect(await a.getReminder(open.reminder.id)).not.toBeNull();
      expect((await a.listReminderMutes()).map((m) => m.metricId)).toEqual(['new-snooze']);
    });

    it('finds a key result’s rows in everybody’s sent, open reminders, each with whose it is, details of outcomes kept', async () => {
      const [a, b] = await twoConnections();
      const kr = 'b'.repeat(24);
      const other = 'c'.repeat(24);
      const rowOf = (metricId: string, position: number) => ({ ...claim().items[0]!, metricId, position });
      const [u1, u2, u3, ended] = await a.claimReminders(
        [
          claim({ slackUserId: 'U1', items: [rowOf(other, 0), rowOf(kr, 1)] }),
          claim({ slackUserId: 'U2', gtmhubUserId: 'd'.repeat(24) }),
          claim({ slackUserId: 'U3', gtmhubUserId: 'e'.repeat(24) }), // claimed, never sent
          claim({ slackUserId: 'U4', slotKey: '2026-11-23', periodKey: '2026-11-23', periodStart: new Date('2026-11-22T23:00:00Z'), periodEnd: new Date('2026-11-29T23:00:00Z') }),
        ],
        NOW,
        LEASE,
      );
      if (!u1?.claimed || !u2?.claimed || !u3?.claimed || !ended?.claimed) throw new Error('expected four claims');
      for (const [i, r] of [u1, u2, ended].entries()) await a.markReminderSent(r.reminder.id, r.reminder.claimToken!, `D${i}`, `1.${i}`, NOW);
      const outcome = { kind: 'already_checked_in' as const, at: '2026-11-30T09:00:00.000Z', by: 'Bea Braun', bySlackUserId: 'U1', value: 48, confidence: null };
      await b.setReminderItemOutcome(u2.reminder.id, kr, outcome, NOW);

      const found = await b.findOpenReminderItemsOfKeyResult(kr, NOW);
      expect(found.map((i) => [i.slackUserId, i.reminderId, i.position])).toEqual([
        ['U1', u1.reminder.id, 1],
        ['U2', u2.reminder.id, 0],
      ]);
      expect(found[0]).toMatchObject({ metricId: kr, outcome: null, actedAt: null, snapshot: { name: 'KR' } });
      expect(found[1]!.outcome).toEqual(outcome);
      expect(found[1]!.actedAt?.toISOString()).toBe(NOW.toISOString());
      expect(await a.findOpenReminderItemsOfKeyResult(other, NOW)).toEqual([expect.objectContaining({ slackUserId: 'U1', reminderId: u1.reminder.id })]);
      expect(await a.findOpenReminderItemsOfKeyResult(kr, new Date('2026-12-07T00:00:00Z'))).toEqual([]);
    });

    it('replaces a mute, deletes one and lists everyone’s, settings of everyone included', async () => {
      const [a, b] = await twoConnections();
      await a.putReminderMute({ slackUserId: 'U1', metricId: 'm1', kind: 'skip', periodKey: 'p1', until: null, createdAt: NOW });
      const snooze = { slackUserId: 'U1', metricId: 'm1', kind: 'snooze' as const, periodKey: 'p2', until: new Date('2026-12-01T00:00:00Z'), createdAt: NOW };
      await b.putReminderMute(snooze);
      await a.putReminderMute({ ...snooze, slackUserId: 'U2' });
      expect(await a.listReminderMutes('U1')).toEqual([snooze]);
      expect(await a.listReminderMutes()).toHaveLength(2);
      expect(await a.deleteReminderMute('U1', 'm1')).toBe(true);
      expect(await a.deleteReminderMute('U1', 'm1')).toBe(false);
      expect(await a.deleteEndedSnoozes('U2', [], NOW)).toBe(0);

      const settings = { slackUserId: 'U1', enabled: false, days: [], minutes: 0, updatedAt: NOW };
      await a.putReminderSettings(settings);
      await a.putReminderSettings({ slackUserId: 'U2', enabled: true, days: [6, 0], minutes: 1439, updatedAt: NOW });
      expect(await b.getReminderSettings('U1')).toEqual(settings);
      expect(await b.getReminderSettings('U3')).toBeNull();
      expect((await b.listReminderSettings()).find((s) => s.slackUserId === 'U2')).toEqual({ slackUserId: 'U2', enabled: true, days: [0, 6], minutes: 1439, updatedAt: NOW });
      expect(await b.listReminderSettings()).toHaveLength(2);
    });

    it('reads a batch of people’s settings, mutes and open reminders in one call, and only theirs', async () => {
      const [a, b] = await twoConnections();
      const mine = await a.claimReminder(claim(), NOW, LEASE);
      const ended = await a.claimReminder(
        claim({ slotKey: '2026-11-23', periodKey: '2026-11-23', periodStart: new Date('2026-11-22T23:00:00Z'), periodEnd: new Date('2026-11-29T23:00:00Z') }),
        NOW,
        LEASE,
      );
      const others = await a.claimReminder(claim({ slackUserId: 'U3' }), NOW, LEASE);
      const theirs = await a.claimReminder(claim({ slackUserId: 'U2' }), NOW, LEASE);
      if (!mine.claimed || !ended.claimed || !others.claimed || !theirs.claimed) throw new Error('expected claims');
      const mute = { slackUserId: 'U1', metricId: 'm1', kind: 'skip' as const, periodKey: 'p1', until: null, createdAt: NOW };
      await a.putReminderMute(mute);
      await a.putReminderMute({ ...mute, slackUserId: 'U3' });
      const settings = { slackUserId: 'U2', enabled: true, days: [1, 4], minutes: 570, updatedAt: NOW };
      await a.putReminderSettings(settings);
      await a.putReminderSettings({ ...settings, slackUserId: 'U3' });

      const state = await b.reminderStateOf(['U1', 'U2', 'U9'], NOW);
      expect(state.settings).toEqual([settings]);
      expect(state.mutes).toEqual([mute]);
      expect(state.open.map((r) => r.id).sort((x, y) => x - y)).toEqual([mine.reminder.id, theirs.reminder.id].sort((x, y) => x - y));
      expect(state.open.find((r) => r.id === mine.reminder.id)).toEqual(await b.getReminder(mine.reminder.id));
      expect(await b.reminderStateOf([], NOW)).toEqual({ settings: [], mutes: [], open: [] });
    });

    it('keeps the pass state and the last passes', async () => {
      const [a] = await twoConnections();
      expect(await a.getReminderPassState()).toEqual({ nextPassAt: null, lastScanAt: null });
      expect(await a.lastReminderPass()).toBeNull();
      await a.setNextReminderPass(NOW, true);
      await a.setReminderScanned(new Date('2026-11-30T08:00:00Z'));
      expect(await a.getReminderPassState()).toEqual({ nextPassAt: NOW, lastScanAt: new Date('2026-11-30T08:00:00Z') });
      await a.setNextReminderPass(new Date('2026-12-30T00:00:00Z'), false);
      expect((await a.getReminderPassState()).nextPassAt).toEqual(new Date('2026-12-30T00:00:00Z'));
      const pass = { trigger: 'admin', startedAt: NOW, finishedAt: new Date(NOW.getTime() + 1500), report: { sent: 3, skipped: [{ reason: 'unmapped', count: 1 }] } };
      await a.recordReminderPass(pass, 10);
      expect(await a.lastReminderPass()).toEqual({ ...pass, id: expect.any(Number) });
    });
  });
}
