/**
 * An HTTP proxy on 127.0.0.1 in front of an emulator (or any HTTP server) that breaks chosen
 * requests the ways networks, load balancers and overloaded APIs do. Every request passes through
 * unchanged unless a rule matches it (method + path regex, for a number of times). A fault applies
 * either before the upstream sees the request (it never arrives) or after the upstream answered
 * (the upstream did the work; only the answer is lost or mangled):
 *
 *   const proxy = await startFaultProxy(gtmhub.url);
 *   proxy.inject({ method: 'POST', path: /\/checkin$/, fault: { kind: 'status', status: 502 }, afterUpstream: true });
 *
 * Uses node:http only.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  /** Sends the status, headers (with the full Content-Length) and only the first `bytes` of the body, then drops the connection. */
  | { kind: 'truncate'; bytes?: number }
  /** The status (default: the upstream's, or 200) with an empty body. */
  | { kind: 'empty'; status?: number }
  /** An HTML error page instead of the answer, as a load balancer or proxy sends it. */
  | { kind: 'html'; status?: number; body?: string }
  /** Waits before forwarding (or, after upstream, before answering). */
  | { kind: 'delay'; ms: number }
  /** Never answers; the connection stays open until the client gives up or the proxy closes. */
  | { kind: 'hang' }
  /** Resets the TCP connection (the client sees ECONNRESET / "socket hang up"). */
  | { kind: 'reset' }
  /** Answers this status, e.g. 429 with Retry-After, or a 5xx, with a JSON body. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; body?: unknown };

export interface FaultRule {
  /** Any method when absent. */
  method?: string;
  /** Tested against the request path with its query string. */
  path: RegExp;
  fault: Fault;
  /** How many matching requests it breaks (default 1; Infinity for all). */
  times?: number;
  /** Let the upstream process the request first and break only its answer (always so for `truncate`). */
  afterUpstream?: boolean;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The fault applied, if any. */
  fault: Fault['kind'] | null;
  /** Whether the upstream received the request. */
  reachedUpstream: boolean;
  upstreamStatus: number | null;
}

export interface FaultProxy {
  /** The proxy's base URL, with the upstream's base path (point the app's *_API_URL here). */
  url: string;
  requests: ProxiedRequest[];
  inject(rule: FaultRule): void;
  /** Rules that still have matches left. */
  pendingFaults(): number;
  clearFaults(): void;
  close(): Promise<void>;
}

interface ActiveRule extends FaultRule {
  left: number;
}

interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'content-length') out[name] = value;
  }
  return out;
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reset(res: ServerResponse): void {
  const socket = res.socket as (Socket & { resetAndDestroy?: () => Socket }) | null;
  if (socket?.resetAndDestroy) socket.resetAndDestroy();
  else socket?.destroy();
}

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: false });
  const rules: ActiveRule[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          agent,
          headers: { ...endToEndHeaders(req.headers), host: upstream.host, 'content-length': String(body.length) },
        },
        (answer) => {
          readBody(answer).then((answerBody) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: answerBody }), reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const take = (method: string, path: string): ActiveRule | undefined => {
    const rule = rules.find((r) => r.left > 0 && (!r.method || r.method.toUpperCase() === method) && r.path.test(path));
    if (rule) rule.left -= 1;
    return rule;
  };

  const answerWithFault = async (res: ServerResponse, fault: Fault, answer: UpstreamAnswer | null): Promise<void> => {
    switch (fault.kind) {
      case 'hang':
        return;
      case 'reset':
        reset(res);
        return;
      case 'status': {
        const body = Buffer.from(JSON.stringify(fault.body ?? { ok: false, error: fault.status === 429 ? 'ratelimited' : `status ${fault.status}` }));
        res.writeHead(fault.status, {
          'content-type': 'application/json',
          'content-length': String(body.length),
          ...(fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }),
        });
        res.end(body);
        return;
      }
      case 'html': {
        const status = fault.status ?? 502;
        const body = Buffer.from(fault.body ?? `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status} Bad Gateway</h1></center></body></html>`);
        res.writeHead(status, { 'content-type': 'text/html', 'content-length': String(body.length) });
        res.end(body);
        return;
      }
      case 'empty':
        res.writeHead(fault.status ?? answer?.status ?? 200, { ...(answer ? endToEndHeaders(answer.headers) : {}), 'content-length': '0' });
        res.end();
        return;
      case 'truncate': {
        const full = answer?.body ?? Buffer.alloc(0);
        const kept = full.subarray(0, Math.min(fault.bytes ?? Math.floor(full.length / 2), Math.max(0, full.length - 1)));
        res.writeHead(answer?.status ?? 200, { ...(answer ? endToEndHeaders(answer.headers) : {}), 'content-length': String(full.length) });
        res.write(kept, () => res.socket?.destroy());
        return;
      }
      case 'delay':
        await sleep(fault.ms);
        if (answer) pass(res, answer);
        return;
    }
  };

  const pass = (res: ServerResponse, answer: UpstreamAnswer) => {
    res.writeHead(answer.status, { ...endToEndHeaders(answer.headers), 'content-length': String(answer.body.length) });
    res.end(answer.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const body = await readBody(req);
    const rule = take(method, path);
    const record: ProxiedRequest = { method, path, fault: rule?.fault.kind ?? null, reachedUpstream: false, upstreamStatus: null };
    requests.push(record);
    const after = rule && (rule.afterUpstream === true || rule.fault.kind === 'truncate');

    if (rule && !after) {
      if (rule.fault.kind !== 'delay') return answerWithFault(res, rule.fault, null);
      await sleep(rule.fault.ms);
    }
    let answer: UpstreamAnswer;
    try {
      record.reachedUpstream = true;
      answer = await forward(req, body);
      record.upstreamStatus = answer.status;
    } catch {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('fault proxy: upstream unreachable');
      return;
    }
    if (rule && after) return answerWithFault(res, rule.fault, answer);
    pass(res, answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reset(res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${upstream.pathname === '/' ? '' : upstream.pathname}`,
    requests,
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? 1 });
    },
    pendingFaults() {
      return rules.filter((r) => r.left > 0).length;
    },
    clearFaults() {
      rules.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
