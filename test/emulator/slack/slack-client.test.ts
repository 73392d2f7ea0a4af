import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifySlackRequest } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../src/emulator/slack/index.js';
import { ALICE, BOB, GENERAL, HIDDEN, SIGNING_SECRET, fixtureOptions, slackError, startSlackEmulator, webClient } from './fixture.js';
import { startRecordingApp } from './recording-app.js';

let emulator: SlackEmulator;
let app: Awaited<ReturnType<typeof startRecordingApp>>;
let client: WebClient;
let clock: number;

beforeEach(async () => {
  clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  app = await startRecordingApp(SIGNING_SECRET);
  emulator = await startSlackEmulator(fixtureOptions({ appUrl: app.url, now: () => clock, ackTimeoutMs: 500 }));
  client = webClient(emulator);
});

afterEach(async () => {
  await emulator.close();
  await app.close();
});

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** Runs `/kr` as Alice in #general and returns the trigger_id the app received. */
async function triggerFromCommand(userId = ALICE): Promise<string> {
  await emulator.slashCommand(userId, GENERAL, '/kr', 'checkin');
  return app.last().body.trigger_id as string;
}

const checkinModal = {
  type: 'modal' as const,
  callback_id: 'checkin',
  title: plain('Check in'),
  submit: plain('Save'),
  close: plain('Cancel'),
  private_metadata: 'kr-1',
  notify_on_close: true,
  blocks: [
    { type: 'section', block_id: 'info', text: { type: 'mrkdwn', text: '*Revenue*' } },
    { type: 'input', block_id: 'value', label: plain('New value'), element: { type: 'number_input', action_id: 'v', is_decimal_allowed: true, max_value: '1000' } },
    { type: 'input', block_id: 'comment', optional: true, label: plain('Comment'), element: { type: 'plain_text_input', action_id: 'c', multiline: true } },
    {
      type: 'input',
      block_id: 'confidence',
      label: plain('Confidence'),
      element: { type: 'static_select', action_id: 's', options: [{ text: plain('High'), value: 'high' }, { text: plain('Low'), value: 'low' }] },
    },
  ],
};

describe('slash commands', () => {
  it('delivers a signed, form-encoded command with a fresh trigger_id and response_url', async () => {
    const result = await emulator.slashCommand(ALICE, GENERAL, '/kr', 'checkin now');
    expect(result).toMatchObject({ delivered: true, status: 200 });
    const request = app.last();
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(request.body).toMatchObject({
      command: '/kr',
      text: 'checkin now',
      user_id: ALICE,
      user_name: 'alice',
      channel_id: GENERAL,
      channel_name: 'general',
      team_id: 'T0TEST001',
      team_domain: 'test-team',
      api_app_id: emulator.bot.appId,
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
      response_url: expect.stringContaining(`${emulator.url}/commands/`),
    });
  });

  it('shows an ack body to the user only, or in the channel with response_type in_channel', async () => {
    app.reply({ body: { text: 'Opening…' } });
    await emulator.slashCommand(ALICE, GENERAL, '/kr', '');
    expect(emulator.ephemerals(ALICE)).toMatchObject([{ channel: GENERAL, text: 'Opening…', source: 'command_ack' }]);
    app.reply({ body: { response_type: 'in_channel', text: 'Summary for everyone' } });
    await emulator.slashCommand(ALICE, GENERAL, '/kr', 'summary');
    expect(emulator.messages(GENERAL)).toMatchObject([{ text: 'Summary for everyone', user: 'UBOT0001' }]);
  });

  it('reports an ack with invalid blocks instead of showing it', async () => {
    app.reply({ body: { text: 'x', blocks: [{ type: 'header', text: plain('h'.repeat(151)) }] } });
    const result = await emulator.slashCommand(ALICE, GENERAL, '/kr', '');
    expect(result.ackError).toEqual({ error: 'invalid_blocks', messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'] });
    expect(emulator.ephemerals(ALICE)).toEqual([]);
  });

  it('cannot be run in a channel the user is not in', async () => {
    await expect(emulator.slashCommand(BOB, 'GSECRET01', '/kr', '')).rejects.toThrow(/not a member/);
  });

  it('reports an app that does not ack within the timeout', async () => {
    app.reply({ delayMs: 800 });
    const result = await emulator.slashCommand(ALICE, GENERAL, '/kr', '');
    expect(result).toMatchObject({ delivered: true, timedOut: true, status: 0 });
  });
});

describe('triggers and views.open', () => {
  it('opens a modal once per trigger_id', async () => {
    const trigger = await triggerFromCommand();
    const opened = await client.views.open({ trigger_id: trigger, view: checkinModal });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), type: 'modal', callback_id: 'checkin', private_metadata: 'kr-1', root_view_id: opened.view?.id });
    expect(opened.view).toMatchObject({ state: { values: expect.any(Object) } });
    expect(emulator.openViews(ALICE)[0]?.state.values).toMatchObject({ value: { v: { type: 'number_input', value: null } }, confidence: { s: { selected_option: null } } });
    expect(emulator.openViews(ALICE).map((v) => v.id)).toEqual([opened.view?.id]);
    expect((await slackError(client.views.open({ trigger_id: trigger, view: checkinModal }))).error).toBe('exchanged_trigger_id');
  });

  it('expires trigger_ids after 3 seconds', async () => {
    const trigger = await triggerFromCommand();
    clock += 3_001;
    expect((await slackError(client.views.open({ trigger_id: trigger, view: checkinModal }))).error).toBe('expired_trigger_id');
  });

  it('rejects unknown triggers with invalid_trigger_id and invalid views with invalid_arguments and the reason', async () => {
    expect((await slackError(client.views.open({ trigger_id: '1.2.abc', view: checkinModal }))).error).toBe('invalid_trigger_id');
    const trigger = await triggerFromCommand();
    const failure = await slackError(client.views.open({ trigger_id: trigger, view: { ...checkinModal, title: plain('A title that is far too long') } }));
    expect(failure).toMatchObject({
      error: 'invalid_arguments',
      data: { response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] } },
    });
    const noSubmit = await slackError(client.views.open({ trigger_id: trigger, view: { ...checkinModal, submit: undefined } as never }));
    expect(noSubmit.data.response_metadata).toEqual({ messages: ['[ERROR] must provide a submit property when using input blocks [json-pointer:/view]'] });
    const home = await slackError(client.views.open({ trigger_id: trigger, view: { type: 'home', blocks: [] } as never }));
    expect(home.error).toBe('invalid_arguments');
  });

  it('answers view_too_large for views over 250 kB', async () => {
    const trigger = await triggerFromCommand();
    const blocks = Array.from({ length: 100 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(2700) } }));
    expect((await slackError(client.views.open({ trigger_id: trigger, view: { type: 'modal', title: plain('Big'), blocks } as never }))).error).toBe(
      'view_too_large',
    );
  });
});

describe('views.update, views.push, views.publish', () => {
  it('updates by view_id with the current hash and rejects a stale one', async () => {
    const opened = await client.views.open({ trigger_id: await triggerFromCommand(), view: { ...checkinModal, external_id: 'checkin-alice' } });
    const id = opened.view?.id as string;
    const hash = opened.view?.hash as string;
    const loaded = { ...checkinModal, title: plain('Loaded'), external_id: 'checkin-alice' };
    const updated = await client.views.update({ view_id: id, hash, view: loaded });
    expect(updated.view).toMatchObject({ id, title: { text: 'Loaded' } });
    expect(updated.view?.hash).not.toBe(hash);
    expect((await slackError(client.views.update({ view_id: id, hash, view: loaded }))).error).toBe('hash_conflict');
    await expect(client.views.update({ external_id: 'checkin-alice', view: { ...loaded, title: plain('By external id') } })).resolves.toMatchObject({ ok: true });
    expect(emulator.openViews(ALICE)[0]?.title?.text).toBe('By external id');
    expect((await slackError(client.views.update({ view_id: 'VNOPE', view: loaded }))).error).toBe('not_found');
  });

  it('keeps what the user typed across an update when block and action ids stay, and resets it when they change', async () => {
    const opened = await client.views.open({ trigger_id: await triggerFromCommand(), view: checkinModal });
    const id = opened.view?.id as string;
    emulator.setViewValue(ALICE, id, 'comment', 'c', 'on track');
    await client.views.update({ view_id: id, view: checkinModal });
    expect(emulator.openViews(ALICE)[0]?.state.values.comment?.c?.value).toBe('on track');
    const renamed = { ...checkinModal, blocks: checkinModal.blocks.map((b) => (b.block_id === 'comment' ? { ...b, block_id: 'comment-2' } : b)) };
    await client.views.update({ view_id: id, view: renamed });
    expect(emulator.openViews(ALICE)[0]?.state.values['comment-2']?.c?.value).toBeNull();
  });

  it('pushes at most three views onto the stack, each on a trigger from inside the top view', async () => {
    const stackable = { type: 'modal' as const, title: plain('Step'), blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'more', text: plain('More') }] }] };
    const opened = await client.views.open({ trigger_id: await triggerFromCommand(), view: stackable });
    const rootId = opened.view?.id as string;
    const clickMoreOnTop = async () => {
      await emulator.clickButton(ALICE, { viewId: emulator.openViews(ALICE).at(-1)?.id as string }, 'more');
      return app.last().body.trigger_id as string;
    };
    for (let depth = 2; depth <= 3; depth++) {
      const below = emulator.openViews(ALICE).at(-1)?.id;
      const pushed = await client.views.push({ trigger_id: await clickMoreOnTop(), view: stackable });
      expect(pushed.view).toMatchObject({ root_view_id: rootId, previous_view_id: below });
      expect(emulator.openViews(ALICE)).toHaveLength(depth);
    }
    expect((await slackError(client.views.push({ trigger_id: await clickMoreOnTop(), view: stackable }))).error).toBe('push_limit_reached');
    await expect(emulator.clickButton(ALICE, { viewId: rootId }, 'more')).rejects.toThrow(/covered/);
  });

  it('refuses views.push on a trigger that did not come from the modal on top (a command, a message, the Home tab)', async () => {
    const stackable = { type: 'modal' as const, title: plain('Step'), blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'more', text: plain('More') }] }] };
    await client.views.open({ trigger_id: await triggerFromCommand(), view: stackable });
    // A modal is open, but this trigger comes from a slash command, not from inside it.
    expect((await slackError(client.views.push({ trigger_id: await triggerFromCommand(), view: stackable }))).error).toBe('invalid_arguments');
    expect(emulator.openViews(ALICE)).toHaveLength(1);
  });

  it('publishes a Home tab per user and checks its hash', async () => {
    const home = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your key results' } }] };
    const first = await client.views.publish({ user_id: BOB, view: home });
    expect(emulator.homeView(BOB)).toMatchObject({ id: first.view?.id, type: 'home' });
    expect(emulator.homeView(ALICE)).toBeUndefined();
    expect((await slackError(client.views.publish({ user_id: BOB, view: home, hash: 'stale' }))).error).toBe('hash_conflict');
    const second = await client.views.publish({ user_id: BOB, view: home, hash: first.view?.hash as string });
    expect(second.view?.id).toBe(first.view?.id);
    expect((await slackError(client.views.publish({ user_id: 'UNOBODY', view: home }))).error).toBe('invalid_arguments');
  });
});

describe('view submissions', () => {
  async function openCheckin(): Promise<string> {
    const opened = await client.views.open({ trigger_id: await triggerFromCommand(), view: checkinModal });
    return opened.view?.id as string;
  }

  it('keeps the submission client-side while required fields are empty or invalid', async () => {
    const id = await openCheckin();
    const before = app.received.length;
    const empty = await emulator.submitView(ALICE, id);
    expect(empty).toMatchObject({ delivered: false, clientErrors: { value: expect.any(String), confidence: expect.any(String) } });
    emulator.setViewValue(ALICE, id, 'value', 'v', '1200');
    emulator.setViewValue(ALICE, id, 'confidence', 's', 'high');
    const tooHigh = await emulator.submitView(ALICE, id);
    expect(tooHigh.clientErrors).toEqual({ value: expect.stringContaining('1000') });
    expect(app.received.length).toBe(before);
    expect(() => emulator.setViewValue(ALICE, id, 'confidence', 's', 'medium')).toThrow(/not an option/);
  });

  it('sends view_submission with the state Slack would send and closes the view on an empty ack', async () => {
    const id = await openCheckin();
    emulator.setViewValue(ALICE, id, 'value', 'v', '42.5');
    emulator.setViewValue(ALICE, id, 'confidence', 's', 'high');
    app.reply({});
    const result = await emulator.submitView(ALICE, id);
    expect(result).toMatchObject({ delivered: true, status: 200 });
    const payload = app.last().body;
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: ALICE, username: 'alice', name: 'alice', team_id: 'T0TEST001' },
      team: { id: 'T0TEST001', domain: 'test-team' },
      api_app_id: emulator.bot.appId,
      trigger_id: expect.any(String),
      view: {
        id,
        callback_id: 'checkin',
        private_metadata: 'kr-1',
        hash: expect.any(String),
        state: {
          values: {
            value: { v: { type: 'number_input', value: '42.5' } },
            comment: { c: { type: 'plain_text_input', value: null } },
            confidence: { s: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'High' }, value: 'high' } } },
          },
        },
      },
    });
    expect(emulator.openViews(ALICE)).toEqual([]);
  });

  it('applies response_action errors, update, push and clear', async () => {
    const id = await openCheckin();
    emulator.setViewValue(ALICE, id, 'value', 'v', '5');
    emulator.setViewValue(ALICE, id, 'confidence', 's', 'low');

    app.reply({ body: { response_action: 'errors', errors: { value: 'Must be more than the current value' } } });
    await emulator.submitView(ALICE, id);
    expect(emulator.openViews(ALICE)[0]?.errors).toEqual({ value: 'Must be more than the current value' });

    app.reply({ body: { response_action: 'update', view: { ...checkinModal, title: plain('Saving…') } } });
    await emulator.submitView(ALICE, id);
    expect(emulator.openViews(ALICE)).toMatchObject([{ id, title: { text: 'Saving…' }, errors: null }]);

    app.reply({ body: { response_action: 'push', view: { type: 'modal', title: plain('Done'), blocks: [] } } });
    await emulator.submitView(ALICE, id);
    expect(emulator.openViews(ALICE).map((v) => v.title?.text)).toEqual(['Saving…', 'Done']);

    const top = emulator.openViews(ALICE)[1]?.id as string;
    await expect(emulator.submitView(ALICE, id)).rejects.toThrow(/covered/);
    await expect(emulator.submitView(ALICE, top)).rejects.toThrow(/no submit/);
    await emulator.closeView(ALICE, top);
    emulator.setViewValue(ALICE, id, 'value', 'v', '6');
    app.reply({ body: { response_action: 'clear' } });
    await emulator.submitView(ALICE, id);
    expect(emulator.openViews(ALICE)).toEqual([]);
  });

  it('refuses acks Slack would reject and leaves the modal as it was', async () => {
    const id = await openCheckin();
    emulator.setViewValue(ALICE, id, 'value', 'v', '5');
    emulator.setViewValue(ALICE, id, 'confidence', 's', 'low');
    app.reply({ body: { response_action: 'errors', errors: { info: 'not an input' } } });
    expect((await emulator.submitView(ALICE, id)).ackError?.error).toBe('invalid_errors');
    app.reply({ body: { response_action: 'update', view: { ...checkinModal, private_metadata: 'm'.repeat(3001) } } });
    const result = await emulator.submitView(ALICE, id);
    expect(result.ackError).toEqual({ error: 'invalid_arguments', messages: ['[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]'] });
    expect(emulator.openViews(ALICE)).toMatchObject([{ id, title: { text: 'Check in' }, private_metadata: 'kr-1' }]);
  });

  it('sends view_closed only when notify_on_close is set', async () => {
    const id = await openCheckin();
    const closed = await emulator.closeView(ALICE, id);
    expect(closed.delivered).toBe(true);
    expect(app.last().body).toMatchObject({ type: 'view_closed', is_cleared: false, view: { id, callback_id: 'checkin' }, user: { id: ALICE } });
    const quiet = await client.views.open({ trigger_id: await triggerFromCommand(), view: { ...checkinModal, notify_on_close: false } });
    expect((await emulator.closeView(ALICE, quiet.view?.id as string)).delivered).toBe(false);
    expect(emulator.openViews(ALICE)).toEqual([]);
  });
});

describe('block actions', () => {
  const reminderBlocks = [
    { type: 'section', block_id: 'kr', text: { type: 'mrkdwn', text: '*Revenue* is due' } },
    {
      type: 'actions',
      block_id: 'buttons',
      elements: [
        { type: 'button', action_id: 'checkin', text: plain('Check in'), value: 'kr-1', style: 'primary' },
        { type: 'button', action_id: 'no_change', text: plain('No change'), value: 'kr-1' },
        { type: 'overflow', action_id: 'more', options: [{ text: plain('Snooze'), value: 'snooze' }, { text: plain('Skip'), value: 'skip' }] },
      ],
    },
  ];

  it('clicks a message button: the value comes from the message, with container, message, channel, response_url and trigger_id', async () => {
    const posted = await client.chat.postMessage({ channel: ALICE, text: 'Reminder', blocks: reminderBlocks });
    const where = { channelId: posted.channel as string, ts: posted.ts as string };
    await emulator.clickButton(ALICE, where, 'no_change');
    expect(app.last().body).toMatchObject({
      type: 'block_actions',
      user: { id: ALICE, username: 'alice' },
      container: { type: 'message', message_ts: posted.ts, channel_id: posted.channel, is_ephemeral: false },
      channel: { id: posted.channel, name: 'directmessage' },
      message: { ts: posted.ts, text: 'Reminder', user: 'UBOT0001' },
      trigger_id: expect.any(String),
      response_url: expect.stringContaining('/actions/'),
      actions: [{ type: 'button', action_id: 'no_change', block_id: 'buttons', value: 'kr-1', text: { text: 'No change' }, action_ts: expect.any(String) }],
    });
    await expect(emulator.clickButton(ALICE, where, 'no_change', { value: 'kr-2' })).rejects.toThrow(/value/);
    await expect(emulator.clickButton(ALICE, where, 'missing')).rejects.toThrow(/No element/);
    await expect(emulator.clickButton(BOB, where, 'no_change')).rejects.toThrow(/not a member/);
  });

  it('picks from an overflow menu', async () => {
    const posted = await client.chat.postMessage({ channel: ALICE, text: 'Reminder', blocks: reminderBlocks });
    await emulator.clickButton(ALICE, { channelId: posted.channel as string, ts: posted.ts as string }, 'more', { selectedOption: { value: 'snooze' } });
    expect(app.last().body.actions).toMatchObject([{ type: 'overflow', selected_option: { value: 'snooze', text: { text: 'Snooze' } } }]);
  });

  it('applies response_url posts: replace_original, delete_original, ephemeral and in_channel', async () => {
    const posted = await client.chat.postMessage({ channel: GENERAL, text: 'Reminder', blocks: reminderBlocks });
    const where = { channelId: GENERAL, ts: posted.ts as string };
    await emulator.clickButton(ALICE, where, 'checkin');
    const responseUrl = app.last().body.response_url as string;
    const post = (body: unknown) => fetch(responseUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    expect((await post({ text: 'Only for you' })).status).toBe(200);
    expect(emulator.ephemerals(ALICE)).toMatchObject([{ channel: GENERAL, text: 'Only for you', source: 'response_url' }]);
    await post({ response_type: 'in_channel', text: 'For everyone' });
    expect(emulator.messages(GENERAL).map((m) => m.text)).toEqual(['Reminder', 'For everyone']);
    await post({ replace_original: true, text: 'Checked in ✅' });
    expect(emulator.message(GENERAL, posted.ts as string)).toMatchObject({ text: 'Checked in ✅', blocks: [] });
    const invalid = await post({ replace_original: true, text: 'x', blocks: [{ type: 'nope' }] });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    await post({ delete_original: true });
    expect(emulator.message(GENERAL, posted.ts as string)).toBeUndefined();
  });

  it('a slash command\'s response_url cannot replace or delete its answers, as in Slack (bolt-js#2287): each post is a new ephemeral', async () => {
    app.reply({ body: { text: 'Building…' } });
    await emulator.slashCommand(ALICE, GENERAL, '/kr', 'summary');
    const responseUrl = app.last().body.response_url as string;
    const post = (body: unknown) => fetch(responseUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ replace_original: true, text: 'The preview' })).status).toBe(200);
    expect(emulator.ephemerals(ALICE).map((e) => e.text)).toEqual(['Building…', 'The preview']);
    expect((await post({ replace_original: true, text: 'Again' })).status).toBe(200);
    expect(emulator.ephemerals(ALICE).map((e) => e.text)).toEqual(['Building…', 'The preview', 'Again']);
    const deleted = await post({ delete_original: true });
    expect(deleted.status).toBe(404);
    expect(emulator.ephemerals(ALICE)).toHaveLength(3);
  });

  it('allows 5 uses of a response_url within 30 minutes', async () => {
    await emulator.slashCommand(ALICE, GENERAL, '/kr', '');
    const responseUrl = app.last().body.response_url as string;
    const post = () => fetch(responseUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(200);
    const sixth = await post();
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });

    await emulator.slashCommand(ALICE, GENERAL, '/kr', '');
    const later = app.last().body.response_url as string;
    clock += 30 * 60_000 + 1;
    const expired = await fetch(later, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    expect(await expired.json()).toEqual({ ok: false, error: 'expired_url' });
    expect(emulator.callsTo('response_url').filter((c) => c.ok)).toHaveLength(5);
  });

  it('clicks inside a Home tab and a modal with a view container and no response_url', async () => {
    await client.views.publish({
      user_id: ALICE,
      view: { type: 'home', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'open_checkin', text: plain('Check in') }] }] },
    });
    await emulator.clickButton(ALICE, { home: true }, 'open_checkin');
    const home = emulator.homeView(ALICE);
    expect(app.last().body).toMatchObject({ type: 'block_actions', container: { type: 'view', view_id: home?.id }, view: { id: home?.id, type: 'home' } });
    expect(app.last().body).not.toHaveProperty('response_url');
    const opened = await client.views.open({ trigger_id: app.last().body.trigger_id as string, view: checkinModal });
    expect(opened.ok).toBe(true);
  });
});

describe('selects and external options', () => {
  const pickerModal = {
    type: 'modal' as const,
    callback_id: 'pick',
    title: plain('Pick a key result'),
    submit: plain('Next'),
    blocks: [
      {
        type: 'section',
        block_id: 'owner',
        text: { type: 'mrkdwn', text: 'Whose?' },
        accessory: { type: 'static_select', action_id: 'owner', options: [{ text: plain('Mine'), value: 'me' }, { text: plain('Team'), value: 'team' }] },
      },
      { type: 'input', block_id: 'kr', dispatch_action: true, label: plain('Key result'), element: { type: 'external_select', action_id: 'kr', min_query_length: 2 } },
      { type: 'input', block_id: 'quiet', label: plain('Quiet'), element: { type: 'static_select', action_id: 'q', options: [{ text: plain('A'), value: 'a' }] } },
    ],
  };

  async function openPicker(): Promise<string> {
    const opened = await client.views.open({ trigger_id: await triggerFromCommand(), view: pickerModal });
    return opened.view?.id as string;
  }

  it('sends block_actions for a select in a modal with the updated view state', async () => {
    const id = await openPicker();
    const result = await emulator.selectInView(ALICE, id, 'owner', { value: 'team' });
    expect(result.delivered).toBe(true);
    expect(app.last().body).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: id },
      actions: [{ type: 'static_select', action_id: 'owner', block_id: 'owner', selected_option: { value: 'team', text: { text: 'Team' } } }],
      view: { id, state: { values: { owner: { owner: { selected_option: { value: 'team' } } } } } },
    });
    expect((await emulator.selectInView(ALICE, id, 'q', { value: 'a' })).delivered).toBe(false);
    expect(emulator.openViews(ALICE)[0]?.state.values.quiet?.q?.selected_option?.value).toBe('a');
  });

  it('asks the app for external options, checks them and uses their text when one is picked', async () => {
    const id = await openPicker();
    expect((await emulator.requestOptions(ALICE, id, 'kr', 'r')).delivered).toBe(false);
    app.reply({ body: { options: [{ text: plain('Revenue to 2M'), value: 'kr-1' }] } });
    const result = await emulator.requestOptions(ALICE, id, 'kr', 'rev');
    expect(app.last().body).toMatchObject({ type: 'block_suggestion', action_id: 'kr', block_id: 'kr', value: 'rev', view: { id }, user: { id: ALICE } });
    expect(result.json).toEqual({ options: [{ text: plain('Revenue to 2M'), value: 'kr-1' }] });
    await emulator.selectInView(ALICE, id, 'kr', { value: 'kr-1' });
    expect(app.last().body.actions).toMatchObject([{ type: 'external_select', selected_option: { value: 'kr-1', text: { text: 'Revenue to 2M' } } }]);

    app.reply({ body: { options: [{ text: plain('x'.repeat(76)), value: 'kr-2' }] } });
    expect((await emulator.requestOptions(ALICE, id, 'kr', 'long')).ackError?.messages).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/options/0/text/text]',
    ]);
  });
});

describe('events and signatures', () => {
  it('delivers Events API envelopes as signed JSON with an event_id', async () => {
    await emulator.openHome(BOB);
    const request = app.last();
    expect(request.contentType).toBe('application/json');
    expect(request.body).toMatchObject({
      type: 'event_callback',
      team_id: 'T0TEST001',
      api_app_id: emulator.bot.appId,
      event_id: expect.stringMatching(/^Ev/),
      authorizations: [{ team_id: 'T0TEST001', user_id: 'UBOT0001', is_bot: true }],
      event: { type: 'app_home_opened', user: BOB, channel: emulator.dmChannelId(BOB), tab: 'home', event_ts: expect.any(String) },
    });
  });

  it('signs like Slack so that Bolt verification passes, and only for the exact body', () => {
    const body = 'token=x&command=%2Fkr';
    const { signature, timestamp } = emulator.sign(body);
    const headers = { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) };
    expect(() => verifySlackRequest({ signingSecret: SIGNING_SECRET, body, headers })).not.toThrow();
    expect(() => verifySlackRequest({ signingSecret: SIGNING_SECRET, body: `${body}x`, headers })).toThrow(/signature mismatch/);
    expect(() => verifySlackRequest({ signingSecret: 'other', body, headers })).toThrow();
  });

  it('hides private channels from users who are not in them', async () => {
    await expect(emulator.slashCommand(BOB, HIDDEN, '/kr', '')).resolves.toMatchObject({ delivered: true });
    await expect(emulator.slashCommand('UCAROL001', HIDDEN, '/kr', '')).rejects.toThrow(/not a member/);
  });

  it('tells subscribers about new messages and view changes, for a live UI', async () => {
    const changes: string[] = [];
    const unsubscribe = emulator.subscribe((change) => changes.push(change.type));
    await client.chat.postMessage({ channel: GENERAL, text: 'hello' });
    await client.views.open({ trigger_id: await triggerFromCommand(), view: checkinModal });
    unsubscribe();
    await client.chat.postMessage({ channel: GENERAL, text: 'unseen' });
    expect(changes).toEqual(['message_posted', 'views_changed']);
  });
});
