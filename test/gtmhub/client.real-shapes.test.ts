/**
 * The shapes the real API speaks, pinned on both sides over HTTP: the bodies the client sends
 * (bare, never wrapped in the seed's parameter names), the fields it asks for, the links it uses,
 * and the emulator's 400s for the wrong forms.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import type { GtmhubClient } from '../../src/gtmhub/client.js';
import type { Metric } from '../../src/gtmhub/types.js';
import { clientFor, NO_FAULTS, type Emulator } from './fixture.js';
import { startRawServer, type RawServer } from './raw-server.js';

let emu: Emulator;
let client: GtmhubClient;
let openGoalId: string;
let ownerId: string;

const METRIC_URL = /^http:\/\/127\.0\.0\.1:\d+\/#\/goals\/([0-9a-f]{24})\/all\/([0-9a-f]{24})\/metrics\/metric\/([0-9a-f]{24})\/$/;

beforeAll(async () => {
  emu = await startGtmhubEmulator({ port: 0 });
  client = clientFor(emu);
  const closed = new Set(emu.state.sessions.filter((s) => s.status === 'closed').map((s) => s.id));
  const goal = emu.state.goals.find((g) => !closed.has(g.sessionId) && !g.closedStatus)!;
  openGoalId = goal.id;
  ownerId = emu.state.users[0]!.id;
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.setFaults(NO_FAULTS);
  emu.requests.length = 0;
});

function sentBody(method: string, pathPattern: RegExp): unknown {
  const entry = emu.requests.find((r) => r.method === method && pathPattern.test(r.path));
  if (!entry) throw new Error(`no ${method} ${pathPattern}`);
  return JSON.parse(entry.body);
}

async function raw(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(emu.url + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${emu.adminToken}`, 'gtmhub-accountId': emu.accountId, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function freshMetric(name: string): Promise<Metric> {
  return client.createMetric({ name, goalId: openGoalId, ownerIds: [ownerId], initialValue: 0, target: 10 });
}

describe('request bodies are bare', () => {
  it('check-in: the bare object {actual, comment, confidence, checkInDate}', async () => {
    const metric = await freshMetric('bare check-in');
    await client.checkIn(metric.id, { actual: 3, comment: 'from Slack', confidence: 0.6, checkInDate: '2026-01-05T10:00:00.000Z' });
    expect(sentBody('POST', /\/checkin$/)).toEqual({ actual: 3, comment: 'from Slack', confidence: 0.6, checkInDate: '2026-01-05T10:00:00.000Z' });
  });

  it('bulk check-in: a bare JSON array of snapshots', async () => {
    const a = await freshMetric('bulk bare A');
    const b = await freshMetric('bulk bare B');
    const items = [
      { metricId: a.id, actual: 1, comment: 'one' },
      { metricId: b.id, actual: 2, comment: 'two', confidence: 0.5 },
    ];
    const response = await client.bulkCheckIn(items);
    expect(sentBody('POST', /\/metrics\/checkins$/)).toEqual(items);
    expect(response.results.map((r) => r.snapshot?.value)).toEqual([1, 2]);
  });

  it('create, replace and patch: the bare metric object', async () => {
    const created = await freshMetric('bare metric');
    expect(sentBody('POST', /\/v1\/metrics$/)).toEqual({ name: 'bare metric', goalId: openGoalId, ownerIds: [ownerId], initialValue: 0, target: 10 });
    await client.replaceMetric(created.id, { name: 'bare metric 2', goalId: openGoalId, target: 20 });
    expect(sentBody('PUT', new RegExp(`/v1/metrics/${created.id}$`))).toEqual({ name: 'bare metric 2', goalId: openGoalId, target: 20 });
    await client.patchMetric(created.id, { target: 30 });
    expect(sentBody('PATCH', new RegExp(`/v1/metrics/${created.id}$`))).toEqual({ target: 30 });
  });

  it('check-in comment patch: the bare {comment}', async () => {
    const metric = await freshMetric('comment patch');
    const snapshot = await client.checkIn(metric.id, { actual: 1 });
    await client.updateCheckInComment(snapshot.id!, 'edited');
    expect(sentBody('PATCH', /\/metrics\/checkin\//)).toEqual({ comment: 'edited' });
  });
});

describe('the emulator refuses wrapped bodies with a 400 that says why', () => {
  it.each([
    ['check-in', 'POST', 'checkin', { checkIn: { actual: 1 } }, /not wrapped in \{"checkIn"/],
    ['create', 'POST', 'create', { metric: { name: 'x', goalId: 'GOAL' } }, /not wrapped in \{"metric"/],
    ['patch', 'PATCH', 'metric', { metric: { target: 3 } }, /not wrapped in \{"metric"/],
    ['replace', 'PUT', 'metric', { metric: { name: 'x' } }, /not wrapped in \{"metric"/],
    ['bulk', 'POST', 'bulk', { snapshots: [] }, /bare JSON array.*not wrapped in \{"snapshots"/],
    ['bulk with an object', 'POST', 'bulk', { metricId: 'x', actual: 1 }, /JSON array of check-ins/],
    ['comment patch', 'PATCH', 'snapshot', { snapshot: { comment: 'x' } }, /not wrapped in \{"snapshot"/],
  ] as const)('%s', async (_label, method, target, body, message) => {
    const metric = await freshMetric(`wrapped ${target}`);
    const snapshot = await client.checkIn(metric.id, { actual: 1 });
    const path = {
      checkin: `/v1/metrics/${metric.id}/checkin`,
      create: '/v1/metrics',
      metric: `/v1/metrics/${metric.id}`,
      bulk: '/v1/metrics/checkins',
      snapshot: `/v1/metrics/checkin/${snapshot.id}`,
    }[target];
    const payload = JSON.parse(JSON.stringify(body).replace('GOAL', openGoalId)) as unknown;
    const answer = await raw(path, { method, body: payload });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(message);
    expect(emu.state.metrics.find((m) => m.id === metric.id)).toMatchObject({ actual: 1, target: 10, name: `wrapped ${target}` });
  });
});

describe('bodies as real Gtmhub sends them', () => {
  it('a key result never checked in and never described has no confidence, description or lastCheckInDate keys', async () => {
    const metric = await freshMetric('unset fields');
    const { body } = await raw(`/v1/metrics/${metric.id}`);
    for (const key of ['confidence', 'description', 'lastCheckInDate', 'goalName']) expect(body, key).not.toHaveProperty(key);
    const parsed = await client.getMetric(metric.id);
    expect(parsed.confidence).toBeUndefined();
    expect(parsed.lastCheckInDate).toBeUndefined();
  });

  it('metricHistory carries no emulator-internal fields', async () => {
    const metric = await freshMetric('history');
    await client.checkIn(metric.id, { actual: 4, comment: 'c' });
    const { body } = await raw(`/v1/metrics/${metric.id}`);
    expect(body.metricHistory).toHaveLength(1);
    expect(Object.keys(body.metricHistory[0]).sort()).toEqual(['changedBy', 'comment', 'createdAt', 'value']);
  });

  it('url is the real link shape, on the emulator itself (session, goal, metric)', async () => {
    const metric = await freshMetric('linked');
    const read = await client.getMetric(metric.id);
    const match = METRIC_URL.exec(read.url ?? '');
    expect(match, read.url).not.toBeNull();
    expect(match!.slice(1)).toEqual([read.sessionId, openGoalId, metric.id]);
    expect(new URL(read.url!).origin).toBe(new URL(emu.url).origin);
  });

  it('goalName is a v2 list field: served in /v2/metrics, absent from the single v1 body', async () => {
    const goal = emu.state.goals.find((g) => g.id === openGoalId)!;
    const metric = await freshMetric('named goal');
    const page = await client.listMetrics({ filter: { _id: metric.id }, fields: 'id,name,goalId,goalName,url' });
    expect(page.items[0]).toMatchObject({ id: metric.id, goalName: goal.name, url: expect.stringMatching(METRIC_URL) });
    expect((await client.getMetric(metric.id)).goalName).toBeUndefined();
  });

  it('lists send the page size as both limit and take', async () => {
    await client.listMetrics({ limit: 7 });
    const query = new URLSearchParams(emu.requests.at(-1)!.query);
    expect([query.get('limit'), query.get('take')]).toEqual(['7', '7']);
    const viaTake = await raw('/v2/metrics?take=3');
    expect(viaTake.body.items).toHaveLength(3);
  });
});

describe('a single-metric body without id', () => {
  let server: RawServer;
  afterAll(async () => server?.close());

  it('is read with the id that was asked for', async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'No id here', goalId: 'aaaaaaaaaaaaaaaaaaaaaaaa', actual: 2 }));
    });
    const viaRaw = clientFor({ ...emu, url: server.url } as Emulator);
    const metric = await viaRaw.getMetric('bbbbbbbbbbbbbbbbbbbbbbbb');
    expect(metric).toMatchObject({ id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'No id here', actual: 2 });
  });
});

describe('tolerant reading where the shape is unpublished or varies', () => {
  let server: RawServer | undefined;
  afterAll(async () => server?.close());
  const metricId = 'dddddddddddddddddddddddd';

  it.each([
    ['a bare array of results', [{ metricId, snapshot: { value: 5 } }]],
    ['{results}', { results: [{ metricId, snapshot: { value: 5 } }] }],
    ['{items}', { items: [{ metricId, snapshot: { value: 5 } }] }],
  ])('bulk check-in answers as %s', async (_label, answer) => {
    await server?.close();
    server = await startRawServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)));
    const viaRaw = clientFor({ ...emu, url: server.url } as Emulator);
    const response = await viaRaw.bulkCheckIn([{ metricId, actual: 5 }]);
    expect(response.results).toEqual([expect.objectContaining({ metricId, snapshot: expect.objectContaining({ value: 5 }) })]);
  });

  it('a metric body with null or "" for unset fields reads like one that leaves them out', async () => {
    await server?.close();
    const body = { id: metricId, name: 'n', goalId: 'aaaaaaaaaaaaaaaaaaaaaaaa', confidence: null, lastCheckInDate: null, description: '' };
    server = await startRawServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    const metric = await clientFor({ ...emu, url: server.url } as Emulator).getMetric(metricId);
    expect(metric.confidence ?? undefined).toBeUndefined();
    expect(metric.lastCheckInDate ?? undefined).toBeUndefined();
    expect(metric.description || undefined).toBeUndefined();
  });
});
