/**
 * A key result checked in outside Slack (in Gtmhub itself) after its reminder went out: the next click
 * on its row finds it already checked in, and the row then shows what Gtmhub holds now — its value,
 * confidence and date — not the numbers the reminder was sent with.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REMINDER_ACTION } from '../../src/slack/blocks/reminder-message.js';
import { eventually, type Harness } from '../support/harness.js';
import { dms, KR, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function rowOf(message: { blocks: unknown[] } | undefined, name: string): string {
  const section = (message?.blocks ?? []).find((b) => (b as { type?: string }).type === 'section' && JSON.stringify(b).includes(name));
  return JSON.stringify(section ?? null);
}

describe('a reminder row of a key result checked in elsewhere', () => {
  it('shows the value, confidence and date Gtmhub holds once a click finds it checked in', async () => {
    const { h, clock } = await startReminderHarness(new Date('2026-11-30T01:00:00Z'));
    harness = h;
    await h.server.services.reminders.runPass('test');
    const dm = dms(h, SLACK.tokyo)[0]!;
    expect(rowOf(dm, 'Open the Osaka office')).toContain('42 of 100');

    clock.advance(60_000);
    await h.server.services.gtmhub.checkIn(KR.tokyoOld, { actual: 77, confidence: 0.9, comment: 'done in Gtmhub', checkInDate: clock.now().toISOString() });
    const row = dm.blocks.find((b) => b.block_id?.startsWith('row_actions_') && JSON.stringify(b).includes(KR.tokyoOld))!;
    await h.slack.clickButton(SLACK.tokyo, { channelId: dm.channel, ts: dm.ts }, REMINDER_ACTION.noChange, { blockId: row.block_id! });
    const updated = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('Already checked in') ? m : undefined;
    }, 5000, 'the row settled as already checked in');
    const osaka = rowOf(updated, 'Open the Osaka office');
    expect(osaka).toContain('77 of 100');
    expect(osaka).not.toContain('42 of 100');
    expect(osaka).toContain('confidence 0.9');
    expect(osaka).toContain('last check-in just now');
  });
});
