import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../../src/emulator/slack/index.js';

let slack: SlackEmulator | undefined;
let app: Server | undefined;
const events: Array<Record<string, unknown>> = [];
afterEach(async () => {
  await slack?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  slack = undefined;
  app = undefined;
  events.length = 0;
});

/** A stand-in app that acks every event and keeps it. */
async function startApp(): Promise<string> {
  app = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      events.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`;
}

async function call(method: string, args: Record<string, unknown>) {
  const response = await fetch(`${slack!.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
    body: JSON.stringify(args),
  });
  return (await response.json()) as { ok: boolean; error?: string };
}

describe('Slack emulator: link unfurls', () => {
  it('attaches unfurls only for links the message holds, with valid blocks, on registered domains', async () => {
    slack = await startSlackEmulator({
      port: 0,
      signingSecret: 's',
      botToken: 'xoxb-test',
      users: [{ id: 'UANA00001', name: 'ana' }],
      channels: [{ id: 'CGENERAL01', name: 'general', members: ['UANA00001', 'UBOT0001'] }],
      unfurlDomains: ['gtmhub.com'],
    });
    slack.setAppUrl(await startApp());
    const { ts, linkShared } = await slack.postUserMessage('UANA00001', 'CGENERAL01', 'see https://acme.gtmhub.com/#/x and https://elsewhere.example/y');
    expect(linkShared?.status).toBe(200);
    expect(events[0]).toMatchObject({
      type: 'event_callback',
      event: { type: 'link_shared', channel: 'CGENERAL01', user: 'UANA00001', message_ts: ts, is_bot_user_member: true, links: [{ url: 'https://acme.gtmhub.com/#/x', domain: 'gtmhub.com' }] },
    });
    expect((await slack.postUserMessage('UANA00001', 'CGENERAL01', 'nothing to see https://elsewhere.example/y')).linkShared).toBeNull();
    const block = { type: 'section', text: { type: 'mrkdwn', text: 'card' } };
    expect(await call('chat.unfurl', { channel: 'CGENERAL01', ts, unfurls: { 'https://elsewhere.example/y': { blocks: [block] } } })).toMatchObject({ ok: false, error: 'cannot_unfurl_url' });
    expect(await call('chat.unfurl', { channel: 'CGENERAL01', ts, unfurls: { 'https://acme.gtmhub.com/#/x': { blocks: [{ type: 'section' }] } } })).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await call('chat.unfurl', { channel: 'CGENERAL01', ts: '1.000001', unfurls: {} })).toMatchObject({ ok: false, error: 'cannot_find_message' });
    expect(await call('chat.unfurl', { channel: 'CGENERAL01', ts, unfurls: { 'https://acme.gtmhub.com/#/x': { blocks: [block] } } })).toMatchObject({ ok: true });
    expect(slack.message('CGENERAL01', ts)?.unfurls).toEqual({ 'https://acme.gtmhub.com/#/x': { blocks: [block] } });
  });
});
