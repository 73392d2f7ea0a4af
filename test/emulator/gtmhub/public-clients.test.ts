/**
 * What public Gtmhub clients call, served by the emulator over HTTP: assignees, v1 goals with their
 * parameters, single goals with fields, v1 and v2 sessions, the account's confidence settings, and
 * the web page a metric's `url` opens.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_BASE_DATE, DEMO_USER_IDS, startGtmhubEmulator, type GtmhubEmulator } from '../../../src/emulator/gtmhub/index.js';

let emulator: GtmhubEmulator;

beforeAll(async () => {
  emulator = await startGtmhubEmulator({ now: () => new Date(DEMO_BASE_DATE) });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(emulator.url + path, { headers: { authorization: `Bearer ${emulator.adminToken}`, 'gtmhub-accountId': emulator.accountId } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('GET /v1/assignees', () => {
  it('lists users and teams, each with its type', async () => {
    const { status, body } = await get('/v1/assignees');
    expect(status).toBe(200);
    expect(body.totalCount).toBe(emulator.state.users.length + emulator.state.teams.length);
    const byType = (type: string) => body.items.filter((a: { type: string }) => a.type === type).map((a: { id: string }) => a.id).sort();
    expect(byType('user')).toEqual(emulator.state.users.map((u) => u.id).sort());
    expect(byType('team')).toEqual(emulator.state.teams.map((t) => t.id).sort());
    const ana = emulator.state.users.find((u) => u.id === DEMO_USER_IDS.ana)!;
    expect(body.items.find((a: { id: string }) => a.id === ana.id)).toMatchObject({ type: 'user', name: `${ana.firstName} ${ana.lastName}`, email: ana.email });
    const teams = await get(`/v1/assignees?filter=${encodeURIComponent('{type: "team"}')}`);
    expect(teams.body.items.map((a: { type: string }) => a.type)).toEqual(emulator.state.teams.map(() => 'team'));
  });
});

describe('goals', () => {
  it('GET /v1/goals filters by sessionId and metricOwnerId; includeMetrics nests metrics with ownerId', async () => {
    const session = emulator.state.sessions.find((s) => s.status === 'open')!;
    const inSession = await get(`/v1/goals?sessionId=${session.id}`);
    expect(inSession.body.items.map((g: { id: string }) => g.id).sort()).toEqual(emulator.state.goals.filter((g) => g.sessionId === session.id).map((g) => g.id).sort());
    for (const goal of inSession.body.items) {
      expect(goal).not.toHaveProperty('metrics');
      expect(goal.metricsCount).toBe(emulator.state.metrics.filter((m) => m.goalId === goal.id).length);
    }

    const ana = DEMO_USER_IDS.ana!;
    const mine = await get(`/v1/goals?metricOwnerId=${ana}&includeMetrics=true`);
    const expectedGoals = new Set(emulator.state.metrics.filter((m) => m.ownerIds.includes(ana)).map((m) => m.goalId));
    expect(new Set(mine.body.items.map((g: { id: string }) => g.id))).toEqual(expectedGoals);
    for (const goal of mine.body.items) {
      expect(goal.metrics.length).toBeGreaterThan(0);
      for (const metric of goal.metrics) expect(metric).toMatchObject({ id: expect.any(String), name: expect.any(String), ownerId: ana });
    }
    expect((await get('/v1/goals?includeMetrics=maybe')).status).toBe(400);
    expect((await get('/v1/goals?sessionId=nope')).status).toBe(400);
  });

  it('GET /v1/goals/{id} answers the goal with its metrics, projected by fields', async () => {
    const goal = emulator.state.goals[0]!;
    const full = await get(`/v1/goals/${goal.id}`);
    expect(full.body).toMatchObject({ id: goal.id, name: goal.name, sessionId: goal.sessionId, metricsCount: expect.any(Number) });
    expect(full.body.metrics).toHaveLength(full.body.metricsCount);
    const narrow = await get(`/v1/goals/${goal.id}?fields=name,metrics{id,ownerId}`);
    expect(Object.keys(narrow.body).sort()).toEqual(['id', 'metrics', 'name']);
    for (const metric of narrow.body.metrics) expect(Object.keys(metric).sort()).toEqual(['id', 'ownerId']);
    expect((await get('/v1/goals/aaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
    expect((await get('/v1/goals/not-an-id')).status).toBe(400);
  });

  it('GET /v2/goals leaves metrics out unless the projection asks for them', async () => {
    const plain = await get('/v2/goals?limit=3');
    for (const goal of plain.body.items) {
      expect(goal).not.toHaveProperty('metrics');
      expect(goal.metricsCount).toEqual(expect.any(Number));
    }
    const asked = await get(`/v2/goals?limit=3&fields=${encodeURIComponent('name,metrics{id,ownerId}')}`);
    for (const goal of asked.body.items) expect(Array.isArray(goal.metrics)).toBe(true);
  });
});

describe('sessions', () => {
  it('GET /v2/sessions takes the list parameters', async () => {
    const { body } = await get(`/v2/sessions?fields=title,status&sort=-title&filter=${encodeURIComponent('{status: {$ne: "closed"}}')}`);
    expect(body.totalCount).toBe(2);
    expect(body.items.map((s: { title: string }) => s.title)).toEqual(['Q4 2026', '2026 H2']);
    expect(Object.keys(body.items[0]).sort()).toEqual(['id', 'status', 'title']);
  });

  it("GET /v1/sessions answers Gtmhub CLI's filter=current&status=open", async () => {
    // DEMO_BASE_DATE lies in 2026 H2 and in Q4 2026; only H2 is open.
    const { status, body } = await get('/v1/sessions?filter=current&status=open');
    expect(status).toBe(200);
    expect(body.items.map((s: { title: string }) => s.title)).toEqual(['2026 H2']);
    expect((await get('/v1/sessions')).body.items).toHaveLength(3);
    const mongo = await get(`/v1/sessions?filter=${encodeURIComponent('{status: "open"}')}`);
    expect(mongo.status).toBe(400);
    expect(mongo.body.message).toMatch(/v2\/sessions/);
  });
});

describe('GET /v1/accounts/{id}', () => {
  it('answers confidenceSettings: the default numeric scale, or what the data file sets', async () => {
    const account = await get(`/v1/accounts/${emulator.accountId}`);
    expect(account.body).toMatchObject({ id: emulator.accountId, confidenceSettings: { confidenceType: 'numeric' } });
    expect((await get('/v1/accounts/aaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(403);
    const confidenceSettings = { confidenceType: 'labels', confidenceMapping: [{ name: 'Low', color: '#f00', range: { from: 0, to: 3 } }] };
    emulator.reset({ ...structuredClone(emulator.state), account: { confidenceSettings } } as never);
    expect((await get(`/v1/accounts/${emulator.accountId}`)).body.confidenceSettings).toEqual(confidenceSettings);
  });
});

describe("the web page a metric's url opens", () => {
  it('serves HTML at / (hash routes land there) and the key result the hash names', async () => {
    const metric = emulator.state.metrics[0]!;
    const { body } = await get(`/v1/metrics/${metric.id}`);
    const link = new URL(body.url as string);
    expect(link.hash).toBe(`#/goals/${metric.sessionId}/all/${metric.goalId}/metrics/metric/${metric.id}/`);
    const page = await fetch(new URL('/', link));
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('location.hash');
    expect(html).toContain('/_emulator/metrics/');
    const summary = await (await fetch(new URL(`/_emulator/metrics/${metric.id}`, link))).json();
    expect(summary).toMatchObject({ id: metric.id, name: metric.name, goalName: emulator.state.goals.find((g) => g.id === metric.goalId)!.name });
    expect((await fetch(new URL('/_emulator/metrics/aaaaaaaaaaaaaaaaaaaaaaaa', link))).status).toBe(404);
  });
});
