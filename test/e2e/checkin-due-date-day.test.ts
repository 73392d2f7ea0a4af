/**
 * A due date is a calendar day: the app writes it as `…T23:59:59Z` (key-result-input.ts), the edit form
 * shows its date part, and the check-in modal shows the same day wherever the person is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { eventually, type Harness } from '../support/harness.js';
import { at, KR, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('the due date in the check-in modal', () => {
  it('shows 31 Mar to a person in Tokyo for a due date of 2026-03-31T23:59:59Z (Gtmhub’s day, as the edit form says)', async () => {
    const { h } = await startReminderHarness(at('2026-03-20T03:00:00Z'));
    harness = h;
    h.gtmhub.state.metrics.find((m) => m.id === KR.tokyoOld)!.dueDate = '2026-03-31T23:59:59Z';

    await h.slack.slashCommand(SLACK.tokyo, 'CGENERAL01', '/kr', 'checkin');
    const form = await eventually(() => {
      const v = h.slack.openViews(SLACK.tokyo).at(-1);
      return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
    }, 5000, 'the check-in form');
    if (!form.blocks.some((b) => b.block_id === BLOCK.value)) await h.slack.selectInView(SLACK.tokyo, form.id, ACTION.selectKeyResult, { value: KR.tokyoOld });
    const details = await eventually(() => {
      const v = h.slack.openViews(SLACK.tokyo).at(-1);
      return v && text(v).includes('Open the Osaka office') && v.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
    }, 5000, 'the key result details');

    const due = /\*Due:\* ([^\\]*)/.exec(text(details))?.[1] ?? '';
    expect(due).toMatch(/^Tue,? 31 Mar 2026 \(in 1 week\)$/);
    expect(text(details)).not.toContain('1 Apr 2026');
  }, 20_000);
});
