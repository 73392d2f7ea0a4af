import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { KR_ADMIN_ACTION, menuValue } from '../../src/slack/blocks/key-result-admin-ids.js';
import { ACTION } from '../../src/slack/ids.js';
import { CLOSE_FIELD } from '../../src/slack/blocks/objective-status.js';
import { GOALS, smallAccount, USERS } from '../support/fixtures.js';
import { eventually, startHarness, type Harness } from '../support/harness.js';
import { SMALL_ACCOUNT_PEOPLE } from '../support/small-account-people.js';
import { topWith } from '../support/views.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ANA = 'UANA00001';
const BEN = 'UBEN00001';
const CHANNEL = 'CGENERAL01';

async function start() {
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: SMALL_ACCOUNT_PEOPLE,
    // Reads that together outlast a trigger's 3 s, each within the app's Gtmhub timeout.
    env: { GTMHUB_TIMEOUT_MS: '8000' },
  });
  return { h: harness, account };
}

const textOf = (view: { blocks?: unknown[] } | undefined) => JSON.stringify(view?.blocks ?? []);

async function openHome(h: Harness, user: string): Promise<ViewSnapshot> {
  await h.slack.openHome(user);
  return eventually(() => (textOf(h.slack.homeView(user)).includes(KR_ADMIN_ACTION.menu) ? h.slack.homeView(user) : undefined), 5000, 'the Home tab');
}

const dmsTo = (h: Harness, user: string) => h.slack.messages(h.slack.dmChannelId(user));

describe('buttons in a modal whose work is slow: the trigger is used first', () => {
  it('"Nudge owner" in the history pushes its modal at once, then shows the outcome there; the history stays as it was', async () => {
    const { h, account } = await start();
    const coverage = account.metrics.coverage!;
    // Ana co-owns Ben's key result, so Ben's nudge reaches her.
    h.gtmhub.state.metrics.find((m) => m.id === coverage)!.ownerIds = [USERS.ben, USERS.ana];
    await openHome(h, BEN);
    await h.slack.clickButton(BEN, { home: true }, KR_ADMIN_ACTION.menu, { blockId: `kr_row_${coverage}`, selectedOption: { value: menuValue('history', coverage) } });
    const history = await topWith(h, BEN, KR_ADMIN_ACTION.nudge, 'the history');

    h.gtmhub.setFaults({ latencyMs: 1700 });
    await h.slack.clickButton(BEN, { viewId: history.id }, KR_ADMIN_ACTION.nudge);
    await eventually(() => dmsTo(h, ANA).find((m) => m.text.includes('nudged you')), 15_000, 'the nudge DM');
    const told = await topWith(h, BEN, `Nudged <@${ANA}>`, 'the outcome in the pushed modal', 10_000);
    h.gtmhub.setFaults({ latencyMs: 0 });
    const stack = h.slack.openViews(BEN);
    expect(stack).toHaveLength(2);
    expect(stack[0]!.id).toBe(history.id);
    expect(textOf(stack[0])).toContain(KR_ADMIN_ACTION.nudge); // not replaced by an error
    expect(textOf(told)).not.toContain('expired_trigger_id');
    expect(h.slack.callsTo('views.push').filter((c) => !c.ok)).toEqual([]);
    expect(dmsTo(h, ANA).filter((m) => m.text.includes('nudged you'))).toHaveLength(1);
  }, 30_000);

  it('"Close" in the objectives list pushes the close dialog though Gtmhub is slow', async () => {
    const { h } = await start();
    await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'objectives');
    const list = await topWith(h, ANA, 'Grow revenue', 'the objectives');
    h.gtmhub.setFaults({ latencyMs: 3200 }); // one goal read: the person is known already
    await h.slack.clickButton(ANA, { viewId: list.id }, KR_ADMIN_ACTION.closeObjective, { value: GOALS.growth, blockId: `objective_${GOALS.growth}` });
    const dialog = await topWith(h, ANA, (v) => v.blocks.some((b) => b.block_id === CLOSE_FIELD.status), 'the close dialog', 15_000);
    h.gtmhub.setFaults({ latencyMs: 0 });
    expect(textOf(dialog)).toContain('Grow revenue');
    const stack = h.slack.openViews(ANA);
    expect(stack).toHaveLength(2);
    expect(stack[0]!.id).toBe(list.id);
    expect(textOf(stack[0])).toContain(KR_ADMIN_ACTION.closeObjective);
  }, 30_000);
});

describe('App Home buttons that fail tell the person (Home actions have no response_url)', () => {
  it('"Check in", the row menu, "New key result" and "Your objectives" say by DM when Slack refuses the modal', async () => {
    const { h, account } = await start();
    const home = await openHome(h, ANA);
    const revenue = account.metrics.revenue!;
    expect(textOf(home)).toContain(ACTION.openCheckIn);
    const warnings = () => dmsTo(h, ANA).filter((m) => m.text.startsWith(':warning:'));

    h.slack.failNext('views.open', 'internal_error');
    await h.slack.clickButton(ANA, { home: true }, ACTION.openCheckIn, { blockId: `kr_row_${revenue}`, value: revenue });
    await eventually(() => warnings().find((m) => m.text.includes('I could not open the check-in form.')), 5000, 'the check-in failure told');

    h.slack.failNext('views.open', 'internal_error');
    await h.slack.clickButton(ANA, { home: true }, KR_ADMIN_ACTION.menu, { blockId: `kr_row_${revenue}`, selectedOption: { value: menuValue('edit', revenue) } });
    await eventually(() => warnings().find((m) => m.text.includes('I could not open that.')), 5000, 'the row menu failure told');

    h.slack.failNext('views.open', 'internal_error');
    await h.slack.clickButton(ANA, { home: true }, KR_ADMIN_ACTION.newKeyResult);
    await eventually(() => warnings().find((m) => m.text.includes('I could not open the new key result form.')), 5000, 'the new key result failure told');

    h.slack.failNext('views.open', 'internal_error');
    await h.slack.clickButton(ANA, { home: true }, KR_ADMIN_ACTION.manageObjectives);
    await eventually(() => warnings().find((m) => m.text.includes('I could not list your objectives.')), 5000, 'the objectives failure told');

    expect(warnings()).toHaveLength(4);
    expect(h.slack.openViews(ANA)).toHaveLength(0);
    expect(h.logs.join('')).not.toContain('could not tell the person about a failure');
  });
});
