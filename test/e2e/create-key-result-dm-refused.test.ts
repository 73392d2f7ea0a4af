/**
 * Once a key result is created, the modal says so whatever happens to the message that follows it:
 * Slack refusing the DM (chat.postMessage, or conversations.open before it) is logged and noted in the
 * modal, never told as "Nothing was changed".
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { FIELD } from '../../src/slack/blocks/key-result-form.js';
import { GOALS, smallAccount, USERS } from '../support/fixtures.js';
import { eventually, startHarness, type Harness } from '../support/harness.js';
import { SMALL_ACCOUNT_PEOPLE } from '../support/small-account-people.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ANA = 'UANA00001';
const BEN = 'UBEN00001';
const CHANNEL = 'CGENERAL01';
const DAY = 24 * 3600_000;

async function start(): Promise<Harness> {
  harness = await startHarness({
    gtmhub: { data: smallAccount().data },
    slackUsers: SMALL_ACCOUNT_PEOPLE,
  });
  return harness;
}

const textOf = (view: ViewSnapshot | undefined) => JSON.stringify(view?.blocks ?? []);

/** Ana fills the new key result form (owner Ben) and submits it. */
async function createAs(h: Harness, name: string): Promise<void> {
  await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'new');
  const form = await eventually(() => {
    const view = h.slack.openViews(ANA).at(-1);
    return view?.blocks.some((b) => b.block_id === FIELD.objective) ? view : undefined;
  }, 5000, 'the new key result form');
  const values: Partial<Record<keyof typeof FIELD, string>> = { objective: GOALS.growth, name, start: '0', target: '10', dueDate: new Date(Date.now() + DAY).toISOString().slice(0, 10) };
  for (const [field, value] of Object.entries(values)) {
    const block = form.blocks.find((b) => b.block_id === field) as { element: { type: string } };
    h.slack.setViewValue(ANA, form.id, field, field, block.element.type === 'static_select' ? { value: value! } : value!);
  }
  h.slack.setViewValue(ANA, form.id, FIELD.owner, FIELD.owner, BEN);
  const submitted = await h.slack.submitView(ANA, form.id);
  expect(submitted.status).toBe(200);
}

/** The modal once the create has settled: it says created (and what became of the message), or that it failed. */
function settledModal(h: Harness): Promise<string> {
  return eventually(() => {
    const text = textOf(h.slack.openViews(ANA).at(-1));
    return /Nothing was changed|I sent you|I could not send you/.test(text) ? text : undefined;
  }, 5000, 'the outcome in the modal');
}

describe('creating a key result when Slack refuses the message that follows', () => {
  for (const method of ['chat.postMessage', 'conversations.open'] as const) {
    it(`${method} refused: the modal says created, notes the missing message, and the refusal is logged as a warning`, async () => {
      const h = await start();
      h.slack.failNext(method, method === 'chat.postMessage' ? 'channel_not_found' : 'user_disabled');
      await createAs(h, 'Enterprise deals');

      const modal = await settledModal(h);
      expect(modal).not.toContain('Nothing was changed');
      expect(modal).toContain('Created *Enterprise deals*');
      expect(modal).toContain('I could not send you the message with *Check in*');
      expect(h.gtmhub.state.metrics.filter((m) => m.name === 'Enterprise deals' && m.ownerIds[0] === USERS.ben)).toHaveLength(1);
      expect(h.slack.messages(ANA).some((m) => m.text.includes('Created Enterprise deals'))).toBe(false);
      const warning = await eventually(() =>
        h.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).find((l) => l.msg === 'could not send the message about a created key result'),
      );
      expect(warning.level).toBe(40);
    });
  }
});
