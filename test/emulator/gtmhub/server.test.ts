import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_BASE_DATE,
  DEMO_USER_IDS,
  NO_DUE_DATE,
  startGtmhubEmulator,
  type EmulatorMetric,
  type GtmhubEmulator,
} from '../../../src/emulator/gtmhub/index.js';

let emulator: GtmhubEmulator;
let now = new Date(DEMO_BASE_DATE);

beforeAll(async () => {
  emulator = await startGtmhubEmulator({ now: () => now });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  now = new Date(DEMO_BASE_DATE);
  emulator.reset();
});

interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  token?: string | null;
  account?: string | null;
}

async function call(path: string, options: CallOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = options.token === undefined ? emulator.adminToken : options.token;
  const account = options.account === undefined ? emulator.accountId : options.account;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (account !== null) headers['gtmhub-accountId'] = account;
  const response = await fetch(emulator.url + path, {
    method: options.method ?? 'GET',
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const metricNamed = (name: string): EmulatorMetric => {
  const metric = emulator.state.metrics.find((m) => m.name === name);
  if (!metric) throw new Error(`no demo metric ${name}`);
  return metric;
};
const UNKNOWN_ID = 'aaaaaaaaaaaaaaaaaaaaaaaa';

describe('auth', () => {
  it('401 without a bearer token, with an unknown token, without or with a wrong account id', async () => {
    for (const options of [{ token: null }, { token: 'nope' }, { account: null }, { account: '5be26318e5274a0007f17f00' }]) {
      const { status, body } = await call('/v2/metrics', options);
      expect(status, JSON.stringify(options)).toBe(401);
      expect(body.message).toEqual(expect.any(String));
    }
  });

  it('402 for every request of an unpaid account', async () => {
    emulator.setFaults({ unpaid: true });
    expect((await call('/v2/metrics')).status).toBe(402);
    expect((await call(`/v1/metrics/${metricNamed('NPS').id}/checkin`, { method: 'POST', body: { actual: 1 } })).status).toBe(402);
    expect(metricNamed('NPS').actual).toBe(38);
  });

  it('DELETE of a check-in is 403 for a member and 204 for an admin', async () => {
    const nps = metricNamed('NPS');
    const created = await call(`/v1/metrics/${nps.id}/checkin`, { method: 'POST', body: { actual: 40 } });
    const { status, body } = await call(`/v1/metrics/checkin/${created.body.id}`, { method: 'DELETE', token: emulator.memberToken });
    expect(status).toBe(403);
    expect(body.message).toMatch(/admin/);
    expect((await call(`/v1/metrics/checkin/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/v1/metrics/checkin/${created.body.id}`)).status).toBe(404);
    expect(metricNamed('NPS').actual).toBe(38);
    expect(metricNamed('NPS').metricHistory.some((entry) => entry.snapshotId === created.body.id)).toBe(false);
  });
});

describe('lists', () => {
  it("answers the seed's own example query", async () => {
    const query = new URLSearchParams({
      fields: 'name,description',
      sort: '-name,dateCreated',
      filter: '{name: {$in: ["sales", "marketing"]}}',
      skip: '0',
      limit: '10',
      formatting: 'plainText',
    });
    const { status, body } = await call(`/v2/metrics?${query}`);
    expect(status).toBe(200);
    expect(body.totalCount).toBe(2);
    expect(body.items.map((item: { name: string }) => item.name)).toEqual(['sales', 'marketing']);
    expect(Object.keys(body.items[0]).sort()).toEqual(['description', 'id', 'name']);
    query.set('skip', '5');
    expect((await call(`/v2/metrics?${query}`)).body).toEqual({ items: [], totalCount: 2 });
  });

  it('defaults to 100 items, lists derived fields, filters by owner and by assignee type', async () => {
    const all = await call('/v2/metrics');
    expect(all.body.totalCount).toBe(40);
    expect(all.body.items).toHaveLength(40);
    expect(all.body.items[0]).toMatchObject({ accountId: emulator.accountId, goalClosedStatus: { status: 'active' }, assignee: { type: 'user' } });

    const ana = DEMO_USER_IDS.ana!;
    const mine = await call(`/v2/metrics?filter=${encodeURIComponent(`{ownerIds: "${ana}"}`)}&fields=ownerIds`);
    expect(mine.body.totalCount).toBe(emulator.state.metrics.filter((m) => m.ownerIds.includes(ana)).length);
    expect(mine.body.items.every((m: { ownerIds: string[] }) => m.ownerIds.includes(ana))).toBe(true);

    const team = await call(`/v2/metrics?filter=${encodeURIComponent('{"assignee.type": "team"}')}&fields=name`);
    expect(team.body.items.map((m: { name: string }) => m.name).sort()).toEqual(['API p95 latency', 'sales']);

    const owner = await call(`/v1/metrics/owner/${ana}`);
    expect(owner.body.totalCount).toBe(mine.body.totalCount);
  });

  it('formats mentions as markup by default and as plain text on request', async () => {
    const id = metricNamed('New ARR from EMEA').id;
    expect((await call(`/v1/metrics/${id}`)).body.description).toContain('@[Hugo Martin:hugo@acme.example:');
    expect((await call(`/v1/metrics/${id}?formatting=plainText`)).body.description).toBe('Booked ARR, counted at signature. Finance: @Hugo Martin');
  });

  it('400 for a malformed filter, an unknown operator or a limit above 1000', async () => {
    for (const query of ['filter={name:', 'filter=' + encodeURIComponent('{name: {$like: "x"}}'), 'limit=5000', 'skip=-2']) {
      const { status, body } = await call(`/v2/metrics?${query}`);
      expect(status, query).toBe(400);
      expect(body.message.length).toBeGreaterThan(5);
    }
  });

  it('GET /v2/users requires fields and finds a user by email', async () => {
    expect((await call('/v2/users')).status).toBe(400);
    const { body } = await call(`/v2/users?fields=id,email,firstName,lastName&filter=${encodeURIComponent('{email: "ben@acme.example"}')}`);
    expect(body).toEqual({ items: [{ id: DEMO_USER_IDS.ben, email: 'ben@acme.example', firstName: 'Ben', lastName: 'Okafor' }], totalCount: 1 });
  });

  it('lists goals and sessions', async () => {
    const goals = await call('/v2/goals?sort=name&fields=name,attainment,goalClosedStatus,sessionId');
    expect(goals.body.totalCount).toBe(12);
    expect(goals.body.items.find((g: { name: string }) => g.name === 'Launch the partner program').goalClosedStatus.status).toBe('abandoned');
    const sessions = await call('/v1/sessions');
    expect(sessions.body.items.map((s: { status: string }) => s.status).sort()).toEqual(['closed', 'locked', 'open']);
  });

  it('404 for unknown paths and 405 for a wrong method', async () => {
    expect((await call('/v1/nothing')).status).toBe(404);
    expect((await call('/v1/metrics')).status).toBe(405);
  });
});

describe('check-ins', () => {
  it('records a snapshot and updates actual, attainment, confidence, lastCheckInDate and history', async () => {
    const metric = metricNamed('Engineers hired');
    const before = metric.metricHistory.length;
    const { status, body } = await call(`/v1/metrics/${metric.id}/checkin`, {
      method: 'POST',
      body: { actual: 12, comment: 'Two offers accepted', confidence: 0.8 },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ metricId: metric.id, value: 12, confidence: 0.8, comment: 'Two offers accepted', changedBy: DEMO_USER_IDS.ana, createdAt: now.toISOString() });
    expect(body.id).toMatch(/^[0-9a-f]{24}$/);

    const after = (await call(`/v1/metrics/${metric.id}`)).body;
    expect(after).toMatchObject({ actual: 12, attainment: 0.8, lastCheckInDate: now.toISOString(), confidence: { value: 0.8, userId: DEMO_USER_IDS.ana } });
    expect(after.metricHistory).toHaveLength(before + 1);
    expect(after.metricHistory.at(-1)).toMatchObject({ changedBy: DEMO_USER_IDS.ana, comment: 'Two offers accepted', value: 12, createdAt: now.toISOString() });
    expect((await call(`/v1/metrics/checkin/${body.id}`)).body).toMatchObject({ id: body.id, value: 12 });
  });

  it('PATCH of a check-in changes only its comment', async () => {
    const metric = metricNamed('NPS');
    const created = (await call(`/v1/metrics/${metric.id}/checkin`, { method: 'POST', body: { actual: 41, comment: 'first' } })).body;
    const patched = await call(`/v1/metrics/checkin/${created.id}`, { method: 'PATCH', body: { comment: 'second', value: 99 } });
    expect(patched.status).toBe(204);
    expect((await call(`/v1/metrics/checkin/${created.id}`)).body).toMatchObject({ comment: 'second', value: 41 });
    expect(metricNamed('NPS')).toMatchObject({ actual: 41 });
    expect(metricNamed('NPS').metricHistory.at(-1)?.comment).toBe('second');
    expect((await call(`/v1/metrics/checkin/${created.id}`, { method: 'PATCH', body: { value: 1 } })).status).toBe(400);
  });

  it.each([
    ['missing actual', { comment: 'x' }, 400, /actual is required/],
    ['non-numeric actual', { actual: '12' }, 400, /actual must be a number/],
    ['confidence out of range', { actual: 1, confidence: 8 }, 400, /confidence/],
    ['bad checkInDate', { actual: 1, checkInDate: 'yesterday' }, 400, /checkInDate/],
  ])('400 for %s', async (_label, body, status, message) => {
    const response = await call(`/v1/metrics/${metricNamed('NPS').id}/checkin`, { method: 'POST', body });
    expect(response.status).toBe(status);
    expect(response.body.message).toMatch(message);
    expect(metricNamed('NPS').actual).toBe(38);
  });

  it('400 for malformed JSON and malformed ids, 404 for an unknown metric', async () => {
    expect((await call(`/v1/metrics/${metricNamed('NPS').id}/checkin`, { method: 'POST', rawBody: '{actual: 1' })).body.message).toMatch(/not valid JSON/);
    expect((await call('/v1/metrics/not-an-id/checkin', { method: 'POST', body: { actual: 1 } })).status).toBe(400);
    expect((await call('/v1/metrics/not-an-id')).status).toBe(400);
    expect((await call(`/v1/metrics/${UNKNOWN_ID}/checkin`, { method: 'POST', body: { actual: 1 } })).status).toBe(404);
  });

  it('refuses a check-in after the due date, but not without one', async () => {
    const dueSoon = metricNamed('Average deal size');
    expect((await call(`/v1/metrics/${dueSoon.id}/checkin`, { method: 'POST', body: { actual: 22_000 } })).status).toBe(201);
    now = new Date(Date.parse(dueSoon.dueDate) + 1);
    const late = await call(`/v1/metrics/${dueSoon.id}/checkin`, { method: 'POST', body: { actual: 23_000 } });
    expect(late.status).toBe(400);
    expect(late.body.message).toMatch(/due date/);
    const noDue = metricNamed('Time to hire');
    expect(noDue.dueDate).toBe(NO_DUE_DATE);
    now = new Date('2030-01-01T00:00:00Z');
    expect((await call(`/v1/metrics/${noDue.id}/checkin`, { method: 'POST', body: { actual: 40 } })).status).toBe(201);
  });

  it('refuses dynamic metrics, abandoned goals and closed sessions; achieved goals accept check-ins', async () => {
    for (const name of ['Uptime', 'Signed partners', 'SMB customers']) {
      const { status, body } = await call(`/v1/metrics/${metricNamed(name).id}/checkin`, { method: 'POST', body: { actual: 1 } });
      expect(status, name).toBe(400);
      expect(body.message, name).toMatch(/dynamic|abandoned|closed/);
    }
    const achieved = metricNamed('Invoices failing per week');
    now = new Date(Date.parse(achieved.dueDate) - 1000);
    expect((await call(`/v1/metrics/${achieved.id}/checkin`, { method: 'POST', body: { actual: 1 } })).status).toBe(201);
  });

  it('bulk check-ins take the bare array and answer one result per item, partial success allowed', async () => {
    const ok = metricNamed('NPS').id;
    const items = [
      { metricId: ok, actual: 39, comment: 'bulk' },
      { metricId: UNKNOWN_ID, actual: 1 },
      { metricId: metricNamed('Uptime').id, actual: 1 },
      { metricId: ok, comment: 'no value' },
      { actual: 3 },
    ];
    const { status, body } = await call('/v1/metrics/checkins', { method: 'POST', body: items });
    expect(status).toBe(200);
    expect(body.results).toHaveLength(5);
    expect(body.results[0]).toMatchObject({ metricId: ok, snapshot: { value: 39, comment: 'bulk' } });
    expect(body.results[1]).toMatchObject({ metricId: UNKNOWN_ID, status: 404, error: expect.stringMatching(/not found/) });
    expect(body.results[2]).toMatchObject({ status: 400, error: expect.stringMatching(/dynamic/) });
    expect(body.results[3]).toMatchObject({ status: 400, error: expect.stringMatching(/actual/) });
    expect(body.results[4]).toMatchObject({ metricId: '', status: 400, error: expect.stringMatching(/metricId/) });
    expect(metricNamed('NPS').actual).toBe(39);

    const bare = await call('/v1/metrics/checkins', { method: 'POST', body: [{ metricId: ok, actual: 40 }] });
    expect(bare.body.results).toEqual([expect.objectContaining({ metricId: ok, snapshot: expect.objectContaining({ value: 40 }) })]);
    expect((await call('/v1/metrics/checkins', { method: 'POST', body: { items: [] } })).status).toBe(400);
    const wrapped = await call('/v1/metrics/checkins', { method: 'POST', body: { snapshots: [{ metricId: ok, actual: 41 }] } });
    expect(wrapped.status).toBe(400);
    expect(wrapped.body.message).toMatch(/bare JSON array.*not wrapped in \{"snapshots"/);
    expect(metricNamed('NPS').actual).toBe(40);
  });
});

describe('metric writes and goal status', () => {
  it('POST creates a metric (201) and refuses a goal in a closed session', async () => {
    const goalId = emulator.state.goals.find((g) => g.name === 'Delight our customers')!.id;
    const created = await call('/v1/metrics', { method: 'POST', body: { name: 'Reviews answered', goalId, target: 50, format: { suffix: ' reviews' } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Reviews answered', goalId, target: 50, actual: 0, ownerIds: [DEMO_USER_IDS.ana], targetOperator: 'at_least', format: { prefix: '', suffix: ' reviews', fractionSize: 0 } });
    expect((await call(`/v1/metrics/${created.body.id}`)).status).toBe(200);

    const closedGoal = emulator.state.goals.find((g) => g.name === 'Win the SMB segment')!.id;
    const refused = await call('/v1/metrics', { method: 'POST', body: { name: 'x', goalId: closedGoal } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/closed session/);
    expect((await call('/v1/metrics', { method: 'POST', body: { goalId } })).status).toBe(400);
  });

  it('PUT sets every missing attribute to its zero value', async () => {
    const metric = metricNamed('First response time');
    const { status, body } = await call(`/v1/metrics/${metric.id}`, { method: 'PUT', body: { name: 'FRT', target: 3, initialValue: 12 } });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      name: 'FRT',
      target: 3,
      initialValue: 12,
      ownerIds: [],
      targetOperator: '',
      manualType: '',
      critical: null,
      dynamic: false,
      dueDate: NO_DUE_DATE,
      format: { prefix: '', suffix: '', fractionSize: 0 },
      goalId: metric.goalId,
      actual: 6.5,
    });
    // The description was reset to its zero value: a real body leaves an unset description out.
    expect(body).not.toHaveProperty('description');
  });

  it('PATCH changes only the given attributes and recomputes attainment', async () => {
    const metric = metricNamed('NPS');
    const { status, body } = await call(`/v1/metrics/${metric.id}`, { method: 'PATCH', body: { target: 52, description: 'new' } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'NPS', target: 52, description: 'new', initialValue: 31, actual: 38, attainment: Math.round((7 / 21) * 1e6) / 1e6 });
    expect((await call(`/v1/metrics/${metric.id}`, { method: 'PATCH', body: { target: 'lots' } })).status).toBe(400);
    expect(metricNamed('NPS').target).toBe(52);
  });

  it('DELETE removes a metric', async () => {
    const id = metricNamed('NPS').id;
    expect((await call(`/v1/metrics/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/v1/metrics/${id}`)).status).toBe(404);
    expect((await call(`/v1/metrics/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('goal status PUT abandons (check-ins refused) and DELETE reactivates', async () => {
    const metric = metricNamed('NPS');
    const path = `/v1/goals/${metric.goalId}/status`;
    expect((await call(path, { method: 'PUT', body: { status: 'finished' } })).status).toBe(400);
    expect((await call(path, { method: 'PUT', body: { status: 'abandoned', reason: 'pivot' } })).status).toBe(204);
    expect((await call(`/v1/metrics/${metric.id}`)).body.goalClosedStatus).toEqual({ status: 'abandoned', reason: 'pivot' });
    expect((await call(`/v1/metrics/${metric.id}/checkin`, { method: 'POST', body: { actual: 40 } })).status).toBe(400);
    expect((await call(path, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/v1/metrics/${metric.id}/checkin`, { method: 'POST', body: { actual: 40 } })).status).toBe(201);
    expect((await call(`/v1/goals/${UNKNOWN_ID}/status`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('faults', () => {
  it('failNext is consumed once, by the first matching request, with Retry-After', async () => {
    emulator.setFaults({ failNext: [{ status: 503, retryAfterSeconds: 2, method: 'POST', pathIncludes: '/checkin' }] });
    expect((await call('/v2/metrics?limit=1')).status).toBe(200);
    const failed = await call(`/v1/metrics/${metricNamed('NPS').id}/checkin`, { method: 'POST', body: { actual: 40 } });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('2');
    expect(failed.body.message).toEqual(expect.any(String));
    expect(metricNamed('NPS').actual).toBe(38);
    expect((await call(`/v1/metrics/${metricNamed('NPS').id}/checkin`, { method: 'POST', body: { actual: 40 } })).status).toBe(201);
  });

  it('rate limit answers every Nth request 429 with Retry-After', async () => {
    emulator.setFaults({ rateLimit: { everyNth: 3, retryAfterSeconds: 1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call('/v2/metrics?limit=1')).status);
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it('failureRate 1 fails everything with 500, latency delays answers', async () => {
    emulator.setFaults({ failureRate: 1 });
    expect((await call('/v2/metrics?limit=1')).status).toBe(500);
    emulator.setFaults({ failureRate: 0, latencyMs: 120 });
    const started = performance.now();
    expect((await call('/v2/metrics?limit=1')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('rejects invalid fault settings', () => {
    expect(() => emulator.setFaults({ failureRate: 2 })).toThrow(/failureRate/);
    expect(() => emulator.setFaults({ bogus: 1 } as never)).toThrow(/bogus/);
  });

  it('is controlled over HTTP too: /_emulator/faults, /_emulator/state, /_emulator/reset', async () => {
    const origin = emulator.url.replace(/\/api$/, '');
    const set = await fetch(`${origin}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ unpaid: true }) });
    expect(set.status).toBe(200);
    expect((await call('/v2/metrics')).status).toBe(402);
    expect((await fetch(`${origin}/_emulator/faults`, { method: 'POST', body: '{"latencyMs": -1}' })).status).toBe(400);
    const state = await (await fetch(`${origin}/_emulator/state`)).json();
    expect(state).toMatchObject({ metrics: 40, users: 10, goals: 12, sessions: 3, requests: 1 });
    expect((await fetch(`${origin}/_emulator/reset`, { method: 'POST' })).status).toBe(200);
    expect((await call('/v2/metrics?limit=1')).status).toBe(200);
  });

  it('logs requests with their status', async () => {
    await call('/v2/metrics?limit=2');
    await call('/v2/metrics', { token: null });
    expect(emulator.requests.map(({ method, path, query, status }) => ({ method, path, query, status }))).toEqual([
      { method: 'GET', path: '/api/v2/metrics', query: 'limit=2', status: 200 },
      { method: 'GET', path: '/api/v2/metrics', query: '', status: 401 },
    ]);
  });
});
