/**
 * Bolt's HTTPReceiver with a screen in front of its events endpoint. Bolt verifies the signature and
 * rejects stale timestamps, but it accepts timestamps from the future, and a correctly signed body
 * that is not a JSON object (`payload=null`, a JSON `null`) makes it read a field of null in a
 * detached promise, which crashes the process. The screen answers those itself: 401 for a bad date
 * or signature, 400 for a body that is not one of Slack's request envelopes. Everything else reaches
 * Bolt unchanged (it reuses the body buffered here).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import {
  HTTPModuleFunctions,
  HTTPReceiver,
  isRawBodyError,
  verifySlackRequest,
  type BufferedIncomingMessage,
  type HTTPReceiverOptions,
  type Logger,
} from '@slack/bolt';

/** Slack's window for `X-Slack-Request-Timestamp`, applied both ways. */
export const MAX_REQUEST_AGE_SECONDS = 5 * 60;

export interface SlackHttpReceiverOptions extends Omit<HTTPReceiverOptions, 'endpoints' | 'signingSecret' | 'logger'> {
  signingSecret: string;
  endpoint: string;
  logger: Logger;
  /** Milliseconds since the epoch; tests may move it. */
  now?: () => number;
}

type Verdict = { ok: true } | { ok: false; status: 400 | 401 | 413; reason: string };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasUserId(body: Json): boolean {
  return isObject(body.user) && typeof body.user.id === 'string';
}

/** Why a parsed body is not one of the envelopes Slack sends, or null when it is one. */
export function envelopeProblem(body: unknown): string | null {
  if (!isObject(body)) return `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}, not an object`;
  if (typeof body.command === 'string') {
    return typeof body.user_id === 'string' && body.user_id !== '' ? null : 'a slash command without user_id';
  }
  if (typeof body.type !== 'string') return 'no type and no command';
  switch (body.type) {
    case 'block_actions':
      return hasUserId(body) && Array.isArray(body.actions) && body.actions.length > 0 && body.actions.every(isObject) ? null : 'block_actions without user or actions';
    case 'view_submission':
    case 'view_closed':
      return hasUserId(body) && isObject(body.view) && typeof body.view.id === 'string' ? null : `${body.type} without user or view`;
    case 'block_suggestion':
      return hasUserId(body) && typeof body.action_id === 'string' ? null : 'block_suggestion without user or action_id';
    case 'shortcut':
    case 'message_action':
      return hasUserId(body) && typeof body.callback_id === 'string' ? null : `${body.type} without user or callback_id`;
    case 'event_callback':
      return isObject(body.event) && typeof body.event.type === 'string' ? null : 'event_callback without an event';
    case 'url_verification':
      return typeof body.challenge === 'string' ? null : 'url_verification without a challenge';
    default:
      return null;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function isSslCheck(req: BufferedIncomingMessage): boolean {
  return req.headers['content-type'] === 'application/x-www-form-urlencoded' && parseQueryString(req.rawBody.toString()).ssl_check === '1';
}

async function screen(req: IncomingMessage, options: SlackHttpReceiverOptions, nowMs: number): Promise<Verdict> {
  let buffered: BufferedIncomingMessage;
  try {
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit);
  } catch (error) {
    if (isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413)) return { ok: false, status: 413, reason: 'the body is too large' };
    return { ok: false, status: 400, reason: 'the body could not be read' };
  }
  // Bolt answers Slack's unsigned SSL check itself (and strips anything else from it).
  if (isSslCheck(buffered)) return { ok: true };

  const timestampText = header(req, 'x-slack-request-timestamp') ?? '';
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, status: 401, reason: 'the timestamp is not whole seconds' };
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(nowMs / 1000);
  if (timestamp > nowSeconds + MAX_REQUEST_AGE_SECONDS) return { ok: false, status: 401, reason: 'the timestamp is in the future' };
  if (timestamp < nowSeconds - MAX_REQUEST_AGE_SECONDS) return { ok: false, status: 401, reason: 'the timestamp is stale' };
  try {
    verifySlackRequest({
      signingSecret: options.signingSecret,
      body: buffered.rawBody.toString(),
      headers: { 'x-slack-signature': header(req, 'x-slack-signature') ?? '', 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
  } catch {
    return { ok: false, status: 401, reason: 'the signature does not match' };
  }

  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    return { ok: false, status: 400, reason: 'the body is not valid JSON' };
  }
  const problem = envelopeProblem(body);
  return problem === null ? { ok: true } : { ok: false, status: 400, reason: problem };
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

export function createSlackHttpReceiver(options: SlackHttpReceiverOptions): HTTPReceiver {
  const { endpoint, now = Date.now, ...boltOptions } = options;
  const receiver = new HTTPReceiver({ ...boltOptions, endpoints: endpoint });
  const boltListener = receiver.requestListener;
  const { logger } = options;
  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method?.toUpperCase() !== 'POST' || path !== endpoint) {
      boltListener(req, res);
      return;
    }
    screen(req, options, now()).then(
      (verdict) => {
        if (!verdict.ok) {
          logger.warn(`Refused a request to ${endpoint} with ${verdict.status}: ${verdict.reason}`);
          answer(res, verdict.status);
          return;
        }
        try {
          boltListener(req, res);
        } catch (error) {
          logger.error('Bolt failed to take a request', error);
          answer(res, 500);
        }
      },
      (error: unknown) => {
        logger.error('Could not screen a request', error);
        answer(res, 500);
      },
    );
  };
  return receiver;
}
