/**
 * Issue 13 item 6, through both emulators over HTTP: a reminder DM stays true. Its header reads
 * naturally and counts what was done by kind; a skip or a snooze can be undone from the DM; a
 * check-in shows its new value in the row's progress line; an undone check-in opens the row again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REMINDER_ACTION } from '../../src/slack/blocks/reminder-message.js';
import { eventually, type Harness } from '../support/harness.js';
import { fixedClock } from '../../src/clock.js';
import { at, dms, KR, reminderAccount, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function tokyoReminder() {
  const started = await startReminderHarness(at('2026-11-30T01:00:00Z'));
  harness = started.h;
  await started.h.server.services.reminders.runPass('test');
  const dm = dms(started.h, SLACK.tokyo)[0]!;
  return { ...started, dm, where: { channelId: dm.channel, ts: dm.ts } };
}

describe('a reminder DM stays true', () => {
  it('says how many are due since when, and undoes a skip from the DM', async () => {
    const { h, dm, where } = await tokyoReminder();
    expect(text(dm)).toContain('*2 key results are due for a check-in* since Mon 30 Nov.');
    expect(dm.text).toContain('2 key results are due for a check-in since Mon 30 Nov');

    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.skip, { blockId: 'row_actions_0' });
    const skipped = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('Skipped this period') ? m : undefined;
    }, 5000, 'the skipped row');
    expect(text(skipped)).toContain('*1 key result is still due for a check-in* since Mon 30 Nov (1 skipped).');
    expect(await h.server.services.store.listReminderMutes(SLACK.tokyo)).toHaveLength(1);

    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.undoMute, { blockId: 'row_0' });
    const reopened = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return m && m.blocks.some((b) => b.block_id === 'row_actions_0') ? m : undefined;
    }, 5000, 'the row open again');
    expect(text(reopened)).not.toContain('Skipped this period');
    expect(text(reopened)).toContain('*2 key results are due for a check-in*');
    expect(await h.server.services.store.listReminderMutes(SLACK.tokyo)).toEqual([]);
    expect(h.slack.callsTo('chat.update').every((c) => c.ok)).toBe(true);
  });

  it('shows a check-in’s new value in the progress line, and opens the row again when it is undone', async () => {
    const { h, dm } = await tokyoReminder();
    const outcome = await h.server.services.checkins.submit({
      slackUserId: SLACK.tokyo,
      slackDisplayName: 'tokyo',
      metricId: KR.tokyoOld,
      actual: 64,
      confidence: null,
      comment: 'Lease signed',
      idempotencyKey: 'test:undo-1',
      origin: 'modal',
      reminderId: null,
    });
    expect(outcome.status).toBe('delivered');
    const checked = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('Checked in 42 → *64*') ? m : undefined;
    }, 5000, 'the checked-in row');
    const row = text({ blocks: checked.blocks.filter((b) => b.block_id?.startsWith('row_') && text({ blocks: [b] }).includes('Open the Osaka office')) });
    expect(row).toContain('64% · 64 of 100');
    expect(row).not.toContain('42% · 42 of 100');
    expect(text(checked)).toContain('(1 checked in)');

    if (outcome.status !== 'delivered') throw new Error('expected a delivered check-in');
    await h.server.services.checkinFollowUps.undo(SLACK.tokyo, outcome.entry.id);
    const reopened = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return m && !text(m).includes('Checked in 42') ? m : undefined;
    }, 5000, 'the row open again');
    expect(text(reopened)).toContain('*2 key results are due for a check-in*');
    expect(reopened.blocks.filter((b) => b.block_id?.startsWith('row_actions_'))).toHaveLength(2);
  });

  it("shows each row's last confidence by the account's own label (issue 10 item 7)", async () => {
    const data = reminderAccount();
    data.account = { confidenceSettings: { confidenceType: 'labels', confidenceMapping: [{ name: 'Shaky', range: { from: 0, to: 5 } }, { name: 'Solid', range: { from: 6, to: 10 } }] } };
    const osaka = data.metrics.find((m) => m.id === KR.tokyoOld)!;
    osaka.confidence = { value: 0.8, date: '2026-11-25T03:00:00Z', userId: osaka.ownerIds[0]! };
    const clock = fixedClock(at('2026-11-30T01:00:00Z'));
    const started = await startReminderHarness(at('2026-11-30T01:00:00Z'), { clock, gtmhub: { data, now: () => clock.now() } });
    harness = started.h;
    await started.h.server.services.reminders.runPass('test');
    const dm = dms(started.h, SLACK.tokyo)[0]!;
    expect(text(dm)).toContain('42% · 42 of 100 · confidence Solid');
    expect(text(dm)).not.toContain('confidence 0.8');
  });
});
