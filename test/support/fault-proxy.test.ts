import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { smallAccount } from './fixtures.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

/** An upstream that counts what it processed and echoes it back. */
let upstream: Server;
let processed: Array<{ method: string; path: string; body: string }>;
let proxy: FaultProxy;

beforeEach(async () => {
  processed = [];
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString() };
      processed.push(seen);
      const body = JSON.stringify({ ...seen, n: processed.length, padding: 'x'.repeat(200) });
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api`);
});

afterEach(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const post = (path: string, body = '{"v":1}', signal?: AbortSignal) =>
  fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...(signal ? { signal } : {}) });

describe('fault proxy', () => {
  it('passes requests through unchanged by default: method, path, query, body, status and headers', async () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    const response = await post('/things?x=1', '{"hello":"world"}');
    expect(response.status).toBe(201);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.json()).toMatchObject({ method: 'POST', path: '/api/things?x=1', body: '{"hello":"world"}' });
    const get = await fetch(`${proxy.url}/other`);
    expect(get.status).toBe(201);
    expect(processed.map((p) => `${p.method} ${p.path}`)).toEqual(['POST /api/things?x=1', 'GET /api/other']);
    expect(proxy.requests).toMatchObject([{ fault: null, reachedUpstream: true, upstreamStatus: 201 }, { fault: null }]);
  });

  it('breaks only matching requests (method and path), as many times as asked', async () => {
    proxy.inject({ method: 'POST', path: /\/checkin$/, fault: { kind: 'status', status: 500 }, times: 2 });
    expect((await fetch(`${proxy.url}/m/checkin`)).status).toBe(201);
    expect((await post('/m/checkin/other')).status).toBe(201);
    expect((await post('/m/checkin')).status).toBe(500);
    expect((await post('/m/checkin')).status).toBe(500);
    expect(proxy.pendingFaults()).toBe(0);
    expect((await post('/m/checkin')).status).toBe(201);
    expect(processed).toHaveLength(3);
  });

  it('answers 429 with Retry-After before the upstream sees the request', async () => {
    proxy.inject({ path: /./, fault: { kind: 'status', status: 429, retryAfterSeconds: 7 } });
    const response = await post('/x');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(processed).toHaveLength(0);
    expect(proxy.requests[0]).toMatchObject({ fault: 'status', reachedUpstream: false });
  });

  it('answers a 5xx after the upstream processed the request (the answer is lost, the work is done)', async () => {
    proxy.inject({ path: /\/x$/, fault: { kind: 'status', status: 502 }, afterUpstream: true });
    expect((await post('/x')).status).toBe(502);
    expect(processed).toHaveLength(1);
    expect(proxy.requests[0]).toMatchObject({ fault: 'status', reachedUpstream: true, upstreamStatus: 201 });
  });

  it('truncates the body after the headers promised all of it', async () => {
    proxy.inject({ path: /\/x$/, fault: { kind: 'truncate', bytes: 10 } });
    const response = await post('/x');
    expect(response.status).toBe(201);
    await expect(response.text()).rejects.toThrow();
    expect(processed).toHaveLength(1);
  });

  it('answers an empty body, or an HTML error page', async () => {
    proxy.inject({ path: /\/empty$/, fault: { kind: 'empty' }, afterUpstream: true });
    proxy.inject({ path: /\/html$/, fault: { kind: 'html' } });
    const empty = await post('/empty');
    expect(empty.status).toBe(201);
    expect(await empty.text()).toBe('');
    const html = await post('/html');
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    await expect(html.json()).rejects.toThrow();
    expect(processed.map((p) => p.path)).toEqual(['/api/empty']);
  });

  it('delays before or after the upstream', async () => {
    proxy.inject({ path: /\/slow$/, fault: { kind: 'delay', ms: 300 } });
    proxy.inject({ path: /\/slow$/, fault: { kind: 'delay', ms: 300 }, afterUpstream: true });
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      const response = await post('/slow');
      expect(response.status).toBe(201);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    }
    expect(processed).toHaveLength(2);
  });

  it('hangs until the client gives up', async () => {
    proxy.inject({ path: /\/x$/, fault: { kind: 'hang' } });
    proxy.inject({ path: /\/y$/, fault: { kind: 'hang' }, afterUpstream: true });
    await expect(post('/x', '{}', AbortSignal.timeout(200))).rejects.toThrow(/aborted|timeout/i);
    await expect(post('/y', '{}', AbortSignal.timeout(200))).rejects.toThrow(/aborted|timeout/i);
    expect(processed.map((p) => p.path)).toEqual(['/api/y']);
  });

  it('resets the connection', async () => {
    proxy.inject({ path: /\/x$/, fault: { kind: 'reset' } });
    const error = (await post('/x').catch((e: unknown) => e)) as Error & { cause?: { code?: string } };
    expect(error).toBeInstanceOf(TypeError);
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(error.cause?.code);
    expect(processed).toHaveLength(0);
    expect((await post('/x')).status).toBe(201);
  });
});

describe('fault proxy in front of the Gtmhub emulator', () => {
  it('loses the answer to a check-in Gtmhub recorded', async () => {
    const account = smallAccount();
    const gtmhub = await startGtmhubEmulator({ port: 0, data: account.data });
    const front = await startFaultProxy(gtmhub.url);
    try {
      front.inject({ method: 'POST', path: /\/v1\/metrics\/[0-9a-f]{24}\/checkin$/, fault: { kind: 'status', status: 502 }, afterUpstream: true });
      const response = await fetch(`${front.url}/v1/metrics/${account.metrics.nps}/checkin`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gtmhub.adminToken}`, 'gtmhub-accountId': gtmhub.accountId, 'content-type': 'application/json' },
        body: JSON.stringify({ actual: 42, comment: 'through the proxy' }),
      });
      expect(response.status).toBe(502);
      expect(gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps).map((s) => s.value)).toEqual([42]);
      const list = await fetch(`${front.url}/v1/metrics/${account.metrics.nps}`, { headers: { authorization: `Bearer ${gtmhub.adminToken}`, 'gtmhub-accountId': gtmhub.accountId } });
      expect(list.status).toBe(200);
    } finally {
      await front.close();
      await gtmhub.close();
    }
  });
});
