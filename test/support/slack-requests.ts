import type { SlackEmulator } from '../../src/emulator/slack/index.js';

/** Posts a hand-made interactivity payload, signed like Slack does (for tampered or replayed requests). */
export async function postSignedPayload(
  slack: SlackEmulator,
  appUrl: string,
  payload: unknown,
  options: { signature?: string; timestamp?: number } = {},
): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const signed = slack.sign(body, options.timestamp);
  return fetch(appUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-signature': options.signature ?? signed.signature,
      'x-slack-request-timestamp': signed.timestamp,
    },
    body,
  });
}

/** Posts any raw body, correctly signed, under the given content type (for forged but authentic-looking requests). */
export async function postSignedBody(
  slack: SlackEmulator,
  appUrl: string,
  body: string,
  contentType: string,
  options: { timestamp?: number; timestampHeader?: string } = {},
): Promise<Response> {
  const signed = slack.sign(body, options.timestamp);
  return fetch(appUrl, {
    method: 'POST',
    // A request the app never answers fails the test instead of hanging it.
    signal: AbortSignal.timeout(5000),
    headers: {
      'content-type': contentType,
      'x-slack-signature': signed.signature,
      'x-slack-request-timestamp': options.timestampHeader ?? signed.timestamp,
    },
    body,
  });
}
