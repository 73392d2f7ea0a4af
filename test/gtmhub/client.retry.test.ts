/**
 * Retry policy against the emulator: GET/PUT/DELETE retry on 429 (honouring Retry-After) and 5xx;
 * POST and PATCH are never retried; Retry-After longer than the client will wait ends the call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { GtmhubRateLimitedError, GtmhubServerError } from '../../src/gtmhub/errors.js';
import { clientFor, NO_FAULTS, requestsTo, settle, type Emulator } from './fixture.js';

let emu: Emulator;
let metricId: string;
let goalId: string;

beforeAll(async () => {
  emu = await startGtmhubEmulator({ port: 0 });
  const metric = emu.state.metrics.find((m) => !m.dynamic)!;
  metricId = metric.id;
  goalId = metric.goalId;
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.setFaults(NO_FAULTS);
});

describe('idempotent methods retry', () => {
  it('GET: 429 with Retry-After is waited out, then succeeds', async () => {
    const client = clientFor(emu, { retry: { limit: 2, baseDelayMs: 1 } });
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 429, retryAfterSeconds: 1, method: 'GET', pathIncludes: metricId }] });
    const before = requestsTo(emu, 'GET', metricId);
    const started = Date.now();
    const metric = await client.getMetric(metricId);
    const elapsed = Date.now() - started;
    expect(metric.id).toBe(metricId);
    expect(requestsTo(emu, 'GET', metricId) - before).toBe(2);
    // baseDelayMs is 1 ms, so only Retry-After explains a wait of about a second.
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
  });

  it('GET: rate limiting every other request still walks every page', async () => {
    const client = clientFor(emu, { retry: { limit: 2, baseDelayMs: 1, maxRetryAfterMs: 0 } });
    const total = emu.state.metrics.length;
    // retryAfterSeconds 0 → no wait; every 2nd request is refused.
    emu.setFaults({ ...NO_FAULTS, rateLimit: { everyNth: 2, retryAfterSeconds: 0 } });
    let count = 0;
    for await (const _ of client.iterateMetrics({ pageSize: 10 })) count += 1;
    expect(count).toBe(total);
  });

  it('GET: 5xx twice then success', async () => {
    const client = clientFor(emu, { retry: { limit: 2, baseDelayMs: 1 } });
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 503, pathIncludes: '/v2/sessions' }, { status: 500, pathIncludes: '/v2/sessions' }] });
    const before = requestsTo(emu, 'GET', '/v2/sessions');
    expect((await client.listSessions()).length).toBe(emu.state.sessions.length);
    expect(requestsTo(emu, 'GET', '/v2/sessions') - before).toBe(3);
  });

  it('GET: gives up after the limit with the last error and the attempt count', async () => {
    const client = clientFor(emu, { retry: { limit: 2, baseDelayMs: 1 } });
    emu.setFaults({ ...NO_FAULTS, failNext: [500, 502, 503, 500].map((status) => ({ status, pathIncludes: '/v2/sessions' })) });
    const before = requestsTo(emu, 'GET', '/v2/sessions');
    const error = await client.listSessions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GtmhubServerError);
    expect(error).toMatchObject({ status: 503, attempts: 3 });
    expect(requestsTo(emu, 'GET', '/v2/sessions') - before).toBe(3);
  });

  it('a Retry-After above maxRetryAfterMs is not waited for', async () => {
    const client = clientFor(emu, { retry: { limit: 3, baseDelayMs: 1, maxRetryAfterMs: 2000 } });
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 429, retryAfterSeconds: 120, pathIncludes: '/v2/metrics' }] });
    const before = requestsTo(emu, 'GET', '/v2/metrics');
    const started = Date.now();
    const error = await client.listMetrics().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GtmhubRateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 120_000, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(requestsTo(emu, 'GET', '/v2/metrics') - before).toBe(1);
  });

  it('GET: a timeout is retried', async () => {
    const client = clientFor(emu, { timeoutMs: 150, retry: { limit: 1, baseDelayMs: 1 } });
    emu.setFaults({ ...NO_FAULTS, latencyMs: 400 });
    const error = await client.getMetric(metricId).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'GtmhubTimeoutError', attempts: 2 });
    await settle(400);
  });

  it('PUT (goal status, replace metric) and DELETE retry on 5xx', async () => {
    const client = clientFor(emu, { retry: { limit: 2, baseDelayMs: 1 } });
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 500, method: 'PUT' }] });
    const beforePut = requestsTo(emu, 'PUT', `/goals/${goalId}/status`);
    await client.setGoalStatus(goalId, { status: 'achieved' });
    expect(requestsTo(emu, 'PUT', `/goals/${goalId}/status`) - beforePut).toBe(2);

    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 503, method: 'DELETE' }] });
    const beforeDelete = requestsTo(emu, 'DELETE', `/goals/${goalId}/status`);
    await client.deleteGoalStatus(goalId);
    expect(requestsTo(emu, 'DELETE', `/goals/${goalId}/status`) - beforeDelete).toBe(2);

    const current = await client.getMetric(metricId);
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 502, method: 'PUT' }] });
    const replaced = await client.replaceMetric(metricId, {
      name: 'Replaced after a 502',
      goalId: current.goalId,
      ownerIds: current.ownerIds ?? [],
      initialValue: current.initialValue ?? 0,
      target: current.target ?? 1,
    });
    expect(replaced.name).toBe('Replaced after a 502');
  });
});

describe('POST and PATCH are never retried', () => {
  it('POST check-in on 500: one request, nothing recorded, the error says so', async () => {
    const client = clientFor(emu, { retry: { limit: 5, baseDelayMs: 1 } });
    const historyBefore = emu.state.metrics.find((m) => m.id === metricId)!.metricHistory.length;
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 500, method: 'POST', pathIncludes: '/checkin' }] });
    const before = requestsTo(emu, 'POST', `/metrics/${metricId}/checkin`);
    const error = await client.checkIn(metricId, { actual: 77, comment: 'once' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GtmhubServerError);
    expect(error).toMatchObject({ status: 500, attempts: 1, retryable: true, maybeDelivered: false });
    expect(requestsTo(emu, 'POST', `/metrics/${metricId}/checkin`) - before).toBe(1);
    expect(emu.state.metrics.find((m) => m.id === metricId)!.metricHistory.length).toBe(historyBefore);
  });

  it('POST check-in on 429: one request even with Retry-After 0', async () => {
    const client = clientFor(emu, { retry: { limit: 5, baseDelayMs: 1 } });
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 429, retryAfterSeconds: 0, method: 'POST' }] });
    const before = requestsTo(emu, 'POST', '/checkin');
    await expect(client.checkIn(metricId, { actual: 1 })).rejects.toBeInstanceOf(GtmhubRateLimitedError);
    expect(requestsTo(emu, 'POST', '/checkin') - before).toBe(1);
  });

  it('POST bulk check-in and create metric on 503: one request each', async () => {
    const client = clientFor(emu, { retry: { limit: 5, baseDelayMs: 1 } });
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 503, method: 'POST' }, { status: 503, method: 'POST' }] });
    const beforeBulk = requestsTo(emu, 'POST', '/metrics/checkins');
    await expect(client.bulkCheckIn([{ metricId, actual: 1 }])).rejects.toBeInstanceOf(GtmhubServerError);
    expect(requestsTo(emu, 'POST', '/metrics/checkins') - beforeBulk).toBe(1);
    const beforeCreate = emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/v1/metrics')).length;
    await expect(client.createMetric({ name: 'n', goalId, ownerIds: [emu.state.users[0]!.id] })).rejects.toBeInstanceOf(GtmhubServerError);
    expect(emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/v1/metrics')).length - beforeCreate).toBe(1);
  });

  it('PATCH metric and PATCH check-in comment on 500: one request each', async () => {
    const client = clientFor(emu, { retry: { limit: 5, baseDelayMs: 1 } });
    const snapshot = await client.checkIn(metricId, { actual: 3, comment: 'before' });
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 500, method: 'PATCH' }, { status: 500, method: 'PATCH' }] });
    const before = emu.requests.filter((r) => r.method === 'PATCH').length;
    await expect(client.patchMetric(metricId, { description: 'x' })).rejects.toBeInstanceOf(GtmhubServerError);
    await expect(client.updateCheckInComment(snapshot.id!, 'after')).rejects.toBeInstanceOf(GtmhubServerError);
    expect(emu.requests.filter((r) => r.method === 'PATCH').length - before).toBe(2);
  });
});
