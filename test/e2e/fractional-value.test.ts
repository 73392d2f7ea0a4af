/**
 * A whole-number key result whose current value has decimals (set in Gtmhub, or by an API) opens
 * in the check-in form with exactly that value, through the strict Slack emulator, and takes a check-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { smallAccount, USERS } from '../support/fixtures.js';
import { eventually, startHarness, type Harness } from '../support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('a whole-number key result holding a fractional value', () => {
  it('opens with the value Gtmhub holds, and records a check-in', async () => {
    const account = smallAccount();
    const nps = account.data.metrics.find((m) => m.id === account.metrics.nps)!;
    nps.actual = 38.5;
    nps.format = { prefix: '', suffix: '', fractionSize: 0 };
    const h = (harness = await startHarness({ gtmhub: { data: account.data } }));
    const ana = h.slackIdFor(USERS.ana);
    const visible = () => h.slack.openViews(ana).at(-1);

    await h.slack.slashCommand(ana, 'CGENERAL01', '/kr', 'checkin');
    const form = await eventually(() => (visible()?.blocks.some((b) => b.block_id === BLOCK.keyResult) ? visible() : undefined), 5000, 'the form');
    await h.slack.selectInView(ana, form.id, ACTION.selectKeyResult, { value: nps.id });
    const details: ViewSnapshot = await eventually(
      () => (visible()?.blocks.some((b) => b.block_id === BLOCK.value) ? visible() : undefined),
      5000,
      'the key result details',
    );
    // The strict emulator accepted the form (it refuses inputs that break their own constraints, as Slack does).
    expect(h.slack.callsTo('views.update').filter((c) => !c.ok)).toEqual([]);
    const input = details.blocks.find((b) => b.block_id === BLOCK.value) as unknown as { element: { type: string; initial_value?: string } };
    expect(input.element).toMatchObject({ type: 'plain_text_input', initial_value: '38.5' });
    expect(JSON.stringify(details.blocks)).toContain('*Now:* 38.5');

    h.slack.setViewValue(ana, details.id, BLOCK.value, ACTION.value, '40');
    await h.slack.submitView(ana, details.id);
    const snapshot = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === nps.id));
    expect(snapshot.value).toBe(40);
  });
});
