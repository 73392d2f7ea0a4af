/**
 * The pager against raw servers that bend the paging contract: a server that caps the page, one
 * that ignores skip, one that ignores limit. The walk must stay complete, never loop and never
 * quietly multiply its requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { GtmhubUnexpectedResponseError } from '../../src/gtmhub/errors.js';
import { startRawServer, type RawServer } from './raw-server.js';

const ACCOUNT = '5be26318e5274a0007f17f61';
const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(24, '0'));
const metrics = (n: number) => ids(n).map((id, i) => ({ id, name: `KR ${i}`, goalId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }));

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface ServeOptions {
  total: number;
  cap?: number;
  ignoreSkip?: boolean;
  ignoreLimit?: boolean;
  sendTotal?: boolean;
  /** Which parameter carries the page size; the other one is ignored. */
  pageParam?: 'limit' | 'take';
}

function listServer(options: ServeOptions) {
  const all = metrics(options.total);
  return (req: IncomingMessage, res: ServerResponse) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const skip = options.ignoreSkip ? 0 : Number(query.get('skip') ?? 0);
    const asked = Number(query.get(options.pageParam ?? 'limit') ?? 100);
    const size = options.ignoreLimit ? all.length : Math.min(asked, options.cap ?? Infinity);
    const items = all.slice(skip, skip + size);
    const body = options.sendTotal === false ? { items } : { items, totalCount: all.length };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
}

function clientOf(url: string, logLines: string[] = []): GtmhubClient {
  const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  return new GtmhubClient({ baseUrl: url, token: 't', accountId: ACCOUNT, retry: { limit: 0 }, logger: pino({ level: 'debug' }, sink) });
}

async function walk(client: GtmhubClient, pageSize: number): Promise<string[]> {
  const seen: string[] = [];
  for await (const metric of client.iterateMetrics({ pageSize })) seen.push(metric.id);
  return seen;
}

function pageSizesAsked(): Array<[string | null, string | null, string | null]> {
  return server!.requests.map((r) => {
    const query = new URL(r.url, 'http://x').searchParams;
    return [query.get('skip'), query.get('limit'), query.get('take')];
  });
}

describe('paging against servers that bend the contract', () => {
  it('a server that caps the page: every item once, then asks for the capped size, and says so once', async () => {
    server = await startRawServer(listServer({ total: 230, cap: 50 }));
    const log: string[] = [];
    const seen = await walk(clientOf(server.url, log), 100);
    expect(seen).toEqual(ids(230));
    expect(pageSizesAsked()).toEqual([
      ['0', '100', '100'],
      ['50', '50', '50'],
      ['100', '50', '50'],
      ['150', '50', '50'],
      ['200', '50', '50'],
    ]);
    expect(log.filter((line) => line.includes('fewer items than asked'))).toHaveLength(1);
  });

  it('a server that reads only take gets the page size there too', async () => {
    server = await startRawServer(listServer({ total: 25, pageParam: 'take' }));
    expect(await walk(clientOf(server.url), 10)).toEqual(ids(25));
    expect(server.requests).toHaveLength(3);
  });

  it('a server that ignores skip (with totalCount): fails on the repeated page instead of yielding duplicates', async () => {
    server = await startRawServer(listServer({ total: 300, ignoreSkip: true }));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const metric of clientOf(server!.url).iterateMetrics({ pageSize: 100 })) seen.push(metric.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GtmhubUnexpectedResponseError);
    expect((error as Error).message).toMatch(/ignore skip/);
    expect(seen).toEqual(ids(100));
    expect(server.requests).toHaveLength(2);
  });

  it('a server that ignores skip and sends no totalCount: fails instead of looping forever', async () => {
    server = await startRawServer(listServer({ total: 100, ignoreSkip: true, sendTotal: false }));
    const error = await walk(clientOf(server.url), 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GtmhubUnexpectedResponseError);
    expect(server.requests).toHaveLength(2);
  });

  it('a server that ignores limit: one request for everything, no extra pages', async () => {
    server = await startRawServer(listServer({ total: 240, ignoreLimit: true }));
    expect(await walk(clientOf(server.url), 100)).toEqual(ids(240));
    expect(server.requests).toHaveLength(1);
  });

  it('without totalCount a short page ends the walk (no confirming request)', async () => {
    server = await startRawServer(listServer({ total: 130, sendTotal: false }));
    expect(await walk(clientOf(server.url), 100)).toEqual(ids(130));
    expect(server.requests).toHaveLength(2);
  });
});
