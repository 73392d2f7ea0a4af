/**
 * The check-in modal's submission, through both emulators over HTTP: the unit and numbers the form
 * showed (private_metadata `shown`) read the value only for the key result they were shown for. A
 * key result picked after them, submitted before its details loaded, is read as Gtmhub holds it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../../../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../../../../src/slack/ids.js';
import { smallAccount, USERS } from '../../../support/fixtures.js';
import { eventually, startHarness, type Harness } from '../../../support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const CHANNEL = 'CGENERAL01';

async function start() {
  const account = smallAccount();
  const h = (harness = await startHarness({ gtmhub: { data: account.data } }));
  return { h, account, ana: h.slackIdFor(USERS.ana) };
}

/** The form with `metricId`'s details loaded (its value field prefilled). */
async function formShowing(h: Harness, slackId: string, metricId: string, name: string): Promise<ViewSnapshot> {
  const visible = () => h.slack.openViews(slackId).at(-1);
  await h.slack.slashCommand(slackId, CHANNEL, '/kr', 'checkin');
  const picker = await eventually(() => (visible()?.blocks.some((b) => b.block_id === BLOCK.keyResult) ? visible() : undefined), 5000, 'the form');
  await h.slack.selectInView(slackId, picker.id, ACTION.selectKeyResult, { value: metricId });
  const showing = (v: ViewSnapshot | undefined) => v?.blocks.some((b) => b.block_id === BLOCK.value) && JSON.stringify(v.blocks).includes(name);
  return eventually(() => (showing(visible()) ? visible() : undefined), 5000, 'the key result details');
}

/** The person picks another key result and presses Check in before its details arrive. */
async function switchAndSubmit(h: Harness, slackId: string, form: ViewSnapshot, metricId: string): Promise<ViewSnapshot> {
  h.slack.setViewValue(slackId, form.id, BLOCK.keyResult, ACTION.selectKeyResult, { value: metricId });
  const result = await h.slack.submitView(slackId, form.id);
  expect(result.delivered).toBe(true);
  return h.slack.openViews(slackId).at(-1)!;
}

const snapshotsOf = (h: Harness, metricId: string) => h.gtmhub.state.snapshots.filter((s) => s.metricId === metricId);

/** Gives a wrongly started save the time to reach Gtmhub. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('check-in submission: what the form showed belongs to one key result', () => {
  it('never checks in the value prefilled for one key result to another picked before its details loaded', async () => {
    const { h, account, ana } = await start();
    const revenue = account.metrics.revenue!;
    const nps = account.metrics.nps!;
    const form = await formShowing(h, ana, revenue, 'Monthly recurring revenue');
    expect((form.blocks.find((b) => b.block_id === BLOCK.value) as unknown as { element: { initial_value?: string } }).element.initial_value).toBe('$20,000');

    const asked = await switchAndSubmit(h, ana, form, nps);
    expect(asked.id).toBe(form.id);
    expect(asked.errors?.[BLOCK.value]).toMatch(/changed/i);
    expect(asked.errors?.[BLOCK.value]).toContain('Net promoter score');
    // Pressing again does not turn a value written for revenue into one for the NPS.
    await h.slack.submitView(ana, asked.id);
    expect(h.slack.openViews(ana).at(-1)!.errors?.[BLOCK.value]).toMatch(/changed/i);
    await settle();
    expect(snapshotsOf(h, nps)).toEqual([]);
    expect(snapshotsOf(h, revenue)).toEqual([]);
  });

  it('tells once that the form changed, then saves a value that reads for the new key result', async () => {
    const { h, account, ana } = await start();
    const nps = account.metrics.nps!;
    const form = await formShowing(h, ana, account.metrics.revenue!, 'Monthly recurring revenue');
    h.slack.setViewValue(ana, form.id, BLOCK.value, ACTION.value, '35');
    const asked = await switchAndSubmit(h, ana, form, nps);
    expect(asked.errors?.[BLOCK.value]).toMatch(/changed/i);
    // Read as Gtmhub holds the NPS now (30, no unit), not as the form showed revenue ($20,000).
    expect(asked.errors?.[BLOCK.value]).toContain('30');
    expect(asked.errors?.[BLOCK.value]).not.toContain('$');
    await settle();
    expect(snapshotsOf(h, nps)).toEqual([]);

    await h.slack.submitView(ana, asked.id);
    const saved = await eventually(() => snapshotsOf(h, nps)[0], 5000, 'the NPS check-in');
    expect(saved.value).toBe(35);
  });

  it('asks about a drastic change against the new key result’s real current value', async () => {
    const { h, account, ana } = await start();
    const nps = account.metrics.nps!;
    const form = await formShowing(h, ana, account.metrics.revenue!, 'Monthly recurring revenue');
    h.slack.setViewValue(ana, form.id, BLOCK.value, ACTION.value, '0');
    const told = await switchAndSubmit(h, ana, form, nps);
    expect(told.errors?.[BLOCK.value]).toMatch(/changed/i);

    await h.slack.submitView(ana, told.id);
    const asked = h.slack.openViews(ana).at(-1)!;
    expect(asked.errors?.[BLOCK.value]).toMatch(/^Are you sure\? 0 instead of 30: it drops the value to zero\./);
    await settle();
    expect(snapshotsOf(h, nps)).toEqual([]);

    await h.slack.submitView(ana, asked.id);
    const saved = await eventually(() => snapshotsOf(h, nps)[0], 5000, 'the confirmed drop');
    expect(saved.value).toBe(0);
  });

  it('reads the value with what the form showed when it showed the submitted key result', async () => {
    const { h, account, ana } = await start();
    const revenue = account.metrics.revenue!;
    const form = await formShowing(h, ana, revenue, 'Monthly recurring revenue');
    h.slack.setViewValue(ana, form.id, BLOCK.value, ACTION.value, '$21,000');
    await h.slack.submitView(ana, form.id);
    const saved = await eventually(() => snapshotsOf(h, revenue)[0], 5000, 'the revenue check-in');
    expect(saved.value).toBe(21_000);
  });
});
