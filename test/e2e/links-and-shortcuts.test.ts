import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { CHECKIN_FROM_MESSAGE } from '../../src/slack/listeners/shortcuts/checkin-from-message.js';
import { GOALS, smallAccount } from '../support/fixtures.js';
import { ADMIN, eventually, startHarness, type Harness } from '../support/harness.js';
import { SMALL_ACCOUNT_PEOPLE } from '../support/small-account-people.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ANA = 'UANA00001';
const BEN = 'UBEN00001';
const CHANNEL = 'CGENERAL01';

async function start(env: Record<string, string> = {}) {
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: SMALL_ACCOUNT_PEOPLE,
    channels: [{ id: CHANNEL, name: 'general', members: [ANA, BEN, ADMIN, 'UBOT0001'] }],
    env,
  });
  harness.slack.setUnfurlDomains([new URL(harness.gtmhub.url).hostname]);
  return { h: harness, account };
}

/** The key result's web link as Gtmhub gives it (its `url`). */
async function webLinkOf(h: Harness, metricId: string): Promise<string> {
  return (await h.server.services.gtmhub.getMetric(metricId)).url!;
}

describe('link previews', () => {
  it('unfurls a key-result link into a card, and an objective link; links that do not resolve are left alone', async () => {
    const { h, account } = await start();
    const revenue = await webLinkOf(h, account.metrics.revenue!);
    const unknown = revenue.replace(account.metrics.revenue!, 'dd00000000000000000000ff');
    const objective = revenue.replace(/metrics\/metric\/[0-9a-f]{24}\/$/, '');
    expect(objective).toContain(GOALS.growth);
    const { ts, linkShared } = await h.slack.postUserMessage(BEN, CHANNEL, `How is <${revenue}> doing? Also ${unknown} and <${objective}|the objective>`);
    expect(linkShared?.status).toBe(200);
    const message = await eventually(() => h.slack.message(CHANNEL, ts)?.unfurls, 5000, 'the unfurl');
    expect(Object.keys(message).sort()).toEqual([objective, revenue].sort());
    const card = JSON.stringify(message[revenue]!.blocks);
    expect(card).toContain('Monthly recurring revenue');
    expect(card).toContain('$20,000');
    expect(card).toContain('increase to $50,000');
    expect(card).toContain('Ana Novak');
    expect(card).toContain(ACTION.openCheckIn);
    expect(JSON.stringify(message[objective]!.blocks)).toContain('Grow revenue');
  });

  it('does nothing with UNFURL_LINKS=off', async () => {
    const { h, account } = await start({ UNFURL_LINKS: 'off' });
    const revenue = await webLinkOf(h, account.metrics.revenue!);
    const { ts } = await h.slack.postUserMessage(BEN, CHANNEL, `<${revenue}>`);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.slack.callsTo('chat.unfurl')).toHaveLength(0);
    expect(h.slack.message(CHANNEL, ts)?.unfurls).toBeUndefined();
  });
});

describe('check in from a message', () => {
  it('opens the check-in modal with the message as the comment draft and its link appended', async () => {
    const { h, account } = await start();
    const { ts } = await h.slack.postUserMessage(BEN, CHANNEL, 'Signed Globex: +$6k MRR');
    expect((await h.slack.messageShortcut(ANA, CHANNEL, ts, CHECKIN_FROM_MESSAGE)).status).toBe(200);
    const form = await eventually(() => {
      const v = h.slack.openViews(ANA).at(-1);
      return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
    }, 5000, 'the check-in form');
    await h.slack.selectInView(ANA, form.id, ACTION.selectKeyResult, { value: account.metrics.revenue! });
    const details: ViewSnapshot = await eventually(() => {
      const v = h.slack.openViews(ANA).at(-1);
      return v && v.blocks.some((b) => b.block_id === BLOCK.comment) ? v : undefined;
    }, 5000, 'the details');
    const comment = (details.blocks.find((b) => b.block_id === BLOCK.comment) as { element: { initial_value?: string } }).element.initial_value;
    expect(comment).toMatch(/^Signed Globex: \+\$6k MRR\n\nhttps:\/\/[^/]+\.slack\.com\/archives\/CGENERAL01\/p\d+$/);
    h.slack.setViewValue(ANA, details.id, BLOCK.value, ACTION.value, '26000');
    await h.slack.submitView(ANA, details.id);
    const snapshot = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === account.metrics.revenue));
    expect(snapshot.comment).toContain('Signed Globex: +$6k MRR');
    expect(snapshot.comment).toContain('/archives/CGENERAL01/p');
  });
});
