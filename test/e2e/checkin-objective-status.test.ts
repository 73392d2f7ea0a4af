import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { GOALS, smallAccount } from '../support/fixtures.js';
import { eventually, startHarness, type Harness } from '../support/harness.js';

/**
 * API-NOTES: "Objectives can be Active, Achieved (updates allowed, no reminders) or Abandoned (no
 * updates)". An achieved objective's key results are no longer offered, but a check-in that reaches
 * one is recorded; only an abandoned objective refuses it.
 */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ANA_SLACK = 'UANA00001';
const CHANNEL = 'CGENERAL01';

async function start() {
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: [{ id: ANA_SLACK, name: 'ana', realName: 'Ana Novak', email: 'ana@acme.example' }],
  });
  return { h: harness, account };
}

function visibleView(h: Harness): ViewSnapshot | undefined {
  return h.slack.openViews(ANA_SLACK).at(-1);
}

function textOf(view: ViewSnapshot | undefined): string {
  return JSON.stringify(view?.blocks ?? []);
}

function closeObjective(h: Harness, goalId: string, status: 'achieved' | 'abandoned'): void {
  const goal = h.gtmhub.state.goals.find((g) => g.id === goalId);
  if (!goal) throw new Error(`no goal ${goalId}`);
  goal.closedStatus = { status, reason: `closed as ${status} by the test` };
}

/** /kr checkin, pick `metricId`, type a value: the form ready to submit. */
async function formWithValue(h: Harness, metricId: string, value: string): Promise<ViewSnapshot> {
  await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'checkin');
  const form = await eventually(() => {
    const v = visibleView(h);
    return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
  }, 5000, 'the check-in form');
  await h.slack.selectInView(ANA_SLACK, form.id, ACTION.selectKeyResult, { value: metricId });
  const details = await eventually(() => {
    const v = visibleView(h);
    return v && v.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
  }, 5000, 'the key result details');
  h.slack.setViewValue(ANA_SLACK, details.id, BLOCK.value, ACTION.value, value);
  return details;
}

describe('check-ins and the objective’s closed status', () => {
  it('records a check-in submitted while its objective was being marked achieved', async () => {
    const { h, account } = await start();
    const revenue = account.metrics.revenue!;
    const form = await formWithValue(h, revenue, '26000');
    closeObjective(h, GOALS.growth, 'achieved');

    const submitted = await h.slack.submitView(ANA_SLACK, form.id);
    expect(submitted.status).toBe(200);
    const snapshot = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === revenue), 5000, 'the check-in in Gtmhub');
    expect(snapshot.value).toBe(26000);
    expect(h.gtmhub.state.metrics.find((m) => m.id === revenue)!.actual).toBe(26000);
    const done = await eventually(() => (textOf(visibleView(h)).includes('is checked in') ? visibleView(h) : undefined), 5000, 'the confirmation');
    expect(textOf(done)).toContain('$20,000 → *$26,000*');
  });

  it('refuses one whose objective was abandoned meanwhile, and says so', async () => {
    const { h, account } = await start();
    const revenue = account.metrics.revenue!;
    const form = await formWithValue(h, revenue, '26000');
    closeObjective(h, GOALS.growth, 'abandoned');

    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(
      () => [textOf(visibleView(h)), ...h.slack.messages(ANA_SLACK).map((m) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`)].find((t) => t.includes('its objective was abandoned')),
      5000,
      'the refusal',
    );
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === revenue)).toEqual([]);
    expect(h.gtmhub.state.metrics.find((m) => m.id === revenue)!.actual).toBe(20000);
  });

  it('no longer offers the key results of an achieved objective', async () => {
    const { h, account } = await start();
    closeObjective(h, GOALS.growth, 'achieved');
    await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'checkin');
    const form = await eventually(() => {
      const v = visibleView(h);
      return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
    }, 5000, 'the check-in form');
    const offered = textOf({ ...form, blocks: form.blocks.filter((b) => b.block_id === BLOCK.keyResult) });
    expect(offered).toContain(account.metrics.bugs!);
    expect(offered).not.toContain(account.metrics.revenue!);
    expect(offered).not.toContain(account.metrics.nps!);
  });
});
