/**
 * Every client method against the Gtmhub emulator over real HTTP: the success paths and the
 * list semantics (fields / sort / filter / skip / limit / formatting), including the seed's own
 * example queries.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import type { GtmhubClient } from '../../src/gtmhub/client.js';
import type { Metric } from '../../src/gtmhub/types.js';
import { clientFor, lastQuery, NO_FAULTS, type Emulator } from './fixture.js';

let emu: Emulator;
let client: GtmhubClient;
/** A goal that accepts new key results (open session, not closed). */
let openGoalId: string;
let ownerId: string;

beforeAll(async () => {
  emu = await startGtmhubEmulator({ port: 0 });
  client = clientFor(emu);
  const closedSessions = new Set(emu.state.sessions.filter((s) => s.status === 'closed').map((s) => s.id));
  const goal = emu.state.goals.find((g) => !closedSessions.has(g.sessionId) && !g.closedStatus);
  if (!goal) throw new Error('demo data has no open goal');
  openGoalId = goal.id;
  const user = emu.state.users[0];
  if (!user) throw new Error('demo data has no users');
  ownerId = user.id;
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.setFaults(NO_FAULTS);
});

async function newMetric(name: string, extra: Record<string, unknown> = {}): Promise<Metric> {
  return client.createMetric({
    name,
    goalId: openGoalId,
    ownerIds: [ownerId],
    initialValue: 0,
    target: 100,
    targetOperator: 'at_least',
    manualType: 'double',
    ...extra,
  });
}

describe('metrics: lists', () => {
  it('listMetrics without options returns the v2 envelope with the default page of 100', async () => {
    const page = await client.listMetrics();
    expect(page.totalCount).toBe(emu.state.metrics.length);
    expect(page.items.length).toBe(Math.min(100, emu.state.metrics.length));
    const first = page.items[0]!;
    expect(first.id).toMatch(/^[0-9a-f]{24}$/);
    expect(typeof first.name).toBe('string');
    expect(first.goalId).toMatch(/^[0-9a-f]{24}$/);
  });

  it("answers the seed's own example query as documented", async () => {
    await newMetric('sales', { description: 'sales KR' });
    await newMetric('marketing', { description: 'marketing KR' });
    await newMetric('engineering');
    const expected = emu.state.metrics
      .filter((m) => m.name === 'sales' || m.name === 'marketing')
      .sort((a, b) => b.name.localeCompare(a.name) || Date.parse(a.dateCreated) - Date.parse(b.dateCreated));
    expect(expected.length).toBeGreaterThanOrEqual(2);

    const all = await client.listMetrics({
      fields: 'name,description',
      sort: '-name,dateCreated',
      filter: '{name: {$in: ["sales", "marketing"]}}',
      limit: 10,
      formatting: 'plainText',
    });
    expect(all.totalCount).toBe(expected.length);
    expect(all.items.map((m) => [m.name, m.description])).toEqual(expected.map((m) => [m.name, m.description]));
    expect(all.items.map((m) => m.name)).toContain('sales');
    for (const item of all.items) {
      expect(item.target).toBeUndefined();
      expect(item.goalId).toBeUndefined();
    }
    const query = lastQuery(emu, '/v2/metrics');
    expect(query.get('filter')).toBe('{name: {$in: ["sales", "marketing"]}}');
    expect(query.get('sort')).toBe('-name,dateCreated');

    const skipped = await client.listMetrics({ fields: ['name'], sort: '-name,dateCreated', filter: '{name: {$in: ["sales", "marketing"]}}', skip: 1, limit: 1 });
    expect(skipped.totalCount).toBe(expected.length);
    expect(skipped.items).toHaveLength(1);
    expect(skipped.items[0]?.name).toBe(expected[1]?.name);
  });

  it("answers the seed's $regex example", async () => {
    await newMetric('Grow Sales in EMEA');
    const page = await client.listMetrics({ filter: '{"name":{$regex:".*Sales.*"}}', fields: 'id,name', limit: 100 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) expect(item.name).toMatch(/Sales/);
    expect(page.items.some((m) => m.name === 'Grow Sales in EMEA')).toBe(true);
    expect(page.totalCount).toBe(emu.state.metrics.filter((m) => /.*Sales.*/.test(m.name)).length);
  });

  it('serialises an object filter, array fields and a multi-key sort', async () => {
    const page = await client.listMetrics({
      filter: { ownerIds: ownerId, dynamic: { $ne: true } },
      fields: ['id', 'name', 'ownerIds', 'attainment', 'dynamic'],
      sort: ['-attainment', 'id'],
      limit: 1000,
    });
    const expected = emu.state.metrics.filter((m) => m.ownerIds.includes(ownerId) && !m.dynamic);
    expect(page.totalCount).toBe(expected.length);
    expect(new Set(page.items.map((m) => m.id))).toEqual(new Set(expected.map((m) => m.id)));
    for (const item of page.items) {
      expect(item.ownerIds).toContain(ownerId);
      expect(item.dynamic).not.toBe(true);
    }
    const attainments = page.items.map((m) => m.attainment ?? 0);
    expect(attainments).toEqual([...attainments].sort((a, b) => b - a));
    expect(lastQuery(emu, '/v2/metrics').get('fields')).toBe('id,name,ownerIds,attainment,dynamic');
  });

  it('iterateMetrics walks a filtered set and appends id to the sort', async () => {
    const seen: string[] = [];
    for await (const metric of client.iterateMetrics({ filter: { ownerIds: ownerId }, sort: 'name', pageSize: 3 })) seen.push(metric.id);
    const expected = emu.state.metrics.filter((m) => m.ownerIds.includes(ownerId));
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(lastQuery(emu, '/v2/metrics').get('sort')).toBe('name,id');
  });

  it('getMetricsByOwner (deprecated) returns the same key results as the ownerIds filter', async () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated endpoint is part of the contract
    const byOwner = await client.getMetricsByOwner(ownerId, { formatting: 'plainText' });
    const viaFilter = await client.listMetrics({ filter: { ownerIds: ownerId }, limit: 1000 });
    expect(new Set(byOwner.map((m) => m.id))).toEqual(new Set(viaFilter.items.map((m) => m.id)));
    expect(byOwner.length).toBeGreaterThan(0);
  });
});

describe('metrics: single items and writes', () => {
  it('createMetric → getMetric → replaceMetric → patchMetric → deleteMetric', async () => {
    const created = await newMetric('Ship the client', { description: 'from the contract suite', target: 10, format: { prefix: '', suffix: ' PRs', fractionSize: 0 } });
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    expect(created.name).toBe('Ship the client');
    expect(created.goalId).toBe(openGoalId);
    expect(created.target).toBe(10);

    const read = await client.getMetric(created.id);
    expect(read).toMatchObject({ id: created.id, name: 'Ship the client', target: 10, ownerIds: [ownerId] });

    const replaced = await client.replaceMetric(created.id, { name: 'Ship the client v2', goalId: openGoalId, ownerIds: [ownerId], target: 20 });
    expect(replaced.name).toBe('Ship the client v2');
    expect(replaced.target).toBe(20);
    // PUT resets what it was not given.
    expect(replaced.description ?? '').toBe('');

    const patched = await client.patchMetric(created.id, { description: 'patched' });
    expect(patched).toMatchObject({ name: 'Ship the client v2', target: 20, description: 'patched' });

    await client.deleteMetric(created.id);
    await expect(client.getMetric(created.id)).rejects.toMatchObject({ name: 'GtmhubNotFoundError', status: 404 });
  });

  it('getMetric applies formatting=plainText to mention markup', async () => {
    const created = await newMetric('Mentions', { description: 'Ask @[John Smith:john@example.com:602a65efc05575000123291b] first' });
    expect((await client.getMetric(created.id)).description).toBe('Ask @[John Smith:john@example.com:602a65efc05575000123291b] first');
    expect((await client.getMetric(created.id, { formatting: 'plainText' })).description).toBe('Ask @John Smith first');
  });
});

describe('check-ins', () => {
  it('checkIn → getCheckIn → updateCheckInComment → deleteCheckIn', async () => {
    const metric = await newMetric('Check-in target');
    const snapshot = await client.checkIn(metric.id, { actual: 42, comment: 'from Slack', confidence: 0.8, checkInDate: new Date().toISOString() });
    expect(snapshot.value).toBe(42);
    expect(snapshot.confidence).toBe(0.8);
    expect(snapshot.id).toMatch(/^[0-9a-f]{24}$/);

    const after = await client.getMetric(metric.id);
    expect(after.actual).toBe(42);
    expect(after.attainment).toBeCloseTo(0.42);

    const read = await client.getCheckIn(snapshot.id!);
    expect(read).toMatchObject({ id: snapshot.id, value: 42, comment: 'from Slack' });

    await client.updateCheckInComment(snapshot.id!, 'edited comment');
    expect((await client.getCheckIn(snapshot.id!)).comment).toBe('edited comment');
    expect((await client.getCheckIn(snapshot.id!)).value).toBe(42);

    await client.deleteCheckIn(snapshot.id!);
    await expect(client.getCheckIn(snapshot.id!)).rejects.toMatchObject({ name: 'GtmhubNotFoundError' });
  });

  it('bulkCheckIn reports a result per item, failures included', async () => {
    const a = await newMetric('Bulk A');
    const b = await newMetric('Bulk B');
    const response = await client.bulkCheckIn([
      { metricId: a.id, actual: 10, comment: 'bulk 1' },
      { metricId: b.id, actual: 20, comment: 'bulk 2', confidence: 0.5 },
      { metricId: 'abcdefabcdefabcdefabcdef', actual: 1 },
    ]);
    expect(response.results).toHaveLength(3);
    expect(response.results[0]).toMatchObject({ metricId: a.id, snapshot: { value: 10 } });
    expect(response.results[1]).toMatchObject({ metricId: b.id, snapshot: { value: 20, confidence: 0.5 } });
    expect(response.results[2]?.snapshot).toBeUndefined();
    expect(response.results[2]?.error).toEqual(expect.any(String));
    expect((await client.getMetric(b.id)).actual).toBe(20);
  });
});

describe('goals and sessions', () => {
  it('setGoalStatus and deleteGoalStatus close and reopen a goal', async () => {
    await client.setGoalStatus(openGoalId, { status: 'achieved', reason: 'done early' });
    expect(emu.state.goals.find((g) => g.id === openGoalId)?.closedStatus).toMatchObject({ status: 'achieved', reason: 'done early' });
    const listed = await client.listGoals({ filter: { _id: openGoalId } });
    expect(listed.items[0]?.closedStatus?.status ?? listed.items[0]?.goalClosedStatus?.status).toBe('achieved');

    await client.deleteGoalStatus(openGoalId);
    expect(emu.state.goals.find((g) => g.id === openGoalId)?.closedStatus ?? null).toBeNull();
  });

  it('listGoals / iterateGoals return names for grouping', async () => {
    const page = await client.listGoals({ fields: 'id,name', sort: 'name', limit: 5 });
    expect(page.totalCount).toBe(emu.state.goals.length);
    expect(page.items.length).toBe(Math.min(5, emu.state.goals.length));
    const names = page.items.map((g) => g.name);
    expect(names).toEqual([...names].sort());

    const ids: string[] = [];
    for await (const goal of client.iterateGoals({ fields: 'id,name', pageSize: 4 })) ids.push(goal.id);
    expect(new Set(ids)).toEqual(new Set(emu.state.goals.map((g) => g.id)));
  });

  it('listSessions returns every session with its status', async () => {
    const sessions = await client.listSessions();
    expect(sessions.map((s) => s.id).sort()).toEqual(emu.state.sessions.map((s) => s.id).sort());
    expect(sessions.some((s) => s.status === 'closed')).toBe(true);
  });
});

describe('users', () => {
  it('listUsers always sends fields (default id,email,firstName,lastName)', async () => {
    const page = await client.listUsers();
    expect(page.totalCount).toBe(emu.state.users.length);
    expect(lastQuery(emu, '/v2/users').get('fields')).toBe('id,email,firstName,lastName');
    const first = page.items[0]!;
    expect(first.id).toMatch(/^[0-9a-f]{24}$/);
    expect(first.email).toContain('@');

    const narrow = await client.listUsers({ fields: 'id,email', limit: 2 });
    expect(narrow.items).toHaveLength(2);
    expect(narrow.items[0]?.firstName).toBeUndefined();
  });

  it('findUserByEmail matches case-insensitively and exactly', async () => {
    const user = emu.state.users[1]!;
    const found = await client.findUserByEmail(`  ${user.email.toUpperCase()} `);
    expect(found?.id).toBe(user.id);
    expect(found?.email).toBe(user.email);

    expect(await client.findUserByEmail(user.email.slice(0, -1))).toBeNull();
    expect(await client.findUserByEmail(`x${user.email}`)).toBeNull();
    // A regex metacharacter in the address is matched literally, not as a pattern.
    expect(await client.findUserByEmail(user.email.replace('@', '.*@'))).toBeNull();
    expect(await client.findUserByEmail('nobody@nowhere.example')).toBeNull();
  });
});
