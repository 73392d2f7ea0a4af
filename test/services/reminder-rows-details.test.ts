/**
 * ReminderRows on a real (SQLite) store: a landed check-in's date and confidence stay on the row
 * whichever of its two tellings (its delivery, the reminder button that made it) comes last; the
 * account's confidence labels name it; co-owners' rows hear of it in one update per message.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { ConfidenceScale } from '../../src/gtmhub/confidence-scale.js';
import { createLogger } from '../../src/logger.js';
import type { ReminderMessage } from '../../src/services/reminders/ports.js';
import { ReminderRows } from '../../src/services/reminders/reminder-rows.js';
import { reminderMessage } from '../../src/slack/blocks/reminder-message.js';
import type { NewReminderClaim, ReminderOutcome } from '../../src/store/reminder-store.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { OutboxEntry } from '../../src/store/store.js';

const NOW = new Date('2026-11-30T09:00:00Z');
const KR = 'b'.repeat(24);
const stores: SqliteStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) void store.close();
});

function claim(slackUserId: string): NewReminderClaim {
  return {
    slackUserId,
    gtmhubUserId: slackUserId.toLowerCase().padEnd(24, '0'),
    slotKey: '2026-11-30',
    kind: 'period',
    periodKey: '2026-11-30',
    periodStart: new Date('2026-11-29T23:00:00Z'),
    periodEnd: new Date('2026-12-06T23:00:00Z'),
    timeZone: 'Europe/Berlin',
    followUpAt: null,
    items: [
      {
        metricId: KR,
        position: 0,
        snapshot: { name: 'Hire 3 engineers', goalName: 'Grow', url: null, initialValue: 0, target: 100, actual: 42, targetOperator: 'at_least', format: null, lastCheckInDate: '2026-11-02T10:00:00Z', dueDate: null, dueSoon: false, confidence: '0.3' },
      },
      // Another row still open, so the message keeps showing every row's details.
      {
        metricId: 'c'.repeat(24),
        position: 1,
        snapshot: { name: 'Open an office', goalName: 'Grow', url: null, initialValue: 0, target: 10, actual: 1, targetOperator: 'at_least', format: null, lastCheckInDate: null, dueDate: null, dueSoon: false },
      },
    ],
  };
}

function entry(fields: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: 1,
    idempotencyKey: 'k',
    slackUserId: 'UBEA',
    gtmhubUserId: 'ubea'.padEnd(24, '0'),
    metricId: KR,
    actual: 42,
    confidence: 0.8,
    comment: 'No change\n\n— checked in from Slack by Bea Braun (kr-checkin 0123456789)',
    submittedAt: new Date('2026-11-30T08:59:00Z'),
    status: 'delivered',
    attempts: 1,
    nextAttemptAt: NOW,
    leaseUntil: null,
    lastError: null,
    uncertain: false,
    snapshotId: 's1',
    deliveredAt: NOW,
    origin: 'reminder',
    reminderId: 1,
    context: {},
    ...fields,
  };
}

async function setup(options: { scale?: ConfidenceScale; failUpdates?: boolean } = {}) {
  const store = SqliteStore.open(':memory:');
  stores.push(store);
  const updates: Array<{ channel: string; message: ReminderMessage }> = [];
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }) });
  const rows = new ReminderRows({
    store,
    clock: fixedClock(NOW),
    logger,
    messenger: {
      updateReminder: async (channel, _ts, message) => {
        if (options.failUpdates && channel !== 'DBEA') throw new Error('message_not_found');
        updates.push({ channel, message });
      },
    },
    ...(options.scale ? { confidenceScale: { known: () => options.scale! } } : {}),
  });
  const ids: Record<string, number> = {};
  for (const [user, channel] of [['UBEA', 'DBEA'], ['UKEN', 'DKEN'], ['ULUIS', 'DLUIS']] as const) {
    const result = await store.claimReminder(claim(user), NOW, 60_000);
    if (!result.claimed) throw new Error('expected a claim');
    await store.markReminderSent(result.reminder.id, result.reminder.claimToken!, channel, `1.${user}`, NOW);
    ids[user] = result.reminder.id;
  }
  const rowText = async (user: string) => {
    const reminder = (await store.getReminder(ids[user]!))!;
    return JSON.stringify(reminderMessage({ reminder, items: await store.listReminderItems(reminder.id), now: NOW }).blocks);
  };
  return { store, rows, updates, ids, rowText, lines };
}

describe('reminder rows after a check-in', () => {
  it('keeps the check-in’s date and confidence when the button that made it settles the row afterwards', async () => {
    const { store, rows, ids, rowText } = await setup();
    await rows.checkInDelivered(entry(), null);
    const reminder = (await store.getReminder(ids.UBEA!))!;
    await rows.settle(reminder, KR, { kind: 'no_change', value: 42 });
    expect((await store.listReminderItems(reminder.id)).find((i) => i.metricId === KR)!.outcome).toEqual({ kind: 'no_change', value: 42, at: '2026-11-30T08:59:00.000Z', confidence: '0.8' });
    expect(await rowText('UBEA')).toContain('42% · 42 of 100 · confidence 0.8 · last check-in 1 minute ago');
  });

  it('takes the check-in’s details when its delivery is told after the button settled the row', async () => {
    const { store, rows, ids, rowText } = await setup();
    const reminder = (await store.getReminder(ids.UBEA!))!;
    await rows.settle(reminder, KR, { kind: 'no_change', value: 42 });
    // Until then the row shows when it was acted on, and no confidence rather than the old one.
    expect(await rowText('UBEA')).toContain('42% · 42 of 100 · last check-in just now');
    await rows.checkInDelivered(entry(), null);
    expect(await rowText('UBEA')).toContain('42% · 42 of 100 · confidence 0.8 · last check-in 1 minute ago');
  });

  it('names the confidence by the account’s own label', async () => {
    const scale: ConfidenceScale = { kind: 'labels', source: 'account', levels: [{ label: 'Shaky', value: 0.25, from: 0, to: 0.5 }, { label: 'Solid', value: 0.8, from: 0.6, to: 1 }] };
    const { rows, rowText } = await setup({ scale });
    await rows.checkInDelivered(entry({ origin: 'modal', actual: 60 }), null);
    expect(await rowText('UBEA')).toContain('60% · 60 of 100 · confidence Solid · last check-in 1 minute ago');
    expect(await rowText('UKEN')).toContain('60% · 60 of 100 · confidence Solid · last check-in 1 minute ago');
  });

  it('updates each co-owner’s message once, leaves what they did themselves, and logs an update that failed', async () => {
    const { store, rows, ids, updates, rowText, lines } = await setup({ failUpdates: true });
    const skipped: ReminderOutcome = { kind: 'skipped' };
    await store.setReminderItemOutcome(ids.ULUIS!, KR, skipped, NOW);
    await rows.checkInDelivered(entry({ origin: 'modal', actual: 50 }), null);
    // Bea's own message was updated; Kenji's update failed (logged), Luis's skip stays his.
    expect(updates.map((u) => u.channel)).toEqual(['DBEA']);
    expect(lines.join('')).toContain('could not update a reminder message');
    expect((await store.listReminderItems(ids.UKEN!)).find((i) => i.metricId === KR)!.outcome).toEqual({
      kind: 'already_checked_in',
      at: '2026-11-30T08:59:00.000Z',
      by: 'Bea Braun',
      bySlackUserId: 'UBEA',
      value: 50,
      confidence: '0.8',
    });
    expect(await rowText('UKEN')).toContain('Already checked in by Bea Braun');
    expect((await store.listReminderItems(ids.ULUIS!)).find((i) => i.metricId === KR)!.outcome).toEqual(skipped);
  });
});
