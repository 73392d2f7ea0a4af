/**
 * Through both emulators over HTTP: after a check-in a reminder row's details are the check-in's
 * (value, last check-in, confidence — never the stale ones), and a check-in made from Slack by one
 * owner of a key result shows at once on the same row in its co-owners' reminder DMs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { REMINDER_ACTION } from '../../src/slack/blocks/reminder-message.js';
import { eventually, type Harness } from '../support/harness.js';
import { at, dms, GT, KR, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Message = NonNullable<ReturnType<Harness['slack']['message']>>;

/** The row block (its section) of the key result named `name`. */
function rowOf(message: Message | undefined, name: string): string {
  return text({ blocks: (message?.blocks ?? []).filter((b) => b.block_id?.startsWith('row_') && !b.block_id.startsWith('row_actions_') && text({ blocks: [b] }).includes(name)) });
}

/** Checks in through the row's own Check in button and the modal it opens. */
async function checkInFromRow(h: Harness, slackUserId: string, dm: Message, metricId: string, value: string, confidence?: string) {
  const row = dm.blocks.find((b) => b.block_id?.startsWith('row_actions_') && JSON.stringify(b).includes(metricId))!;
  await h.slack.clickButton(slackUserId, { channelId: dm.channel, ts: dm.ts }, ACTION.openCheckIn, { blockId: row.block_id!, value: metricId });
  const form = await eventually(() => {
    const v = h.slack.openViews(slackUserId).at(-1);
    return v && v.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
  }, 5000, 'the check-in form with the key result chosen');
  h.slack.setViewValue(slackUserId, form.id, BLOCK.value, ACTION.value, value);
  if (confidence !== undefined) h.slack.setViewValue(slackUserId, form.id, BLOCK.confidence, ACTION.confidence, { value: confidence });
  await h.slack.submitView(slackUserId, form.id);
}

describe('a reminder row after a check-in', () => {
  it('shows the check-in’s confidence and date, not the ones from before (checked in 42 → 48)', async () => {
    const started = await startReminderHarness(at('2026-11-30T01:00:00Z'));
    const { h } = started;
    harness = h;
    const osaka = h.gtmhub.state.metrics.find((m) => m.id === KR.tokyoOld)!;
    osaka.confidence = { value: 0.3, date: '2026-11-25T03:00:00Z', userId: GT.tokyo };
    await h.server.services.reminders.runPass('test');
    const dm = dms(h, SLACK.tokyo)[0]!;
    expect(rowOf(dm, 'Open the Osaka office')).toContain('42% · 42 of 100 · confidence 0.3 · last check-in 4 days ago');

    await checkInFromRow(h, SLACK.tokyo, dm, KR.tokyoOld, '48', '0.8');
    const updated = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('Checked in 42 → *48*') ? m : undefined;
    }, 5000, 'the checked-in row');
    const row = rowOf(updated, 'Open the Osaka office');
    expect(row).toContain('48% · 48 of 100 · confidence 0.8 · last check-in just now');
    expect(row).not.toContain('confidence 0.3');
    expect(row).not.toContain('4 days ago');
    expect(osaka.confidence?.value).toBe(0.8);
  });

  it('leaves the confidence out when the check-in had none, rather than showing the old one', async () => {
    const started = await startReminderHarness(at('2026-11-30T01:00:00Z'));
    const { h } = started;
    harness = h;
    h.gtmhub.state.metrics.find((m) => m.id === KR.tokyoOld)!.confidence = { value: 0.3, date: '2026-11-25T03:00:00Z', userId: GT.tokyo };
    await h.server.services.reminders.runPass('test');
    const dm = dms(h, SLACK.tokyo)[0]!;
    const outcome = await h.server.services.checkins.submit({
      slackUserId: SLACK.tokyo,
      slackDisplayName: 'kenji',
      metricId: KR.tokyoOld,
      actual: 64,
      confidence: null,
      comment: 'Lease signed',
      idempotencyKey: 'test:no-confidence',
      origin: 'modal',
      reminderId: null,
    });
    expect(outcome.status).toBe('delivered');
    const updated = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('Checked in 42 → *64*') ? m : undefined;
    }, 5000, 'the checked-in row');
    const row = rowOf(updated, 'Open the Osaka office');
    expect(row).toContain('64% · 64 of 100 · last check-in just now');
    expect(row).not.toContain('confidence');
  });
});

describe('a co-owned key result checked in from Slack', () => {
  /** "Open the Osaka office" is owned by Kenji (Tokyo) and Bea (Berlin); both get their reminder. */
  async function coOwned(confidence?: number) {
    const started = await startReminderHarness(at('2026-11-30T01:00:00Z'));
    const { h, clock } = started;
    harness = h;
    const osaka = h.gtmhub.state.metrics.find((m) => m.id === KR.tokyoOld)!;
    osaka.ownerIds = [GT.tokyo, GT.berlin];
    if (confidence !== undefined) osaka.confidence = { value: confidence, date: '2026-11-25T03:00:00Z', userId: GT.tokyo };
    await h.server.services.reminders.runPass('test'); // 10:00 Tokyo
    clock.set('2026-11-30T09:00:00Z'); // 10:00 Berlin
    await h.server.services.reminders.runPass('test');
    const tokyo = dms(h, SLACK.tokyo)[0]!;
    const berlin = dms(h, SLACK.berlin)[0]!;
    expect(text(tokyo)).toContain('Open the Osaka office');
    expect(text(berlin)).toContain('Open the Osaka office');
    return { ...started, tokyo, berlin };
  }

  function updatesOf(h: Harness, message: Message) {
    return h.slack.callsTo('chat.update').filter((c) => (c.args as { ts?: string }).ts === message.ts);
  }

  it('updates the co-owner’s DM in place: already checked in by whom and when, the new value, no buttons', async () => {
    const { h, tokyo, berlin } = await coOwned();
    await checkInFromRow(h, SLACK.berlin, berlin, KR.tokyoOld, '48', '0.7');
    await eventually(() => text(h.slack.message(berlin.channel, berlin.ts)).includes('Checked in 42 → *48*'), 5000, 'Bea’s own row');

    const kenji = await eventually(() => {
      const m = h.slack.message(tokyo.channel, tokyo.ts);
      return text(m).includes('Already checked in by Bea Braun') ? m : undefined;
    }, 5000, 'Kenji’s row of the co-owned key result');
    const row = rowOf(kenji, 'Open the Osaka office');
    expect(row).toContain('Already checked in by Bea Braun, Mon 18:00'); // 09:00 UTC in Kenji's Tokyo
    expect(row).toContain('48% · 48 of 100 · confidence 0.7 · last check-in just now');
    expect(row).not.toContain('42% · 42 of 100');
    // Its buttons are gone; Kenji's other row keeps its own.
    const actions = kenji.blocks.filter((b) => b.block_id?.startsWith('row_actions_'));
    expect(actions).toHaveLength(1);
    expect(JSON.stringify(actions)).not.toContain(KR.tokyoOld);
    expect(text(kenji)).toContain('*1 key result is still due for a check-in*');
    // One chat.update per message that changed.
    await h.server.services.checkins.notificationsSettled();
    expect(updatesOf(h, tokyo)).toHaveLength(1);
    expect(updatesOf(h, berlin)).toHaveLength(1);
  });

  it('shows a No change from the co-owner’s reminder too, and opens the row again when the check-in is undone', async () => {
    const { h, tokyo, berlin } = await coOwned(0.3);
    const row = berlin.blocks.find((b) => b.block_id?.startsWith('row_actions_') && JSON.stringify(b).includes(KR.tokyoOld))!;
    await h.slack.clickButton(SLACK.berlin, { channelId: berlin.channel, ts: berlin.ts }, REMINDER_ACTION.noChange, { blockId: row.block_id! });
    const kenji = await eventually(() => {
      const m = h.slack.message(tokyo.channel, tokyo.ts);
      return text(m).includes('Already checked in by Bea Braun') ? m : undefined;
    }, 5000, 'Kenji’s row of the co-owned key result');
    // "No change" records the value and the confidence the key result had, dated now.
    expect(rowOf(kenji, 'Open the Osaka office')).toContain('42% · 42 of 100 · confidence 0.3 · last check-in just now');
    await h.server.slack.inFlight.drain(5000);
    await h.server.services.checkins.notificationsSettled();
    const bea = rowOf(h.slack.message(berlin.channel, berlin.ts), 'Open the Osaka office');
    expect(bea).toContain('No change (42)');
    expect(bea).toContain('42% · 42 of 100 · confidence 0.3 · last check-in just now');

    // Bea undoes her check-in: Kenji's row is due again, with its buttons.
    let entry = null;
    for (let id = 1; id < 10 && !entry; id++) {
      const found = await h.server.services.store.getOutboxEntry(id);
      if (found?.metricId === KR.tokyoOld) entry = found;
    }
    await h.server.services.checkinFollowUps.undo(SLACK.berlin, entry!.id);
    const reopened = await eventually(() => {
      const m = h.slack.message(tokyo.channel, tokyo.ts);
      return m && !text(m).includes('Already checked in') ? m : undefined;
    }, 5000, 'Kenji’s row open again');
    expect(reopened.blocks.filter((b) => b.block_id?.startsWith('row_actions_'))).toHaveLength(2);
    expect(text(reopened)).toContain('*2 key results are due for a check-in*');
  });

  it('records the check-in even when the co-owner’s DM cannot be updated', async () => {
    const started = await startReminderHarness(at('2026-11-30T01:00:00Z'));
    const { h } = started;
    harness = h;
    h.gtmhub.state.metrics.find((m) => m.id === KR.tokyoOld)!.ownerIds = [GT.tokyo, GT.berlin];
    await h.server.services.reminders.runPass('test'); // only Kenji's reminder so far
    const tokyo = dms(h, SLACK.tokyo)[0]!;
    h.slack.failNext('chat.update', 'message_not_found');
    const outcome = await h.server.services.checkins.submit({
      slackUserId: SLACK.berlin,
      slackDisplayName: 'bea',
      metricId: KR.tokyoOld,
      actual: 50,
      confidence: null,
      comment: '',
      idempotencyKey: 'test:co-owner-update-fails',
      origin: 'modal',
      reminderId: null,
    });
    expect(outcome.status).toBe('delivered');
    expect(h.gtmhub.state.metrics.find((m) => m.id === KR.tokyoOld)!.actual).toBe(50);
    await h.server.services.checkins.notificationsSettled();
    await eventually(() => h.slack.callsTo('chat.update').some((c) => !c.ok), 5000, 'the failed chat.update of Kenji’s DM');
    const [item] = await h.server.services.store.findOpenReminderItems(SLACK.tokyo, KR.tokyoOld, new Date('2026-11-30T01:00:00Z'));
    expect(item?.outcome).toMatchObject({ kind: 'already_checked_in', by: 'Bea Braun', value: 50 });
    expect(text(h.slack.message(tokyo.channel, tokyo.ts))).not.toContain('Already checked in'); // the update that failed
    expect(h.logs.join('')).toContain('could not update a reminder message');
  });
});
