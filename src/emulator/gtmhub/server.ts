/**
 * The Gtmhub emulator: a node:http server that answers the Key Results API under /api/v1 and
 * /api/v2 from in-memory state, with fault injection, plus a small control API under /_emulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoEmulatorData } from './demo-data.js';
import { DEFAULT_FAULTS, FaultInjector, mergeFaults } from './faults.js';
import { GOAL_STATUS_REQUIRES_ACCOUNT_HEADER, UNPAID_CHECKED_AFTER_AUTH, WRONG_ACCOUNT_STATUS } from './guesses.js';
import { HttpError, badRequest } from './http-error.js';
import { EmulatorModel } from './model.js';
import { matchRoute, type RequestContext } from './router.js';
import { ROUTES } from './routes.js';
import { createState, replaceState } from './state.js';
import type { EmulatorData, EmulatorFaults, EmulatorState, EmulatorToken } from './types.js';
import { WEB_PAGE_HTML, keyResultSummary } from './web-page.js';

export type { EmulatorData, EmulatorFaults, EmulatorState, EmulatorToken } from './types.js';

export interface GtmhubEmulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed data; default the demo data set. */
  data?: EmulatorData;
  /** Default: the data's tokens, else an admin token for the first user and a member token for the second. */
  tokens?: EmulatorToken[];
  faults?: Partial<EmulatorFaults>;
  /** The emulator's clock (due dates, createdAt). Default: real time. */
  now?: () => Date;
}

export interface EmulatorRequestLogEntry {
  method: string;
  path: string;
  query: string;
  /** The request body as sent ('' when none), so tests can pin what a client sends. */
  body: string;
  status: number;
  at: number;
}

export interface GtmhubEmulator {
  /** Base URL without version, e.g. http://127.0.0.1:PORT/api */
  url: string;
  /** 24-hex account id to send as gtmhub-accountId. */
  readonly accountId: string;
  /** A token whose user is an account admin. */
  readonly adminToken: string;
  /** A token of a non-admin user. */
  readonly memberToken: string;
  /** Live in-memory state; tests may read and modify it. The same object across reset(). */
  state: EmulatorState;
  /** Every request except /_emulator control calls, in arrival order. Cleared by reset(). */
  requests: EmulatorRequestLogEntry[];
  /** Current faults (read-only view; change them with setFaults). */
  readonly faults: EmulatorFaults;
  setFaults(faults: Partial<EmulatorFaults>): void;
  /** Back to the given data (or the data it started with), the start faults, an empty request log. */
  reset(data?: EmulatorData): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startGtmhubEmulator(options: GtmhubEmulatorOptions = {}): Promise<GtmhubEmulator> {
  const initialData = options.data ?? demoEmulatorData();
  const now = options.now ?? (() => new Date());
  const state = createState(initialData, options.tokens);
  const model = new EmulatorModel(state, now);
  const startFaults = mergeFaults(DEFAULT_FAULTS, options.faults ?? {});
  let faults = new FaultInjector(startFaults);
  const requests: EmulatorRequestLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const reset = (data?: EmulatorData): void => {
    replaceState(state, createState(data ?? initialData, options.tokens));
    faults = new FaultInjector(startFaults);
    requests.length = 0;
  };

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handleApi = async (req: IncomingMessage, res: ServerResponse, path: string, url: URL, bodyText: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const latency = faults.faults.latencyMs;
    if (latency > 0) await delay(latency);

    model.beginRequest();
    const route = matchRoute(ROUTES, method, path.slice('/api'.length));
    const token = authenticate(req, state, { requireAccount: GOAL_STATUS_REQUIRES_ACCOUNT_HEADER || !/\/goals\/[^/]+\/status$/.test(path) });
    if (faults.faults.unpaid && UNPAID_CHECKED_AFTER_AUTH) throw new HttpError(402, 'payment required: the account subscription has expired');
    const injected = faults.decide(method, path);
    if (injected) {
      throw new HttpError(
        injected.status,
        injected.message,
        injected.retryAfterSeconds !== undefined ? { 'retry-after': String(injected.retryAfterSeconds) } : {},
      );
    }
    if (!route) throw new HttpError(404, `no such endpoint: ${method} ${path}`);
    if ('allowed' in route) throw new HttpError(405, `method ${method} not allowed on ${path}`, { allow: route.allowed.join(', ') });

    let parsedBody: { value: unknown } | undefined;
    const ctx: RequestContext = {
      model,
      params: route.params,
      query: url.searchParams,
      token,
      body: () => {
        if (!parsedBody) {
          if (bodyText.trim() === '') throw badRequest('request body is required');
          try {
            parsedBody = { value: JSON.parse(bodyText) };
          } catch (error) {
            throw badRequest(`request body is not valid JSON: ${(error as Error).message}`);
          }
        }
        return parsedBody.value;
      },
    };
    const reply = route.route.handler(ctx);
    const late = faults.answerDelay(method, path);
    if (late > 0) await delay(late);
    send(res, reply.status, reply.body);
  };

  const handleControl = (req: IncomingMessage, res: ServerResponse, path: string, bodyText: string): void => {
    const method = req.method ?? 'GET';
    const metricPage = /^\/_emulator\/metrics\/([^/]+)$/.exec(path);
    if (metricPage && method === 'GET') {
      const summary = keyResultSummary(model, decodeURIComponent(metricPage[1]!));
      if (!summary) throw new HttpError(404, `no key result ${metricPage[1]}`);
      return send(res, 200, summary);
    }
    const body = (): unknown => {
      if (bodyText.trim() === '') return undefined;
      try {
        return JSON.parse(bodyText);
      } catch (error) {
        throw badRequest(`request body is not valid JSON: ${(error as Error).message}`);
      }
    };
    if (path === '/_emulator/faults' && method === 'GET') return send(res, 200, faults.faults);
    if (path === '/_emulator/faults' && method === 'POST') {
      try {
        faults.set((body() ?? {}) as Partial<EmulatorFaults>);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw badRequest((error as Error).message);
      }
      return send(res, 200, faults.faults);
    }
    if (path === '/_emulator/state' && method === 'GET') return send(res, 200, counts(state, requests.length));
    if (path === '/_emulator/reset' && method === 'POST') {
      const data = body();
      try {
        reset(data === undefined ? undefined : (data as EmulatorData));
      } catch (error) {
        throw badRequest((error as Error).message);
      }
      return send(res, 200, counts(state, requests.length));
    }
    throw new HttpError(404, `no such control endpoint: ${method} ${path} (try GET /_emulator/state, GET|POST /_emulator/faults, POST /_emulator/reset, GET /_emulator/metrics/{id})`);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const control = path.startsWith('/_emulator/');
    const webPage = path === '/' && (req.method === 'GET' || req.method === 'HEAD');
    let entry: EmulatorRequestLogEntry | undefined;
    if (!control && !webPage) {
      entry = { method: req.method ?? 'GET', path, query: url.search.slice(1), body: '', status: 0, at: Date.now() };
      const logged = entry;
      requests.push(logged);
      res.on('finish', () => {
        logged.status = res.statusCode;
      });
    }
    if (webPage) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(WEB_PAGE_HTML) }).end(req.method === 'HEAD' ? undefined : WEB_PAGE_HTML);
      return;
    }
    readBody(req)
      .then(async (bodyText) => {
        if (entry) entry.body = bodyText;
        if (control) handleControl(req, res, path, bodyText);
        else if (path === '/api' || path.startsWith('/api/')) await handleApi(req, res, path, url, bodyText);
        else throw new HttpError(404, `no such endpoint: ${req.method} ${path} (the API is under /api/v1 and /api/v2)`);
      })
      .catch((error: unknown) => {
        if (error instanceof HttpError) return send(res, error.status, { message: error.message }, error.headers);
        send(res, 500, { message: `emulator error: ${(error as Error)?.message ?? String(error)}` });
      });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  model.webBaseUrl = `http://${host}:${address.port}`;

  return {
    url: `http://${host}:${address.port}/api`,
    get accountId() {
      return state.accountId;
    },
    get adminToken() {
      return state.tokens.find((t) => t.role === 'admin')?.token ?? '';
    },
    get memberToken() {
      return state.tokens.find((t) => t.role === 'member')?.token ?? '';
    },
    state,
    requests,
    get faults() {
      return faults.faults;
    },
    setFaults: (update) => faults.set(update),
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function authenticate(req: IncomingMessage, state: EmulatorState, options: { requireAccount: boolean }): EmulatorToken {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new HttpError(401, 'missing or malformed Authorization header (expected "Bearer <token>")');
  const token = state.tokens.find((candidate) => candidate.token === match[1]);
  if (!token) throw new HttpError(401, 'invalid token');
  const accountId = req.headers['gtmhub-accountid'];
  if (options.requireAccount && (accountId === undefined || accountId === '')) throw new HttpError(401, 'missing gtmhub-accountId header');
  if (accountId !== undefined && accountId !== '' && accountId !== state.accountId) {
    throw new HttpError(WRONG_ACCOUNT_STATUS, 'the token does not belong to the account in gtmhub-accountId');
  }
  return token;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...headers }).end(json);
}

function counts(state: EmulatorState, requests: number): Record<string, unknown> {
  return {
    accountId: state.accountId,
    users: state.users.length,
    teams: state.teams.length,
    sessions: state.sessions.length,
    goals: state.goals.length,
    metrics: state.metrics.length,
    snapshots: state.snapshots.length,
    tokens: state.tokens.length,
    requests,
  };
}
