/**
 * Issue 13 item 3 and issue 10 item 7, through both emulators over HTTP: the value field takes
 * what people type (separators, the key result's unit, spaces), opens with the stored value in the
 * same readable form, asks once before a drastic change, and the confidence select offers the
 * account's own levels and sends their values to Gtmhub.
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

const CHANNEL = 'CGENERAL01';
const TEAM = 'CTEAM0001';
const LABELS = {
  confidenceType: 'labels',
  confidenceMapping: [
    { name: 'Off track', color: '#d00', range: { from: 0, to: 3 } },
    { name: 'Wobbly', color: '#dd0', range: { from: 4, to: 6 } },
    { name: 'Confident', color: '#0d0', range: { from: 7, to: 10 } },
  ],
};

async function openForm(h: Harness, slackId: string, metricId: string): Promise<ViewSnapshot> {
  const visible = () => h.slack.openViews(slackId).at(-1);
  await h.slack.slashCommand(slackId, CHANNEL, '/kr', 'checkin');
  const form = await eventually(() => (visible()?.blocks.some((b) => b.block_id === BLOCK.keyResult) ? visible() : undefined), 5000, 'the form');
  if (!form.blocks.some((b) => b.block_id === BLOCK.value)) await h.slack.selectInView(slackId, form.id, ACTION.selectKeyResult, { value: metricId });
  return eventually(() => {
    const v = visible();
    return v?.blocks.some((b) => b.block_id === BLOCK.value) && v.blocks.some((b) => JSON.stringify(b).includes(metricId) || b.block_id === BLOCK.value) ? v : undefined;
  }, 5000, 'the key result details');
}

function element(view: ViewSnapshot, blockId: string): Record<string, unknown> {
  return (view.blocks.find((b) => b.block_id === blockId) as unknown as { element: Record<string, unknown> }).element;
}

describe('the check-in form reads values as people type them', () => {
  it('opens readable, takes "$ 30,500 " and asks once before a drop to zero', async () => {
    const account = smallAccount();
    const h = (harness = await startHarness({ gtmhub: { data: account.data } }));
    const ana = h.slackIdFor(USERS.ana);
    const revenue = account.metrics.revenue!;
    const form = await openForm(h, ana, revenue);
    expect(element(form, BLOCK.value)).toMatchObject({ type: 'plain_text_input', initial_value: '$20,000' });

    h.slack.setViewValue(ana, form.id, BLOCK.value, ACTION.value, ' $ 30,500 ');
    await h.slack.submitView(ana, form.id);
    const first = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === revenue));
    expect(first.value).toBe(30_500);

    const again = await openForm(h, ana, revenue);
    h.slack.setViewValue(ana, again.id, BLOCK.value, ACTION.value, '0');
    await h.slack.submitView(ana, again.id);
    const asked = h.slack.openViews(ana).at(-1)!;
    expect(asked.errors?.[BLOCK.value]).toMatch(/^Are you sure\? \$0 instead of \$30,500: it drops the value to zero\./);
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === revenue)).toHaveLength(1);

    await h.slack.submitView(ana, asked.id);
    await eventually(() => h.gtmhub.state.snapshots.filter((s) => s.metricId === revenue).length === 2 || undefined, 5000, 'the confirmed drop');
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === revenue).at(-1)!.value).toBe(0);
  });

  it('refuses a number it cannot read with a field error that says how to write it', async () => {
    const account = smallAccount();
    const h = (harness = await startHarness({ gtmhub: { data: account.data } }));
    const ana = h.slackIdFor(USERS.ana);
    const form = await openForm(h, ana, account.metrics.revenue!);
    h.slack.setViewValue(ana, form.id, BLOCK.value, ACTION.value, '21,5');
    await h.slack.submitView(ana, form.id);
    expect(h.slack.openViews(ana).at(-1)!.errors?.[BLOCK.value]).toContain('is ambiguous');
  });
});

describe("the account's confidence scale", () => {
  it('offers its levels in the modal and sends the chosen level’s value', async () => {
    const account = smallAccount();
    account.data.account = { confidenceSettings: LABELS };
    // The harness names Slack people U00000001… in the order of the Gtmhub users; Ana is the first.
    const channels = [
      { id: CHANNEL, name: 'general', members: ['U00000001'] },
      { id: TEAM, name: 'team', members: ['U00000001', 'UBOT0001'] },
    ];
    const h = (harness = await startHarness({ gtmhub: { data: account.data }, channels }));
    const ana = h.slackIdFor(USERS.ana);
    expect(ana).toBe('U00000001');
    const nps = account.metrics.nps!;
    const form = await openForm(h, ana, nps);
    const options = (element(form, BLOCK.confidence).options as Array<{ text: { text: string }; value: string }>).map((o) => [o.text.text, o.value]);
    expect(options).toEqual([
      ['Off track', '0.15'],
      ['Wobbly', '0.5'],
      ['Confident', '0.85'],
    ]);
    h.slack.setViewValue(ana, form.id, BLOCK.value, ACTION.value, '35');
    h.slack.setViewValue(ana, form.id, BLOCK.confidence, ACTION.confidence, { value: '0.85', text: 'Confident' });
    await h.slack.submitView(ana, form.id);
    const snapshot = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === nps));
    expect(snapshot.confidence).toBe(0.85);

    // The next form shows the last confidence by the account's label.
    const next = await openForm(h, ana, nps);
    expect(JSON.stringify(next.blocks)).toContain('confidence Confident');

    // A summary shows the confidence by the account's label too.
    await h.slack.slashCommand(ana, TEAM, '/kr', 'summary mine');
    const preview = await eventually(() => h.slack.ephemerals(ana).find((e) => JSON.stringify(e.blocks).includes('Net promoter score')), 10_000, 'the summary preview');
    // The table layout's confidence cell carries the account's label.
    expect(JSON.stringify(preview.blocks)).toContain('"value":0.85,"text":"Confident"');
  });
});
