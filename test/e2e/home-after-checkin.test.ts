/**
 * The App Home after a check-in lands: a modal opened from the Home tab closes back onto it, so the
 * person's Home is published again with what Gtmhub now holds — only theirs, once per burst.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REMINDER_ACTION } from '../../src/slack/blocks/reminder-message.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { eventually, type Harness } from '../support/harness.js';
import { at, dms, KR, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const publishesFor = (h: Harness, user: string) => h.slack.callsTo('views.publish').filter((c) => c.ok && c.args.user_id === user);
const publishedUsers = (h: Harness) => [...new Set(h.slack.callsTo('views.publish').map((c) => String(c.args.user_id)))];
/** Longer than the refresh's coalescing wait, so a publish that was going to come has come. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 2000));

/** The Home row (section text) of one key result. */
function rowOf(home: { blocks: unknown[] } | undefined, name: string): string {
  const section = (home?.blocks ?? []).find((b) => JSON.stringify(b).includes(name) && (b as { type?: string }).type === 'section');
  return JSON.stringify(section ?? null);
}

/** Berlin presses Check in on the Home row of "Hire 3 engineers" and submits `value`. */
async function checkInFromHome(h: Harness, value: string): Promise<void> {
  await h.slack.clickButton(SLACK.berlin, { home: true }, ACTION.openCheckIn, { blockId: `kr_row_${KR.berlinOld}`, value: KR.berlinOld });
  const form = await eventually(() => {
    const v = h.slack.openViews(SLACK.berlin).at(-1);
    return v && v.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
  }, 5000, 'the check-in form with the key result chosen');
  h.slack.setViewValue(SLACK.berlin, form.id, BLOCK.value, ACTION.value, value);
  await h.slack.submitView(SLACK.berlin, form.id);
}

describe('the App Home after a check-in', () => {
  it('checking in from the Home tab’s Check in button publishes that person’s Home again: the new value, no longer due', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    await h.slack.openHome(SLACK.berlin);
    const before = await eventually(() => (text(h.slack.homeView(SLACK.berlin)).includes('Hire 3 engineers') ? h.slack.homeView(SLACK.berlin) : undefined), 5000, 'the Home tab');
    expect(text(before)).toContain('*1* of 2 due for a check-in');
    expect(rowOf(before, 'Hire 3 engineers')).toContain(':large_orange_circle: *due for a check-in*');
    expect(rowOf(before, 'Hire 3 engineers')).toContain('42 of 100');
    const publishedBefore = publishesFor(h, SLACK.berlin).length;

    await checkInFromHome(h, '57');
    await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === KR.berlinOld), 5000, 'the check-in in Gtmhub');

    const after = await eventually(() => {
      const home = h.slack.homeView(SLACK.berlin);
      return text(home).includes('All 2 checked in this period') ? home : undefined;
    }, 5000, 'the Home published again');
    const row = rowOf(after, 'Hire 3 engineers');
    expect(row).toContain('57 of 100');
    expect(row).not.toContain('due for a check-in');
    expect(row).toContain(':white_check_mark: checked in this period');
    expect(text(after)).not.toContain('of 2 due for a check-in');

    await quiet();
    // Only the person who checked in, and once for this check-in.
    expect(publishesFor(h, SLACK.berlin).length - publishedBefore).toBe(1);
    expect(publishedUsers(h)).toEqual([SLACK.berlin]);
  }, 20_000);

  it('a confirmation DM sent again (Slack refused it the first time) does not publish the Home again', async () => {
    const { h, clock } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    await h.slack.openHome(SLACK.berlin);
    await eventually(() => h.slack.homeView(SLACK.berlin), 5000, 'the Home tab');
    const publishedBefore = publishesFor(h, SLACK.berlin).length;

    h.slack.failNext('chat.postMessage', 'internal_error');
    await checkInFromHome(h, '57');
    await eventually(() => (text(h.slack.homeView(SLACK.berlin)).includes('All 2 checked in this period') ? true : undefined), 5000, 'the Home published again');
    await h.server.services.checkins.notificationsSettled();
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.ok && c.args.channel === SLACK.berlin)).toHaveLength(0);

    clock.set('2026-11-30T10:00:00Z');
    await h.server.services.checkins.runOutbox();
    await h.server.services.checkins.notificationsSettled();
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.ok && c.args.channel === SLACK.berlin)).toHaveLength(1);
    await quiet();
    expect(publishesFor(h, SLACK.berlin).length - publishedBefore).toBe(1);
  }, 20_000);

  it('a Home that Slack refuses to publish is only logged: the check-in and its confirmation DM are untouched', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    h.slack.failNext('views.publish', 'internal_error');
    await h.slack.slashCommand(SLACK.berlin, 'CGENERAL01', '/kr', 'checkin');
    const form = await eventually(() => {
      const v = h.slack.openViews(SLACK.berlin).at(-1);
      return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
    }, 5000, 'the check-in form');
    if (!form.blocks.some((b) => b.block_id === BLOCK.value)) await h.slack.selectInView(SLACK.berlin, form.id, ACTION.selectKeyResult, { value: KR.berlinOld });
    const details = await eventually(() => {
      const v = h.slack.openViews(SLACK.berlin).at(-1);
      return v && text(v).includes('Hire 3 engineers') && v.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
    }, 5000, 'the key result details');
    h.slack.setViewValue(SLACK.berlin, details.id, BLOCK.value, ACTION.value, '57');
    await h.slack.submitView(SLACK.berlin, details.id);
    await eventually(() => (text(h.slack.openViews(SLACK.berlin).at(-1)).includes('is checked in') ? true : undefined), 5000, 'the modal says checked in');
    await eventually(() => (h.logs.join('').includes('could not publish the App Home after a check-in') ? true : undefined), 5000, 'the failure logged');
    await h.server.services.checkins.notificationsSettled();
    expect(h.slack.callsTo('views.publish').map((c) => c.ok)).toEqual([false]);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.ok && c.args.channel === SLACK.berlin)).toHaveLength(1);
    expect(await h.server.services.store.countOutbox('delivered')).toBe(1);
    await quiet();
    expect(h.slack.callsTo('views.publish')).toHaveLength(1);
  }, 20_000);

  it('"No change for all" delivered late from the outbox (one check-in after another) publishes the Home once', async () => {
    const { h, clock } = await startReminderHarness(at('2026-11-30T01:00:00Z'));
    harness = h;
    await h.server.services.reminders.runPass('test');
    const dm = dms(h, SLACK.tokyo)[0]!;
    h.gtmhub.setFaults({ failNext: [{ status: 500, method: 'POST', pathIncludes: '/metrics/checkins' }] });
    await h.slack.clickButton(SLACK.tokyo, { channelId: dm.channel, ts: dm.ts }, REMINDER_ACTION.noChangeForAll);
    await eventually(async () => ((await h.server.services.store.countOutbox('pending')) === 2 ? true : undefined), 5000, 'both check-ins waiting');
    await h.server.slack.inFlight.drain(5000);
    expect(h.gtmhub.state.snapshots).toHaveLength(0);

    clock.set('2026-11-30T02:00:00Z');
    expect(await h.server.services.checkins.runOutbox()).toMatchObject({ delivered: 2 });
    await h.server.services.checkins.notificationsSettled();
    const home = await eventually(() => h.slack.homeView(SLACK.tokyo), 5000, 'the Home published');
    expect(text(home)).toContain('All 2 checked in this period');

    await quiet();
    expect(publishesFor(h, SLACK.tokyo)).toHaveLength(1);
    expect(publishedUsers(h)).toEqual([SLACK.tokyo]);
  }, 20_000);
});
