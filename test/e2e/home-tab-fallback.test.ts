/**
 * The Home tab's key-result table is a data_table block; if Slack refuses the view's blocks, the tab
 * is published again without it instead of staying stale (src/slack/gateway/home-tab.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type Harness } from '../support/harness.js';
import { at, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const hasTable = (view: { blocks: unknown[] } | undefined) => (view?.blocks ?? []).some((b) => (b as { type?: string }).type === 'data_table');

describe('the App Home when Slack refuses its table', () => {
  it('publishes the tab without the data table, rows and all', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    h.slack.failNext('views.publish', 'invalid_blocks');
    await h.slack.openHome(SLACK.berlin);
    const home = await eventually(() => (text(h.slack.homeView(SLACK.berlin)).includes('Hire 3 engineers') ? h.slack.homeView(SLACK.berlin) : undefined), 5000, 'the Home tab');
    expect(hasTable(home)).toBe(false);
    const publishes = h.slack.callsTo('views.publish').filter((c) => c.args.user_id === SLACK.berlin);
    expect(publishes.map((c) => c.ok)).toEqual([false, true]);
    expect(hasTable(publishes[0]!.args.view as { blocks: unknown[] })).toBe(true);

    // The next time, Slack takes the table.
    await h.slack.openHome(SLACK.berlin);
    await eventually(() => (hasTable(h.slack.homeView(SLACK.berlin)) ? true : undefined), 5000, 'the Home tab with its table');
  });
});
