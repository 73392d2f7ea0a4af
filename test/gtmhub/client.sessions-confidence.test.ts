/** Sessions from the documented v2 list with a v1 fallback, and the account's confidence scale. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { confidenceScaleFromAccount, DEFAULT_CONFIDENCE_SCALE } from '../../src/gtmhub/confidence-scale.js';
import { GtmhubServerError } from '../../src/gtmhub/errors.js';
import { clientFor, type Emulator } from './fixture.js';
import { startRawServer, type RawServer } from './raw-server.js';

let emu: Emulator;
let raw: RawServer | undefined;

beforeAll(async () => {
  emu = await startGtmhubEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});
afterEach(async () => {
  await raw?.close();
  raw = undefined;
});

const viaRaw = (server: RawServer) => clientFor({ ...emu, url: server.url } as Emulator, { retry: { limit: 0 } });
const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').pathname;

describe('listSessions', () => {
  it('reads GET /v2/sessions with fields and paging', async () => {
    emu.requests.length = 0;
    const sessions = await clientFor(emu).listSessions();
    expect(sessions.map((s) => s.id).sort()).toEqual(emu.state.sessions.map((s) => s.id).sort());
    expect(sessions.every((s) => typeof s.status === 'string' && typeof s.title === 'string')).toBe(true);
    expect(emu.requests.map((r) => r.path)).toEqual(['/api/v2/sessions']);
    const query = new URLSearchParams(emu.requests[0]!.query);
    expect(query.get('fields')).toBe('id,title,status,start,end');
    expect([query.get('skip'), query.get('limit'), query.get('take'), query.get('sort')]).toEqual(['0', '100', '100', 'id']);
  });

  it.each([404, 405, 400])('falls back to GET /v1/sessions when v2 answers %i', async (status) => {
    raw = await startRawServer((req, res) => {
      if (pathOf(req) === '/api/v2/sessions') return json(res, status, { message: 'no' });
      json(res, 200, { items: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', title: 'Q1', status: 'open' }] });
    });
    expect(await viaRaw(raw).listSessions()).toEqual([{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', title: 'Q1', status: 'open' }]);
    expect(raw.requests.map((r) => pathOf({ url: r.url } as IncomingMessage))).toEqual(['/api/v2/sessions', '/api/v1/sessions']);
  });

  it('does not hide a real failure of v2 behind the fallback', async () => {
    raw = await startRawServer((_req, res) => json(res, 500, { message: 'down' }));
    await expect(viaRaw(raw).listSessions()).rejects.toBeInstanceOf(GtmhubServerError);
    expect(raw.requests).toHaveLength(1);
  });
});

describe('getConfidenceScale', () => {
  it('reads the emulated account: the default numeric scale in tenths', async () => {
    emu.requests.length = 0;
    const scale = await clientFor(emu).getConfidenceScale();
    expect(scale).toEqual(DEFAULT_CONFIDENCE_SCALE);
    expect(scale.levels.map((l) => l.value)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(emu.requests.map((r) => r.path)).toEqual([`/api/v1/accounts/${emu.accountId}`]);
  });

  it("reads an account's named levels (0–10 ranges) as values on 0–1, lowest first", async () => {
    const confidenceSettings = {
      confidenceType: 'labels',
      confidenceMapping: [
        { name: 'High', color: '#0a0', range: { from: 7, to: 10 } },
        { name: 'Low', color: '#a00', range: { from: 0, to: 3 } },
        { name: 'Medium', color: '#aa0', range: { from: 4, to: 6 } },
      ],
    };
    raw = await startRawServer((_req, res) => json(res, 200, { id: emu.accountId, confidenceSettings }));
    const scale = await viaRaw(raw).getConfidenceScale();
    expect(scale).toMatchObject({ kind: 'labels', source: 'account' });
    expect(scale.levels.map((l) => [l.label, l.value, l.from, l.to])).toEqual([
      ['Low', 0.15, 0, 0.3],
      ['Medium', 0.5, 0.4, 0.6],
      ['High', 0.85, 0.7, 1],
    ]);
  });

  it('falls back to the default when the token may not read the account, and fails on a server error', async () => {
    raw = await startRawServer((_req, res) => json(res, 403, { message: 'forbidden' }));
    expect(await viaRaw(raw).getConfidenceScale()).toEqual(DEFAULT_CONFIDENCE_SCALE);
    await raw.close();
    raw = await startRawServer((_req, res) => json(res, 503, { message: 'down' }));
    await expect(viaRaw(raw).getConfidenceScale()).rejects.toBeInstanceOf(GtmhubServerError);
  });

  it.each([
    ['no settings', {}],
    ['numeric', { confidenceSettings: { confidenceType: 'numeric', confidenceMapping: [] } }],
    ['labels without levels', { confidenceSettings: { confidenceType: 'labels', confidenceMapping: [] } }],
    ['a broken level', { confidenceSettings: { confidenceType: 'labels', confidenceMapping: [{ name: 'x', range: { from: 5, to: 1 } }] } }],
    ['not an object', 'nope'],
  ])('reads %s as the default scale', (_label, account) => {
    expect(confidenceScaleFromAccount(account)).toEqual(DEFAULT_CONFIDENCE_SCALE);
  });
});
