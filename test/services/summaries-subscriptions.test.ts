import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { slackIdOf, startSummaryFixture, type SummaryFixture } from './summaries-fixture.js';

// The fixture's clock starts on Friday 27 Nov 2026 12:00 UTC; Ana is in Europe/Berlin.
const ANA = slackIdOf('ana');
const CHANNEL = 'CTEAM0001';
const MONDAY_0900_BERLIN = (day: number) => new Date(Date.UTC(2026, day >= 30 ? 10 : 11, day, 8, 0));

const fixtures: SummaryFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

async function fixture(options: Parameters<typeof startSummaryFixture>[0] = {}) {
  const f = await startSummaryFixture(options);
  fixtures.push(f);
  return f;
}

async function subscribeWeekly(f: SummaryFixture, text = 'weekly mon 09:00') {
  const result = await f.subscriptions.subscribe(ANA, CHANNEL, text);
  if (result.kind !== 'created') throw new Error(`not created: ${JSON.stringify(result)}`);
  return result;
}

describe('subscribing', () => {
  it('creates a subscription in the subscriber’s time zone and tells when it runs next', async () => {
    const f = await fixture();
    const created = await subscribeWeekly(f);
    expect(created.subscription).toMatchObject({ channelId: CHANNEL, createdBy: ANA, frequency: 'weekly', day: 1, timeOfDay: '09:00', timeZone: 'Europe/Berlin', status: 'active' });
    expect(created.next).toEqual(MONDAY_0900_BERLIN(30));
    expect(created.description).toBe('every Monday at 09:00 (Europe/Berlin)');
    const listed = await f.subscriptions.list(CHANNEL);
    expect(listed.map((l) => [l.subscription.id, l.next])).toEqual([[created.subscription.id, MONDAY_0900_BERLIN(30)]]);
    expect(await f.subscriptions.list('COTHER001')).toEqual([]);
  });

  it('refuses bad input, a scope that matches nothing, and a channel the bot is not in', async () => {
    const f = await fixture();
    expect(await f.subscriptions.subscribe(ANA, CHANNEL, 'hourly')).toMatchObject({ kind: 'invalid' });
    expect(await f.subscriptions.subscribe(ANA, CHANNEL, 'weekly goal:"Moon landing"')).toEqual({ kind: 'invalid', problem: 'No objective\'s name contains “Moon landing”.' });
    f.slack.channels.set('COUT00001', { id: 'COUT00001', name: 'out', isArchived: false, isPrivate: false, isIm: false, botIsMember: false, members: [] });
    expect(await f.subscriptions.subscribe(ANA, 'COUT00001', 'weekly')).toEqual({ kind: 'cannot_post', problem: 'not_in_channel' });
    expect(await f.subscriptions.subscribe(ANA, 'CGONE0001', 'weekly')).toEqual({ kind: 'cannot_post', problem: 'channel_not_found' });
    expect(await f.store.listSubscriptions()).toEqual([]);
  });

  it('refuses the same scope and schedule twice in a channel, and points at the first (issue 13 item 7)', async () => {
    const f = await fixture();
    const created = await subscribeWeekly(f);
    const again = await f.subscriptions.subscribe(ANA, CHANNEL, 'weekly mon 09:00');
    expect(again).toMatchObject({ kind: 'duplicate', existing: { id: created.subscription.id }, description: 'every Monday at 09:00 (Europe/Berlin)' });
    // Another time, another scope or another channel is a different subscription.
    expect(await f.subscriptions.subscribe(ANA, CHANNEL, 'weekly mon 10:00')).toMatchObject({ kind: 'created' });
    expect(await f.subscriptions.subscribe(ANA, CHANNEL, 'weekly mon 09:00 mine')).toMatchObject({ kind: 'created' });
    expect(await f.store.listSubscriptions({ channelId: CHANNEL })).toHaveLength(3);
  });

  it('unsubscribes only within the channel', async () => {
    const f = await fixture();
    const { subscription } = await subscribeWeekly(f);
    expect(await f.subscriptions.unsubscribe(ANA, 'COTHER001', String(subscription.id))).toEqual({ removed: false, id: subscription.id });
    expect(await f.subscriptions.unsubscribe(ANA, CHANNEL, 'abc')).toEqual({ removed: false, id: null });
    expect(await f.subscriptions.unsubscribe(ANA, CHANNEL, `#${subscription.id}`)).toEqual({ removed: true, id: subscription.id });
    expect(await f.subscriptions.list(CHANNEL)).toEqual([]);
  });
});

describe('running on schedule', () => {
  it('posts exactly once per period, not for the slot before it was created', async () => {
    const f = await fixture();
    await subscribeWeekly(f);
    expect(await f.subscriptions.runDue()).toEqual({ posted: 0, skipped: 0, failed: 0, retrying: 0 });
    f.clock.set(new Date(MONDAY_0900_BERLIN(30).getTime() - 60_000));
    await f.subscriptions.runDue();
    expect(f.slack.posted).toHaveLength(0);

    f.clock.set(MONDAY_0900_BERLIN(30));
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 1 });
    expect(f.slack.posted[0]!.summary.dueAt).toBeUndefined();
    f.clock.advance(60_000);
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 0 });
    f.clock.set(new Date('2026-12-04T16:00:00Z'));
    await f.subscriptions.runDue();
    expect(f.slack.posted).toHaveLength(1);

    const [first] = f.slack.posted;
    expect(first!.summary.title).toBe('Weekly key results summary');
    expect(first!.summary.period.start).toEqual(new Date('2026-11-23T08:00:00Z'));
    expect(first!.summary.period.end).toEqual(MONDAY_0900_BERLIN(30));

    f.clock.set(MONDAY_0900_BERLIN(7));
    await f.subscriptions.runDue();
    expect(f.slack.posted).toHaveLength(2);
    // The second run compares with the first.
    expect(f.slack.posted[1]!.summary.previousAt).toEqual(MONDAY_0900_BERLIN(30));
  });

  it('after missing several periods (an outage) posts once, late, for the latest period only', async () => {
    const f = await fixture();
    const { subscription } = await subscribeWeekly(f);
    f.clock.set(new Date('2026-12-23T10:00:00Z')); // Mondays 30 Nov, 7, 14 and 21 Dec all passed
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 1 });
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 0 });
    expect(f.slack.posted).toHaveLength(1);
    expect(f.slack.posted[0]!.summary.period.end).toEqual(MONDAY_0900_BERLIN(21));
    expect(f.slack.posted[0]!.summary.dueAt).toEqual(MONDAY_0900_BERLIN(21));
    expect((await f.store.getSubscription(subscription.id))?.lastPeriod).toBe('2026-12-21');
    expect(await f.store.getSummaryRun(subscription.id, '2026-12-14')).toBeNull();
  });

  it('survives a restart: the periods already posted stay posted', async () => {
    const databaseFile = join(mkdtempSync(join(tmpdir(), 'kr-summaries-')), 'restart.db');
    const before = await fixture({ databaseFile });
    await subscribeWeekly(before);
    before.clock.set(new Date(MONDAY_0900_BERLIN(30).getTime() + 5 * 60_000));
    expect(await before.subscriptions.runDue()).toMatchObject({ posted: 1 });
    await before.close();
    fixtures.splice(fixtures.indexOf(before), 1);

    const after = await fixture({ databaseFile });
    after.clock.set(new Date(MONDAY_0900_BERLIN(30).getTime() + 10 * 60_000));
    expect(await after.subscriptions.runDue()).toMatchObject({ posted: 0 });
    expect(after.slack.posted).toHaveLength(0);
    after.clock.set(MONDAY_0900_BERLIN(7));
    expect(await after.subscriptions.runDue()).toMatchObject({ posted: 1 });
  });

  it('two processes on one database post a period once', async () => {
    const databaseFile = join(mkdtempSync(join(tmpdir(), 'kr-summaries-')), 'replicas.db');
    const a = await fixture({ databaseFile });
    const b = await fixture({ databaseFile });
    await subscribeWeekly(a);
    for (const f of [a, b]) f.clock.set(MONDAY_0900_BERLIN(30));
    const results = await Promise.all([a.subscriptions.runDue(), b.subscriptions.runDue(), a.subscriptions.runDue(), b.subscriptions.runDue()]);
    expect(results.reduce((n, r) => n + r.posted, 0)).toBe(1);
    expect(a.slack.posted.length + b.slack.posted.length).toBe(1);
  });

  it('takes over a run whose process died once its lease is over', async () => {
    const f = await fixture();
    const { subscription } = await subscribeWeekly(f);
    f.clock.set(MONDAY_0900_BERLIN(30));
    // A process claimed the period and died before posting.
    expect(await f.store.claimSummaryRun(subscription.id, '2026-11-30', f.clock.now(), 15 * 60_000)).not.toBeNull();
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 0 });
    f.clock.advance(15 * 60_000);
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 1 });
    expect((await f.store.getSummaryRun(subscription.id, '2026-11-30'))?.attempts).toBe(2);
  });

  it('retries a failed post later in the same period, then gives the period up', async () => {
    const f = await fixture({ retryDelaysMs: [60_000] });
    const { subscription } = await subscribeWeekly(f);
    f.clock.set(MONDAY_0900_BERLIN(30));
    f.slack.failPostWith = new Error('Slack is down');
    expect(await f.subscriptions.runDue()).toMatchObject({ retrying: 1 });
    expect(await f.subscriptions.runDue()).toMatchObject({ retrying: 0, posted: 0 });
    f.clock.advance(60_000);
    expect(await f.subscriptions.runDue()).toMatchObject({ failed: 1 });
    expect((await f.store.getSummaryRun(subscription.id, '2026-11-30'))?.status).toBe('failed');
    f.slack.failPostWith = null;
    f.clock.advance(60_000);
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 0 });
    f.clock.set(MONDAY_0900_BERLIN(7));
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 1 });
  });

  it('a post Slack accepted counts as posted when its bookkeeping fails: never retried into a second post', async () => {
    const f = await fixture({ retryDelaysMs: [60_000] });
    const { subscription } = await subscribeWeekly(f);
    f.clock.set(MONDAY_0900_BERLIN(30));
    f.store.replaceSummaryBaseline = async () => {
      throw new Error('disk full');
    };
    f.store.recordSummaryProgress = async () => {
      throw new Error('disk full');
    };
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 1, retrying: 0 });
    f.clock.advance(60_000);
    expect(await f.subscriptions.runDue()).toMatchObject({ posted: 0, retrying: 0, failed: 0 });
    f.clock.set(new Date('2026-12-04T16:00:00Z'));
    await f.subscriptions.runDue();
    expect(f.slack.posted).toHaveLength(1);
    expect(await f.store.getSummaryRun(subscription.id, '2026-11-30')).toMatchObject({ status: 'posted' });
  });

  it('pauses when the channel is archived or gone and tells the creator once', async () => {
    const f = await fixture();
    const { subscription } = await subscribeWeekly(f);
    f.slack.channels.get(CHANNEL)!.isArchived = true;
    f.clock.set(MONDAY_0900_BERLIN(30));
    expect(await f.subscriptions.runDue()).toMatchObject({ skipped: 1 });
    expect((await f.store.getSubscription(subscription.id))).toMatchObject({ status: 'paused', pausedReason: 'is_archived' });
    expect(f.slack.told).toHaveLength(1);
    expect(f.slack.told[0]).toMatchObject({ slackUserId: ANA });
    expect(f.slack.told[0]!.text).toContain('paused: the channel was archived');
    f.clock.set(MONDAY_0900_BERLIN(7));
    expect(await f.subscriptions.runDue()).toEqual({ posted: 0, skipped: 0, failed: 0, retrying: 0 });
    expect(f.slack.told).toHaveLength(1);
    expect((await f.subscriptions.list(CHANNEL))[0]?.next).toBeNull();
  });

  it('pauses when posting finds the bot removed from the channel', async () => {
    const f = await fixture();
    const { subscription } = await subscribeWeekly(f);
    f.slack.failPostWith = 'not_in_channel';
    f.clock.set(MONDAY_0900_BERLIN(30));
    expect(await f.subscriptions.runDue()).toMatchObject({ skipped: 1 });
    expect((await f.store.getSubscription(subscription.id))?.status).toBe('paused');
    expect(f.slack.told[0]!.text).toContain('/invite @kr-checkin');
  });
});

describe('store', () => {
  it('claims a (subscription, period) once across two connections and never after it finished', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kr-summaries-')), 'claims.db');
    const one = SqliteStore.open(file);
    const two = SqliteStore.open(file);
    try {
      const now = new Date('2026-11-30T08:00:00Z');
      const sub = await one.createSubscription({ channelId: 'C1', createdBy: 'U1', frequency: 'weekly', day: 1, timeOfDay: '09:00', timeZone: 'UTC', scope: '{"kind":"channel"}', anchorDate: '2026-11-30', createdAt: now });
      const claims = await Promise.all([one, two, one, two].map((s) => s.claimSummaryRun(sub.id, '2026-11-30', now, 60_000)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      await two.finishSummaryRun(sub.id, '2026-11-30', { status: 'posted', messageTs: '1.2' }, now);
      const later = new Date(now.getTime() + 3600_000);
      expect(await one.claimSummaryRun(sub.id, '2026-11-30', later, 60_000)).toBeNull();
      expect(await one.getSubscription(sub.id)).toMatchObject({ lastPeriod: '2026-11-30', lastPostedAt: now });
      expect(await two.claimSummaryRun(sub.id, '2026-12-07', later, 60_000)).toMatchObject({ status: 'running', attempts: 1 });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('keeps a summary request for one post only', async () => {
    const store = SqliteStore.open(':memory:');
    const now = new Date('2026-11-30T08:00:00Z');
    await store.createSummaryRequest({ id: 'r1', channelId: 'C1', requestedBy: 'U1', scope: '{"kind":"channel"}', createdAt: now, expiresAt: new Date(now.getTime() + 60_000) });
    expect(await store.claimSummaryRequest('r1', now)).not.toBeNull();
    expect(await store.claimSummaryRequest('r1', now)).toBeNull();
    await store.releaseSummaryRequest('r1');
    expect(await store.claimSummaryRequest('r1', new Date(now.getTime() + 61_000))).toBeNull();
    expect(await store.cancelSummaryRequest('r1', now)).toBe(true);
    expect(await store.claimSummaryRequest('r1', now)).toBeNull();
    await store.close();
  });
});

describe('configuration', () => {
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's',
    GTMHUB_API_TOKEN: 't',
    GTMHUB_ACCOUNT_ID: '5be26318e5274a0007f17f61',
  };
  it('ticks every minute by default and refuses a SUMMARY_TICK that is not a cron expression', () => {
    expect(loadConfig(env).summaryTick).toBe('0 * * * * *');
    expect(loadConfig({ ...env, SUMMARY_TICK: '*/30 * * * * *' }).summaryTick).toBe('*/30 * * * * *');
    expect(() => loadConfig({ ...env, SUMMARY_TICK: 'every minute' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, SUMMARY_TICK: 'every minute' })).toThrow(/SUMMARY_TICK/);
  });
});
