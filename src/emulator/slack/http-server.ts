import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleResponseUrlPost } from './response-url.js';
import type { WebApi, Args } from './web-api.js';
import type { Workspace } from './workspace.js';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function formArgs(text: string): Args {
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(text)) args[key] = value;
  return args;
}

/** Parses a Web API request body the ways Slack accepts: form-encoded, JSON, or query string. */
function parseApiRequest(req: IncomingMessage, url: URL, body: string): { args: Args; kind: 'json' | 'form' } | { error: string } {
  const args: Args = {};
  for (const [key, value] of url.searchParams) args[key] = value;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.trim() === '') return { args, kind: 'form' };
  if (contentType === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'invalid_json' };
      return { args: { ...args, ...(parsed as Args) }, kind: 'json' };
    } catch {
      return { error: 'invalid_json' };
    }
  }
  if (contentType === 'application/x-www-form-urlencoded' || contentType === 'text/plain') return { args: { ...args, ...formArgs(body) }, kind: 'form' };
  if (contentType === '') return { error: 'missing_post_type' };
  return { error: 'invalid_post_type' };
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

export interface EmulatorHttpServer {
  server: Server;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startHttpServer(ws: Workspace, api: WebApi, host: string, port: number): Promise<EmulatorHttpServer> {
  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error', detail: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const body = req.method === 'POST' ? await readBody(req) : '';
    const apiMatch = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (apiMatch && (req.method === 'POST' || req.method === 'GET')) {
      const method = apiMatch[1] as string;
      const parsed = parseApiRequest(req, url, body);
      if ('error' in parsed) return sendJson(res, 200, { ok: false, error: parsed.error });
      const answer = api.handle(method, parsed.args, bearerOf(req), parsed.kind);
      return sendJson(res, answer.status, answer.body, answer.headers);
    }
    if (/^\/(commands|actions)\//.test(url.pathname) && req.method === 'POST') {
      let payload: Record<string, unknown> | undefined;
      try {
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
        if (contentType === 'application/x-www-form-urlencoded') {
          const form = formArgs(body);
          payload = typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
        } else {
          const parsed: unknown = JSON.parse(body);
          payload = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
        }
      } catch {
        payload = undefined;
      }
      const answer = handleResponseUrlPost(ws, url.pathname, payload, api.calls);
      return sendJson(res, answer.status, answer.body);
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const printableHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    baseUrl: `http://${printableHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
