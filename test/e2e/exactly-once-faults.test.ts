/**
 * "Recorded exactly once" under faults, over real HTTP: the real app with a fault proxy in front of
 * the Gtmhub emulator (and of the Slack emulator where notices are concerned).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../support/fault-proxy.js';
import { smallAccount, USERS } from '../support/fixtures.js';
import { eventually, fixedClock, startHarness, type Harness } from '../support/harness.js';
import { checkInPostsReaching, snapshotsOf, submission } from './faults-support.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const HOUR = 3600_000;

async function start(options: Parameters<typeof startHarness>[0] = {}) {
  const account = smallAccount();
  const clock = fixedClock(new Date());
  harness = await startHarness({ gtmhub: { data: account.data }, clock, faultProxies: { gtmhub: true }, ...options });
  return { h: harness, account, clock };
}

describe('a 2xx answer whose body cannot be read', () => {
  const unreadable: Array<[string, Fault]> = [
    ['cut off mid-body', { kind: 'truncate' }],
    ['empty', { kind: 'empty' }],
    ['an HTML page', { kind: 'html', status: 201 }],
  ];
  for (const [what, fault] of unreadable) {
    it(`201 answered ${what} after Gtmhub applied it: one snapshot, delivered, never posted again`, async () => {
      const { h, account, clock } = await start();
      const metricId = account.metrics.nps!;
      h.gtmhubProxy!.inject({ method: 'POST', path: /\/checkin$/, fault, afterUpstream: true });
      const outcome = await h.server.services.checkins.submit(submission(h, USERS.ana, metricId, 47));
      expect(outcome.status).toBe('delivered');
      expect(h.gtmhubProxy!.pendingFaults()).toBe(0);
      expect(snapshotsOf(h, metricId).map((s) => s.value)).toEqual([47]);

      for (let i = 0; i < 3; i++) {
        clock.advance(HOUR);
        await h.server.services.checkins.runOutbox();
      }
      expect(checkInPostsReaching(h, metricId)).toBe(1);
      expect(snapshotsOf(h, metricId)).toHaveLength(1);
      if (outcome.status === 'delivered') expect(await h.server.services.store.getOutboxEntry(outcome.entry.id)).toMatchObject({ status: 'delivered' });
    });
  }

  it('with every answer unreadable, several check-ins each land once', async () => {
    const { h, account, clock } = await start();
    h.gtmhubProxy!.inject({ method: 'POST', path: /\/checkin$/, fault: { kind: 'html', status: 201 }, afterUpstream: true, times: Infinity });
    const metrics = [account.metrics.nps!, account.metrics.revenue!, account.metrics.bugs!];
    for (const [i, metricId] of metrics.entries()) {
      expect((await h.server.services.checkins.submit(submission(h, USERS.ana, metricId, 60 + i))).status).toBe('delivered');
    }
    clock.advance(24 * HOUR);
    await h.server.services.checkins.runOutbox();
    for (const metricId of metrics) expect(checkInPostsReaching(h, metricId)).toBe(1);
    expect(await h.server.services.store.countOutbox('delivered')).toBe(3);
  });
});

describe('lease fencing', () => {
  it('a delivery that outlives its lease and is claimed again does not post a second time', async () => {
    const { h, account, clock } = await start();
    const metricId = account.metrics.nps!;
    // The first holder's read before posting is slow; meanwhile its lease runs out and the worker claims the entry.
    h.gtmhubProxy!.inject({ method: 'GET', path: new RegExp(`/metrics/${metricId}`), fault: { kind: 'delay', ms: 700 } });
    const first = h.server.services.checkins.submit(submission(h, USERS.ana, metricId, 51));
    await eventually(() => h.gtmhubProxy!.requests.some((r) => r.method === 'GET' && r.path.includes(`/metrics/${metricId}`)), 5000, 'the first holder’s read');
    clock.advance(2 * 60_000);
    // The new holder's POST is still on its way when the first holder's read comes back.
    h.gtmhubProxy!.inject({ method: 'POST', path: /\/checkin$/, fault: { kind: 'delay', ms: 1500 } });
    const second = h.server.services.checkins.runOutbox();
    const firstOutcome = await first;
    expect(firstOutcome.status).toBe('pending');
    expect(await second).toMatchObject({ delivered: 1 });
    expect(checkInPostsReaching(h, metricId)).toBe(1);
    expect(snapshotsOf(h, metricId).map((s) => s.value)).toEqual([51]);
    expect(await h.server.services.store.countOutbox('delivered')).toBe(1);
  });
});

describe('a delivery’s time is bounded well below its lease', () => {
  it('reads that keep answering 429 with Retry-After stop at the lease’s deadline: nothing posted, retried later', async () => {
    // Lease 6.5 s, POST timeout 0.5 s, margin 5 s: the reads before posting have 1 s.
    const { h, account, clock } = await start({
      env: { GTMHUB_TIMEOUT_MS: '500' },
      serverOptions: { outboxLeaseMs: 6500, gtmhubRetry: { limit: 5, baseDelayMs: 10, maxBackoffMs: 50, maxRetryAfterMs: 30_000 } },
    });
    const metricId = account.metrics.nps!;
    h.gtmhubProxy!.inject({ method: 'GET', path: new RegExp(`/metrics/${metricId}`), fault: { kind: 'status', status: 429, retryAfterSeconds: 2 }, times: Infinity });
    const started = performance.now();
    const outcome = await h.server.services.checkins.submit(submission(h, USERS.ana, metricId, 48));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(outcome.status).toBe('pending');
    expect(checkInPostsReaching(h, metricId)).toBe(0);
    const entry = await h.server.services.store.getOutboxEntry((outcome as { entry: { id: number } }).entry.id);
    expect(entry).toMatchObject({ status: 'pending', uncertain: false });

    h.gtmhubProxy!.clearFaults();
    clock.advance(HOUR);
    expect(await h.server.services.checkins.runOutbox()).toMatchObject({ delivered: 1 });
    expect(snapshotsOf(h, metricId).map((s) => s.value)).toEqual([48]);
  });
});

describe('the "did my lost POST land?" check', () => {
  it('a comment quoting the submission’s reference does not make a lost POST count as landed', async () => {
    const { h, account, clock } = await start();
    const metricId = account.metrics.revenue!; // its history reaches back before the submission
    // The POST never reaches Gtmhub, but the connection drops: the entry is uncertain.
    h.gtmhubProxy!.inject({ method: 'POST', path: /\/checkin$/, fault: { kind: 'reset' } });
    const outcome = await h.server.services.checkins.submit(submission(h, USERS.ana, metricId, 21000));
    expect(outcome.status).toBe('pending');
    const entry = (await h.server.services.store.getOutboxEntry((outcome as { entry: { id: number } }).entry.id))!;
    expect(entry.uncertain).toBe(true);
    // Someone writes a check-in of their own whose words carry that reference (guessed, or copied from an old one).
    const ref = entry.context.ref as string;
    await h.server.services.gtmhub.checkIn(metricId, { actual: 20500, comment: `copying kr-checkin ${ref} here (kr-checkin ${ref})\nand more` });

    clock.advance(HOUR);
    expect(await h.server.services.checkins.runOutbox()).toMatchObject({ delivered: 1 });
    expect(snapshotsOf(h, metricId).map((s) => s.value)).toEqual([20500, 21000]);
  });

  it('a history trimmed after a later check-in cannot tell: the entry is not posted again and the person is told', async () => {
    const { h, account, clock } = await start();
    const metricId = account.metrics.nps!;
    // Gtmhub applies the POST, the answer is lost.
    h.gtmhubProxy!.inject({ method: 'POST', path: /\/checkin$/, fault: { kind: 'reset' }, afterUpstream: true });
    const outcome = await h.server.services.checkins.submit(submission(h, USERS.ana, metricId, 53));
    expect(outcome.status).toBe('pending');
    clock.advance(1000);
    await h.server.services.gtmhub.checkIn(metricId, { actual: 54, comment: 'a later check-in', checkInDate: clock.now().toISOString() });
    // Gtmhub keeps only the latest history entry.
    const metric = h.gtmhub.state.metrics.find((m) => m.id === metricId)!;
    metric.metricHistory = metric.metricHistory.slice(-1);
    const postsBefore = checkInPostsReaching(h, metricId);

    clock.advance(HOUR);
    expect(await h.server.services.checkins.runOutbox()).toMatchObject({ rejected: 1 });
    expect(checkInPostsReaching(h, metricId)).toBe(postsBefore);
    await h.server.services.checkins.notificationsSettled();
    const dm = h.slack.messages(h.slackIdFor(USERS.ana)).map((m) => m.text).join('\n');
    expect(dm).toMatch(/Gtmhub may already have this check-in/);
  });
});
