/**
 * Failures: every HTTP status the seed lists → its error class, our own validation (no request
 * made), timeouts, network failures, malformed 2xx bodies, and that the token never leaks into
 * an error or a log line.
 */
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import {
  GtmhubBadRequestError,
  GtmhubError,
  GtmhubForbiddenError,
  GtmhubNetworkError,
  GtmhubNotFoundError,
  GtmhubPaymentRequiredError,
  GtmhubRateLimitedError,
  GtmhubServerError,
  GtmhubTimeoutError,
  GtmhubUnauthorizedError,
  GtmhubUnexpectedResponseError,
  GtmhubValidationError,
} from '../../src/gtmhub/errors.js';
import { clientFor, NO_FAULTS, requestsTo, settle, UNKNOWN_ID, type Emulator } from './fixture.js';
import { refusedUrl, startRawServer } from './raw-server.js';

let emu: Emulator;
let client: GtmhubClient;
let metricId: string;
const noRetry = { limit: 0 };

beforeAll(async () => {
  emu = await startGtmhubEmulator({ port: 0 });
  client = clientFor(emu, { retry: noRetry });
  metricId = emu.state.metrics.find((m) => !m.dynamic)!.id;
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.setFaults(NO_FAULTS);
});

async function failure(promise: Promise<unknown>): Promise<GtmhubError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GtmhubError);
    return error as GtmhubError;
  }
  throw new Error('expected the call to fail');
}

describe('HTTP statuses map to error classes', () => {
  it('400: a malformed filter, with Gtmhub’s message', async () => {
    const error = await failure(client.listMetrics({ filter: '{name: ' }));
    expect(error).toBeInstanceOf(GtmhubBadRequestError);
    expect(error).toMatchObject({ status: 400, method: 'GET', path: '/v2/metrics', retryable: false, maybeDelivered: false });
    expect(error.gtmhubMessage).not.toBe('');
    expect(error.message).toContain(error.gtmhubMessage);
    expect(error.message).toContain('GET /v2/metrics');
  });

  it('400: checking in after the due date', async () => {
    const metric = await client.patchMetric(metricId, { dueDate: '2001-01-01T00:00:00Z' });
    const error = await failure(client.checkIn(metric.id, { actual: 1 }));
    expect(error).toBeInstanceOf(GtmhubBadRequestError);
    expect(error.maybeDelivered).toBe(false);
    await client.patchMetric(metricId, { dueDate: '0001-01-01T00:00:00Z' });
  });

  it('400: creating a key result under a goal whose session is closed', async () => {
    const closed = new Set(emu.state.sessions.filter((s) => s.status === 'closed').map((s) => s.id));
    const goal = emu.state.goals.find((g) => closed.has(g.sessionId))!;
    const error = await failure(client.createMetric({ name: 'too late', goalId: goal.id, ownerIds: [emu.state.users[0]!.id], target: 1 }));
    expect(error).toBeInstanceOf(GtmhubBadRequestError);
  });

  it('401: an unknown token', async () => {
    const error = await failure(clientFor(emu, { token: 'not-a-real-token' }).getMetric(metricId));
    expect(error).toBeInstanceOf(GtmhubUnauthorizedError);
    expect(error.status).toBe(401);
  });

  it('401: a known token with another account id', async () => {
    const error = await failure(clientFor(emu, { accountId: UNKNOWN_ID }).listMetrics());
    expect(error).toBeInstanceOf(GtmhubUnauthorizedError);
  });

  it('402: the account is unpaid', async () => {
    emu.setFaults({ ...NO_FAULTS, unpaid: true });
    const error = await failure(client.listSessions());
    expect(error).toBeInstanceOf(GtmhubPaymentRequiredError);
    expect(error.status).toBe(402);
  });

  it('403: a member deletes a check-in', async () => {
    const snapshot = await client.checkIn(metricId, { actual: 3, comment: 'to delete' });
    const member = clientFor(emu, { token: emu.memberToken, retry: noRetry });
    const error = await failure(member.deleteCheckIn(snapshot.id!));
    expect(error).toBeInstanceOf(GtmhubForbiddenError);
    expect(error.status).toBe(403);
  });

  it('404: unknown ids on every single-item endpoint', async () => {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['getMetric', () => client.getMetric(UNKNOWN_ID)],
      ['getCheckIn', () => client.getCheckIn(UNKNOWN_ID)],
      ['checkIn', () => client.checkIn(UNKNOWN_ID, { actual: 1 })],
      ['replaceMetric', () => client.replaceMetric(UNKNOWN_ID, { name: 'x' })],
      ['patchMetric', () => client.patchMetric(UNKNOWN_ID, { name: 'x' })],
      ['deleteMetric', () => client.deleteMetric(UNKNOWN_ID)],
      ['updateCheckInComment', () => client.updateCheckInComment(UNKNOWN_ID, 'x')],
      ['deleteCheckIn', () => client.deleteCheckIn(UNKNOWN_ID)],
      ['setGoalStatus', () => client.setGoalStatus(UNKNOWN_ID, { status: 'achieved' })],
      ['deleteGoalStatus', () => client.deleteGoalStatus(UNKNOWN_ID)],
    ];
    for (const [name, call] of calls) {
      const error = await failure(call());
      expect(error, name).toBeInstanceOf(GtmhubNotFoundError);
    }
  });

  it('429: rate limited, carrying the Retry-After wait', async () => {
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 429, retryAfterSeconds: 7, pathIncludes: '/v2/metrics' }] });
    const error = await failure(client.listMetrics());
    expect(error).toBeInstanceOf(GtmhubRateLimitedError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000, retryable: true });
  });

  it.each([500, 502, 503, 504])('%i: server error, retryable', async (status) => {
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status, pathIncludes: metricId }] });
    const error = await failure(client.getMetric(metricId));
    expect(error).toBeInstanceOf(GtmhubServerError);
    expect(error).toMatchObject({ status, retryable: true, maybeDelivered: false });
  });

  it('a 500 on a check-in was answered, so it is not "maybe delivered"; a gateway 504 is', async () => {
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 500, method: 'POST' }] });
    expect(await failure(client.checkIn(metricId, { actual: 2 }))).toMatchObject({ status: 500, maybeDelivered: false, retryable: true });
    emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 504, method: 'POST' }] });
    expect(await failure(client.checkIn(metricId, { actual: 2 }))).toMatchObject({ status: 504, maybeDelivered: true });
  });
});

describe('validation happens before any request', () => {
  const bad = ['', 'abc', 'abcdefabcdefabcdefabcdeg', '../../v1/metrics', `${UNKNOWN_ID}/x`];

  it.each(bad)('rejects id %j on every id-taking method without a request', async (id) => {
    const before = emu.requests.length;
    const calls = [
      () => client.getMetric(id),
      () => client.getCheckIn(id),
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      () => client.getMetricsByOwner(id),
      () => client.checkIn(id, { actual: 1 }),
      () => client.replaceMetric(id, {}),
      () => client.patchMetric(id, {}),
      () => client.deleteMetric(id),
      () => client.updateCheckInComment(id, 'x'),
      () => client.deleteCheckIn(id),
      () => client.setGoalStatus(id, { status: 'achieved' }),
      () => client.deleteGoalStatus(id),
      () => client.bulkCheckIn([{ metricId: id, actual: 1 }]),
    ];
    for (const call of calls) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(GtmhubValidationError);
      expect(error).toMatchObject({ status: undefined, retryable: false, maybeDelivered: false, attempts: 0 });
    }
    expect(emu.requests.length).toBe(before);
  });

  it('rejects bad bodies and list options with a specific message', async () => {
    const before = emu.requests.length;
    await expect(client.checkIn(metricId, { actual: Number.NaN })).rejects.toThrow(/actual must be a finite number/);
    await expect(client.checkIn(metricId, { actual: 1, checkInDate: 'yesterday' })).rejects.toThrow(/checkInDate/);
    await expect(client.checkIn(metricId, { actual: 1, confidence: Number.POSITIVE_INFINITY })).rejects.toThrow(/confidence/);
    await expect(client.bulkCheckIn([])).rejects.toThrow(/non-empty/);
    await expect(client.createMetric({ name: 'x', goalId: 'nope' })).rejects.toThrow(/goalId/);
    await expect(client.createMetric({ name: 'x', ownerIds: ['nope'] })).rejects.toThrow(/ownerIds/);
    await expect(client.setGoalStatus(UNKNOWN_ID, { status: '' })).rejects.toThrow(/status/);
    await expect(client.listMetrics({ skip: -1 })).rejects.toBeInstanceOf(GtmhubValidationError);
    await expect(client.iterateMetrics({ pageSize: 0 }).next()).rejects.toBeInstanceOf(GtmhubValidationError);
    await expect(client.findUserByEmail('not an email')).rejects.toBeInstanceOf(GtmhubValidationError);
    expect(emu.requests.length).toBe(before);
  });

  it('refuses a misconfigured client at construction', () => {
    const good = { baseUrl: emu.url, token: 't', accountId: emu.accountId };
    expect(() => new GtmhubClient({ ...good, baseUrl: 'not a url' })).toThrow(/baseUrl/);
    expect(() => new GtmhubClient({ ...good, baseUrl: `${emu.url}/v1` })).toThrow(/version/);
    expect(() => new GtmhubClient({ ...good, token: ' ' })).toThrow(/token/);
    expect(() => new GtmhubClient({ ...good, accountId: '123' })).toThrow(/accountId/);
  });
});

describe('timeouts and network failures', () => {
  it('a GET slower than the timeout fails with GtmhubTimeoutError (not maybeDelivered: it is a read)', async () => {
    emu.setFaults({ ...NO_FAULTS, latencyMs: 600 });
    const fast = clientFor(emu, { timeoutMs: 150, retry: noRetry });
    const started = Date.now();
    const error = await failure(fast.getMetric(metricId));
    expect(error).toBeInstanceOf(GtmhubTimeoutError);
    expect(error).toMatchObject({ retryable: true, maybeDelivered: false, attempts: 1 });
    expect(error.message).toContain('150 ms');
    expect(Date.now() - started).toBeLessThan(550);
    await settle(600);
  });

  it('a check-in whose answer never arrives in time may have been delivered, and is not retried', async () => {
    // The emulator records the check-in, then holds the answer back past the client's timeout.
    emu.setFaults({ ...NO_FAULTS, answerLate: [{ delayMs: 1000, method: 'POST', pathIncludes: '/checkin' }] });
    const fast = clientFor(emu, { timeoutMs: 250, retry: { limit: 3, baseDelayMs: 1 } });
    const history = () => emu.state.metrics.find((m) => m.id === metricId)!.metricHistory.length;
    const historyBefore = history();
    const before = requestsTo(emu, 'POST', `/metrics/${metricId}/checkin`);
    const error = await failure(fast.checkIn(metricId, { actual: 5, comment: 'answer lost' }));
    expect(error).toBeInstanceOf(GtmhubTimeoutError);
    expect(error).toMatchObject({ maybeDelivered: true, retryable: true, attempts: 1 });
    expect(history()).toBe(historyBefore + 1);
    expect(requestsTo(emu, 'POST', `/metrics/${metricId}/checkin`) - before).toBe(1);
  });

  it('a GET answered late is retried and succeeds', async () => {
    emu.setFaults({ ...NO_FAULTS, answerLate: [{ delayMs: 1000, method: 'GET', pathIncludes: metricId }] });
    const fast = clientFor(emu, { timeoutMs: 250, retry: { limit: 1, baseDelayMs: 1 } });
    const before = requestsTo(emu, 'GET', metricId);
    expect((await fast.getMetric(metricId)).id).toBe(metricId);
    expect(requestsTo(emu, 'GET', metricId) - before).toBe(2);
  });

  it('connection refused: nothing was sent, so even a POST is not maybeDelivered', async () => {
    const offline = new GtmhubClient({ baseUrl: await refusedUrl(), token: 'secret-token-123', accountId: UNKNOWN_ID, retry: noRetry });
    const error = await failure(offline.checkIn(UNKNOWN_ID, { actual: 1 }));
    expect(error).toBeInstanceOf(GtmhubNetworkError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', maybeDelivered: false, retryable: true, status: undefined });
  });

  it('connection reset after sending: a POST may have been delivered; a GET is retried', async () => {
    const server = await startRawServer((req) => req.socket.destroy());
    try {
      const flaky = new GtmhubClient({ baseUrl: server.url, token: 'secret-token-123', accountId: UNKNOWN_ID, retry: { limit: 2, baseDelayMs: 1 } });
      const post = await failure(flaky.checkIn(UNKNOWN_ID, { actual: 1 }));
      expect(post).toBeInstanceOf(GtmhubNetworkError);
      expect(post.maybeDelivered).toBe(true);
      expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

      const get = await failure(flaky.getMetric(UNKNOWN_ID));
      expect(get).toBeInstanceOf(GtmhubNetworkError);
      expect(get).toMatchObject({ maybeDelivered: false, attempts: 3 });
      expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});

describe('malformed successful answers', () => {
  it('a 2xx that is not JSON, or lacks an essential field, is a clear GtmhubUnexpectedResponseError', async () => {
    const bodies: Record<string, string> = {
      '/api/v1/metrics/abcdefabcdefabcdefabcdef': '<html>maintenance</html>',
      '/api/v2/metrics': JSON.stringify({ items: [{ id: UNKNOWN_ID, name: 7, goalId: UNKNOWN_ID }], totalCount: 1 }),
      '/api/v1/metrics/checkin/abcdefabcdefabcdefabcdef': JSON.stringify({ id: UNKNOWN_ID, comment: 'no value' }),
    };
    const server = await startRawServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(bodies[(req.url ?? '').split('?')[0]!] ?? '{}');
    });
    try {
      const odd = new GtmhubClient({ baseUrl: server.url, token: 't0ken', accountId: UNKNOWN_ID, retry: { limit: 3, baseDelayMs: 1 } });
      const notJson = await failure(odd.getMetric(UNKNOWN_ID));
      expect(notJson).toBeInstanceOf(GtmhubUnexpectedResponseError);
      expect(notJson.message).toMatch(/not JSON/);
      const wrongType = await failure(odd.listMetrics());
      expect(wrongType.message).toMatch(/metric list item 0: metric\.name should be a string, got a number/);
      const noValue = await failure(odd.getCheckIn(UNKNOWN_ID));
      expect(noValue.message).toMatch(/check-in\.value should be a number/);
      // Not retried: the same answer would come back.
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('keeps unknown fields of a real answer', async () => {
    emu.state.metrics.find((m) => m.id === metricId)!.customFields = { team: 'platform' };
    const metric = await client.getMetric(metricId);
    expect(metric.customFields).toEqual({ team: 'platform' });
  });
});

describe('secrets', () => {
  it('never puts the token into an error (message, stack, inspect, JSON) nor a log line', async () => {
    const token = emu.adminToken;
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'debug' }, destination);
    const logged = clientFor(emu, { logger, retry: { limit: 1, baseDelayMs: 1 } });
    const impatient = clientFor(emu, { logger, timeoutMs: 150, retry: noRetry });
    const reset = await startRawServer((req, res, body) => {
      // An error body that (wrongly) echoes the request's Authorization header.
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `bad request from ${req.headers.authorization ?? ''} body ${body}` }));
    });
    const echoing = new GtmhubClient({ baseUrl: reset.url, token, accountId: emu.accountId, logger, retry: noRetry });
    try {
      const errors: GtmhubError[] = [];
      errors.push(await failure(logged.getMetric(UNKNOWN_ID)));
      errors.push(await failure(logged.getMetric('bad')));
      emu.setFaults({ ...NO_FAULTS, failNext: [{ status: 500, pathIncludes: '/v2/metrics' }, { status: 503, pathIncludes: '/v2/metrics' }] });
      errors.push(await failure(logged.listMetrics()));
      emu.setFaults({ ...NO_FAULTS, latencyMs: 400 });
      errors.push(await failure(impatient.checkIn(metricId, { actual: 1 })));
      await settle(400);
      emu.setFaults(NO_FAULTS);
      const echoed = await failure(echoing.listUsers());
      expect(echoed.gtmhubMessage).toContain('Bearer [redacted]');
      errors.push(echoed);

      expect(errors.map((e) => e.name)).toEqual([
        'GtmhubNotFoundError',
        'GtmhubValidationError',
        'GtmhubServerError',
        'GtmhubTimeoutError',
        'GtmhubBadRequestError',
      ]);
      for (const error of errors) {
        for (const text of [error.message, String(error.stack), inspect(error, { depth: 5 }), JSON.stringify(error)]) {
          expect(text).not.toContain(token);
        }
      }
      const log = lines.join('');
      expect(lines.length).toBeGreaterThanOrEqual(5);
      expect(log).not.toContain(token);
      expect(log.toLowerCase()).not.toContain('authorization');
      const entry = JSON.parse(lines.find((l) => l.includes('"status":404'))!) as Record<string, unknown>;
      expect(entry).toMatchObject({ level: 20, method: 'GET', path: `/v1/metrics/${UNKNOWN_ID}`, status: 404, attempt: 1 });
      expect(entry.ms).toEqual(expect.any(Number));
    } finally {
      await reset.close();
    }
  });
});
