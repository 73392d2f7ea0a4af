/**
 * The sandbox's browser UI: static files from ./public, a small JSON API that plays the Slack
 * client through the Slack emulator, and server-sent events with the emulator's live changes.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ClickTarget, DeliveryResult, EmulatorChange, SelectedOptionInput, ViewInputValue } from '../emulator/slack/index.js';
import type { SandboxRuntime } from './sandbox.js';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const STATIC_FILE = /^[a-z0-9-]+\.(html|js|css|svg)$/;
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};
const MAX_BODY_BYTES = 64 * 1024;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface UiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // A JSON content type cannot be sent cross-site without a preflight, which this server never answers.
  if (type !== 'application/json') throw new BadRequest('send JSON (Content-Type: application/json)', 415);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('request body too large', 413);
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Json;
  } catch {
    throw new BadRequest('invalid JSON body');
  }
}

function text(body: Json, name: string, required = true): string {
  const value = body[name];
  if (typeof value === 'string' && value !== '') return value;
  if (!required && (value === undefined || value === null || value === '')) return '';
  throw new BadRequest(`"${name}" must be a non-empty string`);
}

function optional(body: Json, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function selectedOption(value: unknown): SelectedOptionInput | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const option = value as Json;
  if (typeof option.value !== 'string') throw new BadRequest('"selectedOption.value" must be a string');
  return typeof option.text === 'string' ? { value: option.value, text: option.text } : { value: option.value };
}

function inputValue(value: unknown): ViewInputValue {
  if (value === null || typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return value as string[];
    return value.map((v) => selectedOption(v)!);
  }
  const option = selectedOption(value);
  if (option) return option;
  throw new BadRequest('"value" must be a string, an option, a list, or null');
}

/** What the person would notice in Slack when a delivery goes wrong. */
function describeDelivery(result: DeliveryResult): string | null {
  if (result.timedOut) return 'The app did not answer within 3 seconds; Slack would show "This app is not responding".';
  if (result.ackError) return `Slack rejected the app's answer (${result.ackError.error}): ${result.ackError.messages.join('; ')}`;
  if (result.delivered && result.status !== 200) return `The app answered HTTP ${result.status}${result.body ? `: ${result.body.slice(0, 200)}` : ''}.`;
  return null;
}

function deliveryBody(result: DeliveryResult): Json {
  const problem = describeDelivery(result);
  return {
    ok: problem === null,
    delivered: result.delivered,
    status: result.status,
    ...(problem ? { problem } : {}),
    ...(result.clientErrors ? { clientErrors: result.clientErrors } : {}),
  };
}

function isLocalHost(req: IncomingMessage, host: string): boolean {
  const header = req.headers.host ?? '';
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]!;
  return LOCAL_HOSTS.has(name) || name === host;
}

export async function startUiServer(runtime: SandboxRuntime, options: { port?: number; host?: string } = {}): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const streams = new Set<ServerResponse>();
  const broadcast = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };
  let unsubscribe = runtime.slack.subscribe((change: EmulatorChange) => broadcast('change', change));
  const stopResetListener = runtime.onReset(() => {
    unsubscribe();
    unsubscribe = runtime.slack.subscribe((change: EmulatorChange) => broadcast('change', change));
    broadcast('reset', {});
  });
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();

  const gtmhubEmails = () => new Set(runtime.gtmhub.state.users.map((u) => u.email?.toLowerCase()).filter(Boolean));

  function state(): Json {
    const slack = runtime.slack;
    const emails = gtmhubEmails();
    const admins = new Set(runtime.config.adminSlackUserIds);
    return {
      team: slack.team,
      bot: { userId: slack.bot.userId, name: slack.bot.name },
      users: slack
        .users()
        .filter((u) => !u.isBot && !u.deleted)
        .map((u) => ({ ...u, dmChannelId: slack.dmChannelId(u.id), inGtmhub: !!u.email && emails.has(u.email.toLowerCase()), admin: admins.has(u.id) })),
      channels: slack.channels().filter((c) => !c.isIm),
      jobs: runtime.jobs(),
    };
  }

  function conversation(user: string, channel: string): Json {
    const slack = runtime.slack;
    const messages = slack.messages(channel);
    const ephemerals = slack
      .ephemerals(user)
      .filter((e) => e.channel === channel)
      .map((e) => ({ ...e, ephemeral: true }));
    return { channel, messages, ephemerals };
  }

  function views(user: string): Json {
    return { modals: runtime.slack.openViews(user), home: runtime.slack.homeView(user) ?? null };
  }

  function clickTarget(body: Json): ClickTarget {
    const where = body.where;
    if (typeof where !== 'object' || where === null) throw new BadRequest('"where" is required');
    const target = where as Json;
    if (target.home === true) return { home: true };
    if (typeof target.viewId === 'string') return { viewId: target.viewId };
    if (typeof target.channel === 'string' && typeof target.ts === 'string') return { channelId: target.channel, ts: target.ts };
    throw new BadRequest('"where" must be {channel, ts}, {viewId} or {home: true}');
  }

  async function post(path: string, body: Json): Promise<Json> {
    const slack = runtime.slack;
    switch (path) {
      case '/api/command': {
        const raw = text(body, 'text').trim();
        const match = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(raw);
        if (!match) throw new BadRequest('Only slash commands can be sent here, e.g. /kr checkin');
        // Commands that are not kr-checkin's are answered as Slack answers them (e.g. /invite @kr-checkin).
        if (match[1]!.toLowerCase() !== '/kr') return { ok: true, slack: slack.builtInCommand(text(body, 'user'), text(body, 'channel'), match[1]!.toLowerCase(), (match[2] ?? '').trim()) };
        return deliveryBody(await slack.slashCommand(text(body, 'user'), text(body, 'channel'), match[1]!.toLowerCase(), (match[2] ?? '').trim()));
      }
      case '/api/message': {
        const { ts, linkShared } = await slack.postUserMessage(text(body, 'user'), text(body, 'channel'), text(body, 'text'));
        return { ok: true, ts, ...(linkShared ? { linkShared: deliveryBody(linkShared) } : {}) };
      }
      case '/api/shortcut':
        return deliveryBody(await slack.messageShortcut(text(body, 'user'), text(body, 'channel'), text(body, 'ts'), text(body, 'callbackId')));
      case '/api/action': {
        const option = selectedOption(body.selectedOption);
        const result = await slack.clickButton(text(body, 'user'), clickTarget(body), text(body, 'actionId'), {
          ...(optional(body, 'blockId') ? { blockId: optional(body, 'blockId')! } : {}),
          ...(optional(body, 'value') !== undefined ? { value: optional(body, 'value')! } : {}),
          ...(option ? { selectedOption: option } : {}),
        });
        return deliveryBody(result);
      }
      case '/api/view/select': {
        const option = selectedOption(body.selectedOption);
        if (!option) throw new BadRequest('"selectedOption" is required');
        const blockId = optional(body, 'blockId');
        return deliveryBody(await slack.selectInView(text(body, 'user'), text(body, 'viewId'), text(body, 'actionId'), option, blockId ? { blockId } : {}));
      }
      case '/api/view/values': {
        const values = body.values;
        if (!Array.isArray(values)) throw new BadRequest('"values" must be a list of {blockId, actionId, value}');
        for (const entry of values as Json[]) {
          slack.setViewValue(text(body, 'user'), text(body, 'viewId'), text(entry, 'blockId'), text(entry, 'actionId'), inputValue(entry.value));
        }
        return { ok: true };
      }
      case '/api/view/enter':
        return deliveryBody(await slack.pressEnter(text(body, 'user'), text(body, 'viewId'), text(body, 'blockId'), text(body, 'actionId'), text(body, 'value', false)));
      case '/api/view/submit':
        return deliveryBody(await slack.submitView(text(body, 'user'), text(body, 'viewId')));
      case '/api/view/close':
        return deliveryBody(await slack.closeView(text(body, 'user'), text(body, 'viewId')));
      case '/api/view/options': {
        const blockId = optional(body, 'blockId');
        const result = await slack.requestOptions(text(body, 'user'), text(body, 'viewId'), text(body, 'actionId'), text(body, 'query', false), blockId ? { blockId } : {});
        const answer = deliveryBody(result);
        if (!result.delivered) return { ...answer, ok: true, tooShort: true, options: [], optionGroups: [] };
        const json = (result.json ?? {}) as Json;
        return { ...answer, options: Array.isArray(json.options) ? json.options : [], optionGroups: Array.isArray(json.option_groups) ? json.option_groups : [] };
      }
      case '/api/home':
        return deliveryBody(await slack.openHome(text(body, 'user')));
      case '/api/jobs/run': {
        const name = text(body, 'name');
        if (!runtime.jobs().some((job) => job.name === name)) throw new BadRequest(`no job named ${name}`, 404);
        const started = Date.now();
        const result = await runtime.runJob(name);
        return { ok: true, job: name, ms: Date.now() - started, result: result ?? null };
      }
      case '/api/reset':
        await runtime.reset();
        return { ok: true };
      default:
        throw new BadRequest(`no such endpoint: POST ${path}`, 404);
    }
  }

  function get(path: string, query: URLSearchParams): Json {
    switch (path) {
      case '/api/state':
        return state();
      case '/api/conversation':
        return conversation(text(Object.fromEntries(query), 'user'), text(Object.fromEntries(query), 'channel'));
      case '/api/views':
        return views(text(Object.fromEntries(query), 'user'));
      default:
        throw new BadRequest(`no such endpoint: GET ${path}`, 404);
    }
  }

  function openEvents(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('event: hello\ndata: {}\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
  }

  async function serveStatic(res: ServerResponse, name: string): Promise<void> {
    if (!STATIC_FILE.test(name)) return send(res, 404, { ok: false, error: 'not found' });
    try {
      const body = await readFile(`${PUBLIC_DIR}${name}`);
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES[name.split('.').pop()!] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
      res.end(body);
    } catch {
      send(res, 404, { ok: false, error: 'not found' });
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLocalHost(req, host)) return send(res, 403, { ok: false, error: 'the sandbox answers only on its own host name' });
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') return serveStatic(res, 'index.html');
    if (req.method === 'GET' && path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && path.startsWith('/static/')) return serveStatic(res, path.slice('/static/'.length));
    if (req.method === 'GET' && path === '/api/events') return openEvents(res);
    try {
      await runtime.settled();
      if (req.method === 'GET') return send(res, 200, { ok: true, ...get(path, url.searchParams) });
      if (req.method === 'POST') return send(res, 200, await post(path, await readJson(req)));
      send(res, 405, { ok: false, error: 'method not allowed' });
    } catch (error) {
      if (error instanceof BadRequest) return send(res, error.status, { ok: false, error: error.message });
      // The emulator throws for things the Slack client could not do (not a member, covered view, …).
      send(res, 409, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  });
  // Chromium reuses an idle connection for up to 5 minutes; a server that closes it sooner races
  // with the browser's next request on it, which then fails as "aborted".
  server.keepAliveTimeout = 6 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`,
    port,
    async close() {
      clearInterval(keepAlive);
      stopResetListener();
      unsubscribe();
      for (const stream of streams) stream.end();
      streams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
