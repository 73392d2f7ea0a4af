/**
 * Telling people about their check-ins never holds up a delivery, survives a failed DM and a restart,
 * and a chat.postMessage 429 never delays what a person waits for (Slack rate limits are per method).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { smallAccount, USERS } from '../support/fixtures.js';
import { eventually, fixedClock, startHarness, type Harness } from '../support/harness.js';
import { snapshotsOf, submission } from './faults-support.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const CHANNEL = 'CGENERAL01';

async function start(options: Parameters<typeof startHarness>[0] = {}) {
  const account = smallAccount();
  const clock = fixedClock(new Date());
  harness = await startHarness({ gtmhub: { data: account.data }, clock, ...options });
  await eventually(() => harness!.slack.callsTo('auth.test').length > 0, 5000, 'auth.test');
  return { h: harness, account, clock };
}

describe('check-in notices', () => {
  it('a confirmation DM that Slack refused is sent again by the outbox worker, also after a restart', async () => {
    const { h, account, clock } = await start();
    const ana = h.slackIdFor(USERS.ana);
    h.slack.failNext('chat.postMessage', 'internal_error');
    const outcome = await h.server.services.checkins.submit(submission(h, USERS.ana, account.metrics.nps!, 41));
    expect(outcome.status).toBe('delivered');
    await h.server.services.checkins.notificationsSettled();
    expect(h.slack.messages(ana)).toHaveLength(0);
    expect(await h.server.services.store.countPendingNotices()).toBe(1);

    await h.stopApp();
    await h.restartApp();
    clock.advance(5 * 60_000);
    await h.server.services.checkins.runOutbox();
    await h.server.services.checkins.notificationsSettled();
    expect(h.slack.messages(ana)).toHaveLength(1);
    expect(await h.server.services.store.countPendingNotices()).toBe(0);
    // Sent once: a later pass does not send it again.
    clock.advance(60 * 60_000);
    await h.server.services.checkins.runOutbox();
    await h.server.services.checkins.notificationsSettled();
    expect(h.slack.messages(ana)).toHaveLength(1);
  });

  it('a hanging chat.postMessage holds up no delivery', async () => {
    const { h, account } = await start({ faultProxies: { slack: true } });
    h.slackProxy!.inject({ method: 'POST', path: /chat\.postMessage/, fault: { kind: 'hang' }, times: Infinity });
    const metrics = [account.metrics.nps!, account.metrics.revenue!, account.metrics.bugs!];
    const started = performance.now();
    for (const [i, metricId] of metrics.entries()) {
      expect((await h.server.services.checkins.submit(submission(h, USERS.ana, metricId, 70 + i))).status).toBe('delivered');
    }
    expect(performance.now() - started).toBeLessThan(3000);
    for (const metricId of metrics) expect(snapshotsOf(h, metricId)).toHaveLength(1);
    expect(await h.server.services.store.countPendingNotices()).toBe(3);
  });
});

describe('Slack rate limits per method family', () => {
  it('a chat.postMessage 429 (Retry-After 30) on a notice does not delay an unrelated /kr whoami', async () => {
    const { h, account } = await start();
    h.slack.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 30 });
    expect((await h.server.services.checkins.submit(submission(h, USERS.ana, account.metrics.nps!, 43))).status).toBe('delivered');
    await eventually(() => h.slack.callsTo('chat.postMessage').length > 0, 5000, 'the rate-limited notice');

    const ben = h.slackIdFor(USERS.ben);
    const started = performance.now();
    expect((await h.slack.slashCommand(ben, CHANNEL, '/kr', 'whoami')).status).toBe(200);
    const reply = await eventually(() => h.slack.ephemerals(ben).find((e) => e.text.includes('You are Gtmhub user')), 10_000, 'the whoami reply');
    expect(reply.text).toContain(USERS.ben);
    expect(performance.now() - started).toBeLessThan(5000);
    // The notice is kept for later, after the Retry-After.
    await h.server.services.checkins.notificationsSettled();
    expect(await h.server.services.store.countPendingNotices()).toBe(1);
  });
});
