import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, LogLevel } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { SlackEmulator } from '../../../src/emulator/slack/index.js';
import { ALICE, BOT_TOKEN, GENERAL, SIGNING_SECRET, fixtureOptions, startSlackEmulator, webClient } from './fixture.js';

let emulator: SlackEmulator;
let app: App;
let appUrl: string;

async function eventually<T>(probe: () => T | undefined, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const modal: ModalView = {
  type: 'modal',
  callback_id: 'checkin',
  title: { type: 'plain_text', text: 'Check in' },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [
    {
      type: 'input',
      block_id: 'value',
      label: { type: 'plain_text', text: 'New value' },
      element: { type: 'number_input', action_id: 'v', is_decimal_allowed: false },
    },
  ],
};

beforeAll(async () => {
  emulator = await startSlackEmulator(fixtureOptions());
  app = new App({
    signingSecret: SIGNING_SECRET,
    token: BOT_TOKEN,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/kr', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: modal });
  });
  app.view('checkin', async ({ ack, view, body, client }) => {
    const value = Number(view.state.values.value?.v?.value);
    if (value > 100) {
      await ack({ response_action: 'errors', errors: { value: 'That is more than the target' } });
      return;
    }
    await ack();
    await client.chat.postMessage({ channel: body.user.id, text: `Checked in ${value}` });
  });
  app.command('/ping', async ({ ack }) => {
    await ack('pong');
  });
  app.action('no_change', async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: 'No change recorded' });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): AddressInfo | string | null };
  const { port } = server.address() as AddressInfo;
  appUrl = `http://127.0.0.1:${port}/slack/events`;
  emulator.setAppUrl(appUrl);
});

afterAll(async () => {
  await app.stop();
  await emulator.close();
});

describe('a Bolt app behind its HTTP receiver', () => {
  it('takes a slash command, opens a modal, gets field errors, then a valid submission', async () => {
    const command = await emulator.slashCommand(ALICE, GENERAL, '/kr', 'checkin');
    expect(command.status).toBe(200);
    const [view] = await eventually(() => (emulator.openViews(ALICE).length === 1 ? emulator.openViews(ALICE) : undefined));
    expect(emulator.callsTo('views.open')).toMatchObject([{ ok: true }]);

    emulator.setViewValue(ALICE, view!.id, 'value', 'v', '150');
    const rejected = await emulator.submitView(ALICE, view!.id);
    expect(rejected.status).toBe(200);
    expect(emulator.openViews(ALICE)[0]?.errors).toEqual({ value: 'That is more than the target' });

    emulator.setViewValue(ALICE, view!.id, 'value', 'v', '42');
    await emulator.submitView(ALICE, view!.id);
    expect(emulator.openViews(ALICE)).toEqual([]);
    const [dm] = await eventually(() => (emulator.messages(ALICE).length > 0 ? emulator.messages(ALICE) : undefined));
    expect(dm?.text).toBe('Checked in 42');
  });

  it('takes a button click and replaces the message through response_url', async () => {
    const posted = await webClient(emulator).chat.postMessage({
      channel: ALICE,
      text: 'Revenue is due',
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'no_change', text: { type: 'plain_text', text: 'No change' }, value: 'kr-1' }] }],
    });
    const click = await emulator.clickButton(ALICE, { channelId: posted.channel as string, ts: posted.ts as string }, 'no_change');
    expect(click.status).toBe(200);
    const updated = await eventually(() => {
      const message = emulator.message(ALICE, posted.ts as string);
      return message?.text === 'No change recorded' ? message : undefined;
    });
    expect(updated.blocks).toEqual([]);
  });

  it('answers 401 to a request with a bad or stale signature', async () => {
    const body = new URLSearchParams({ command: '/ping', text: '', user_id: ALICE, channel_id: GENERAL, trigger_id: 'x', team_id: 'T0TEST001' }).toString();
    const post = (signature: string, timestamp: string) =>
      fetch(appUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Signature': signature, 'X-Slack-Request-Timestamp': timestamp },
        body,
      });
    const forged = emulator.sign(`${body}&extra=1`);
    expect((await post(forged.signature, forged.timestamp)).status).toBe(401);
    const stale = emulator.sign(body, Math.floor(Date.now() / 1000) - 10 * 60);
    expect((await post(stale.signature, stale.timestamp)).status).toBe(401);
    const good = emulator.sign(body);
    const accepted = await post(good.signature, good.timestamp);
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toBe('pong');
  });
});
