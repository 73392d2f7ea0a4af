/**
 * Editing a key result from Slack changes in Gtmhub only what the person changed: a unit, a number
 * of decimals, a name or a description the form cannot show as it is survives an edit of other
 * fields, and the form says so instead of cutting it silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { KR_ADMIN_ACTION, menuValue } from '../../src/slack/blocks/key-result-admin-ids.js';
import { FIELD } from '../../src/slack/blocks/key-result-form.js';
import { smallAccount } from '../support/fixtures.js';
import { eventually, startHarness, type Harness } from '../support/harness.js';
import { topWith } from '../support/views.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ANA = 'UANA00001';

async function start() {
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: [{ id: ANA, name: 'ana', realName: 'Ana Novak', email: 'ana@acme.example' }],
  });
  return { h: harness, account };
}

const top = (h: Harness, user: string) => h.slack.openViews(user).at(-1);
const textOf = (view: ViewSnapshot | undefined) => JSON.stringify(view?.blocks ?? []);
const hasBlock = (blockId: string) => (v: ViewSnapshot) => v.blocks.some((b) => b.block_id === blockId);
const block = (view: ViewSnapshot, blockId: string) => view.blocks.find((b) => b.block_id === blockId) as { hint?: { text: string }; element: Record<string, unknown> } | undefined;

async function openEdit(h: Harness, metricId: string): Promise<ViewSnapshot> {
  const before = top(h, ANA)?.id;
  await h.slack.openHome(ANA);
  await eventually(() => (textOf(h.slack.homeView(ANA)).includes(KR_ADMIN_ACTION.menu) ? true : undefined), 5000, 'the Home tab');
  await h.slack.clickButton(ANA, { home: true }, KR_ADMIN_ACTION.menu, { blockId: `kr_row_${metricId}`, selectedOption: { value: menuValue('edit', metricId) } });
  return topWith(h, ANA, (v) => hasBlock(FIELD.name)(v) && v.id !== before, 'the edit form');
}

function patchesOf(h: Harness, metricId: string): unknown[] {
  return h.gtmhub.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/v1/metrics/${metricId}`)).map((r) => JSON.parse(String(r.body)) as unknown);
}

const LONG_DESCRIPTION = `Why: ${'customers wait on critical bugs. '.repeat(80)}`.slice(0, 2500);

describe('editing a key result keeps what the person did not change', () => {
  it('changes only the target of a key result with a custom unit and a description longer than the form allows', async () => {
    const { h, account } = await start();
    const bugs = account.metrics.bugs!;
    const metric = h.gtmhub.state.metrics.find((m) => m.id === bugs)!;
    metric.description = LONG_DESCRIPTION;
    expect(metric.format).toEqual({ prefix: '', suffix: ' bugs', fractionSize: 0 });
    expect(LONG_DESCRIPTION).toHaveLength(2500);

    const form = await openEdit(h, bugs);
    // The form tells the person what it cannot show, rather than cutting it silently.
    expect(block(form, FIELD.format)?.hint?.text).toContain('“ bugs”');
    expect(block(form, FIELD.format)?.hint?.text).toMatch(/kept unless you choose a different format/);
    expect(block(form, FIELD.description)?.hint?.text).toMatch(/2,500 characters.*kept as it is/);
    expect(block(form, FIELD.description)?.element.initial_value).toBeUndefined();

    h.slack.setViewValue(ANA, form.id, FIELD.target, FIELD.target, '3');
    await h.slack.submitView(ANA, form.id);
    await topWith(h, ANA, 'Saved', 'the saved note');

    expect(patchesOf(h, bugs)).toEqual([{ target: 3 }]);
    const saved = h.gtmhub.state.metrics.find((m) => m.id === bugs)!;
    expect(saved.format).toEqual({ prefix: '', suffix: ' bugs', fractionSize: 0 });
    expect(saved.description).toBe(LONG_DESCRIPTION);
    expect(saved.target).toBe(3);
  });

  it('keeps more decimals than the form offers when only the target changes, and keeps the unit when only the decimals change', async () => {
    const { h, account } = await start();
    const nps = account.metrics.nps!;
    h.gtmhub.state.metrics.find((m) => m.id === nps)!.format = { prefix: '', suffix: ' pts', fractionSize: 6 };

    const form = await openEdit(h, nps);
    expect(block(form, FIELD.decimals)?.hint?.text).toMatch(/6 decimals/);
    h.slack.setViewValue(ANA, form.id, FIELD.target, FIELD.target, '65');
    await h.slack.submitView(ANA, form.id);
    await topWith(h, ANA, 'Saved', 'the saved note');
    expect(patchesOf(h, nps)).toEqual([{ target: 65 }]);
    expect(h.gtmhub.state.metrics.find((m) => m.id === nps)!.format).toEqual({ prefix: '', suffix: ' pts', fractionSize: 6 });

    const again = await openEdit(h, nps);
    h.slack.setViewValue(ANA, again.id, FIELD.decimals, FIELD.decimals, { value: '2' });
    await h.slack.submitView(ANA, again.id);
    await eventually(() => (patchesOf(h, nps).length === 2 ? true : undefined), 5000, 'the second save');
    expect(patchesOf(h, nps)[1]).toEqual({ format: { prefix: '', suffix: ' pts', fractionSize: 2 } });
  });

  it('keeps a name longer than the form allows unless the person changes it, and replaces a long description only with what they typed', async () => {
    const { h, account } = await start();
    const revenue = account.metrics.revenue!;
    const longName = `Monthly recurring revenue ${'from annual and monthly plans '.repeat(10)}`.trim();
    expect(longName.length).toBeGreaterThan(200);
    const metric = h.gtmhub.state.metrics.find((m) => m.id === revenue)!;
    metric.name = longName;
    metric.description = LONG_DESCRIPTION;

    const form = await openEdit(h, revenue);
    expect(block(form, FIELD.name)?.hint?.text).toMatch(/name in Gtmhub has \d+ characters/);
    h.slack.setViewValue(ANA, form.id, FIELD.target, FIELD.target, '$60,000');
    await h.slack.submitView(ANA, form.id);
    await topWith(h, ANA, 'Saved', 'the saved note');
    expect(patchesOf(h, revenue)).toEqual([{ target: 60000 }]);
    expect(h.gtmhub.state.metrics.find((m) => m.id === revenue)!.name).toBe(longName);

    const again = await openEdit(h, revenue);
    h.slack.setViewValue(ANA, again.id, FIELD.description, FIELD.description, 'Paying customers only.');
    await h.slack.submitView(ANA, again.id);
    await eventually(() => (patchesOf(h, revenue).length === 2 ? true : undefined), 5000, 'the second save');
    expect(patchesOf(h, revenue)[1]).toEqual({ description: 'Paying customers only.' });
    expect(h.gtmhub.state.metrics.find((m) => m.id === revenue)!.name).toBe(longName);
  });
});
