/**
 * Correctly signed but malformed requests, and signed requests dated in the future, sent over real
 * HTTP to the real app: each is refused with a 4xx, no listener runs, and the process keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/ids.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postSignedBody, postSignedPayload } from '../support/slack-requests.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const form = (payload: string) => `payload=${encodeURIComponent(payload)}`;

/** Bodies a holder of the signing secret (or a buggy proxy re-signing) could send. */
const MALFORMED: Array<[string, string, string]> = [
  ['payload=null', FORM, form('null')],
  ['payload= (empty)', FORM, 'payload='],
  ['payload=[]', FORM, form('[]')],
  ['payload="x"', FORM, form('"x"')],
  ['payload=42', FORM, form('42')],
  ['payload=true', FORM, form('true')],
  ['payload={}', FORM, form('{}')],
  ['payload is not JSON', FORM, form('{not json')],
  ['payload given twice', FORM, `${form('{}')}&${form('{}')}`],
  ['payload with a null type', FORM, form('{"type":null}')],
  ['block_actions without user or actions', FORM, form('{"type":"block_actions"}')],
  ['block_actions with null actions and user', FORM, form('{"type":"block_actions","actions":null,"user":null}')],
  ['view_submission without a view', FORM, form('{"type":"view_submission","user":{"id":"UANA00001"}}')],
  ['view_submission with a string view', FORM, form('{"type":"view_submission","view":"x","user":{"id":"UANA00001"}}')],
  ['slash command without a user', FORM, 'command=%2Fkr&text=help'],
  ['empty form body', FORM, ''],
  ['JSON null', JSON_TYPE, 'null'],
  ['JSON array', JSON_TYPE, '[]'],
  ['JSON string', JSON_TYPE, '"x"'],
  ['JSON number', JSON_TYPE, '42'],
  ['JSON empty object', JSON_TYPE, '{}'],
  ['event_callback without an event', JSON_TYPE, '{"type":"event_callback"}'],
  ['event_callback with a null event', JSON_TYPE, '{"type":"event_callback","event":null}'],
  ['url_verification without a challenge', JSON_TYPE, '{"type":"url_verification"}'],
  ['JSON with a __proto__ type', JSON_TYPE, '{"__proto__":{"type":"block_actions"}}'],
  ['truncated JSON', JSON_TYPE, '{"type":"event_callback","event":{'],
];

let h: Harness;
let url: string;
beforeAll(async () => {
  h = await startHarness();
  url = `http://127.0.0.1:${h.server.port}/slack/events`;
});
afterAll(async () => {
  await h.close();
});

function callsBesidesAuth(): number {
  return h.slack.calls.filter((c) => c.method !== 'auth.test').length;
}

describe('correctly signed, malformed requests', () => {
  it.each(MALFORMED)('%s → 400, and the process keeps serving', async (_name, contentType, body) => {
    const response = await postSignedBody(h.slack, url, body, contentType);
    expect(response.status).toBe(400);
    await new Promise((r) => setTimeout(r, 20));
    const health = await fetch(`http://127.0.0.1:${h.server.port}/healthz`);
    expect(health.status).toBe(200);
  });

  it('ran no listener for any of them, and a real command still works afterwards', async () => {
    await Promise.all(MALFORMED.map(([, contentType, body]) => postSignedBody(h.slack, url, body, contentType)));
    await new Promise((r) => setTimeout(r, 100));
    expect(callsBesidesAuth()).toBe(0);
    expect(h.gtmhub.requests).toHaveLength(0);
    const help = await h.slack.slashCommand(h.slackIdFor(h.gtmhub.state.users[0]!.id), 'CGENERAL01', '/kr', 'help');
    expect(help.status).toBe(200);
    expect(help.body).toContain('/kr checkin');
  });
});

describe('signed requests dated in the future', () => {
  const payload = { type: 'block_actions', user: { id: 'U00000001' }, actions: [{ action_id: ACTION.retryLoad, type: 'button' }] };
  const now = () => Math.floor(Date.now() / 1000);

  it('refuses a timestamp 10 minutes ahead, or in milliseconds, with 401 and runs no listener', async () => {
    const before = callsBesidesAuth();
    const ahead = await postSignedPayload(h.slack, url, payload, { timestamp: now() + 600 });
    expect(ahead.status).toBe(401);
    const milliseconds = await postSignedPayload(h.slack, url, payload, { timestamp: Date.now() });
    expect(milliseconds.status).toBe(401);
    const body = new URLSearchParams({ command: '/kr', text: 'help', user_id: 'U00000001', trigger_id: 'x' }).toString();
    const command = await postSignedBody(h.slack, url, body, FORM, { timestamp: now() + 301 });
    expect(command.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(callsBesidesAuth()).toBe(before);
    expect(h.gtmhub.requests).toHaveLength(0);
  });

  it('refuses a timestamp that is not whole seconds', async () => {
    const body = new URLSearchParams({ command: '/kr', text: 'help', user_id: 'U00000001', trigger_id: 'x' }).toString();
    // Signed over the same text Bolt would sign it with (String(Number(header))).
    const signedAs = now();
    const response = await postSignedBody(h.slack, url, body, FORM, { timestamp: signedAs, timestampHeader: `${signedAs}.0` });
    expect(response.status).toBe(401);
  });

  it('still accepts a timestamp a little ahead of our clock (clock skew)', async () => {
    const body = new URLSearchParams({
      command: '/kr',
      text: 'help',
      user_id: h.slackIdFor(h.gtmhub.state.users[0]!.id),
      channel_id: 'CGENERAL01',
      team_id: h.slack.team.id,
      trigger_id: 'x',
    }).toString();
    const response = await postSignedBody(h.slack, url, body, FORM, { timestamp: now() + 60 });
    expect(response.status).toBe(200);
  });
});
