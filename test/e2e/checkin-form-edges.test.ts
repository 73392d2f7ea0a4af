/** The check-in form's silent edge cases, told to the person: a form that comes back unreadable, a result Slack will not show. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { smallAccount } from '../support/fixtures.js';
import { eventually, startHarness, type Harness } from '../support/harness.js';
import { postSignedPayload } from '../support/slack-requests.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ANA = 'UANA00001';
const CHANNEL = 'CGENERAL01';

async function start() {
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: [
      { id: ANA, name: 'ana', realName: 'Ana Novak', email: 'ana@acme.example' },
      { id: 'UADMIN001', name: 'admin', realName: 'Ada Admin', email: 'admin@elsewhere.example' },
    ],
  });
  return { h: harness, account };
}

async function formFor(h: Harness, metricId: string, value: string): Promise<ViewSnapshot> {
  await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'checkin');
  const picker = await eventually(() => {
    const v = h.slack.openViews(ANA).at(-1);
    return v?.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
  });
  if (!picker.blocks.some((b) => b.block_id === BLOCK.value)) await h.slack.selectInView(ANA, picker.id, ACTION.selectKeyResult, { value: metricId });
  const form = await eventually(() => {
    const v = h.slack.openViews(ANA).at(-1);
    return v?.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
  });
  h.slack.setViewValue(ANA, form.id, BLOCK.value, ACTION.value, value);
  return h.slack.openViews(ANA).at(-1)!;
}

describe('check-in form edge cases', () => {
  it('a submission whose private_metadata is broken saves nothing, collapses onto no shared key, and says so', async () => {
    const { h, account } = await start();
    const form = await formFor(h, account.metrics.nps!, '44');
    const url = `http://127.0.0.1:${h.server.port}/slack/events`;
    const submitWith = (privateMetadata: string) =>
      postSignedPayload(h.slack, url, {
        type: 'view_submission',
        user: { id: ANA, name: 'ana' },
        trigger_id: '1.2.3',
        view: { ...form, private_metadata: privateMetadata },
      });
    for (const broken of ['', 'not json', '{"c":"CGENERAL01"}']) {
      const answer = await submitWith(broken);
      expect(answer.status).toBe(200);
      const ack = (await answer.json()) as { response_action: string; view: { blocks: unknown[] } };
      expect(ack.response_action).toBe('update');
      const shown = JSON.stringify(ack.view.blocks);
      expect(shown).toContain('nothing was saved');
      expect(shown).not.toContain('Saving');
    }
    expect(await h.server.services.store.countOutbox()).toBe(0);
  });

  it('when Slack will not show the outcome in the modal, a check-in that is only saved is told by DM', async () => {
    const { h, account } = await start();
    const form = await formFor(h, account.metrics.nps!, '44');
    h.gtmhub.setFaults({ failNext: [{ status: 503, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.failNext('views.update', 'not_found');
    await h.slack.submitView(ANA, form.id);
    const dm = await eventually(() => h.slack.messages(ANA).find((m) => m.text.includes('will reach Gtmhub')), 5000, 'the DM');
    expect(dm.text).toContain('saved');
    expect(await h.server.services.store.countOutbox('pending')).toBe(1);
  });

  it('a views.open that Slack refuses is told to the person', async () => {
    const { h } = await start();
    h.slack.failNext('views.open', 'expired_trigger_id');
    expect((await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'checkin')).status).toBe(200);
    const told = await eventually(() => h.slack.ephemerals(ANA).find((e) => e.text.includes('could not open the check-in form')), 5000, 'the ephemeral');
    expect(told.text).toMatch(/:warning:/);
    expect(h.slack.openViews(ANA)).toHaveLength(0);
  });
});
