/**
 * The people service with the real Slack gateway, against the Slack and Gtmhub emulators over HTTP
 * on 127.0.0.1: one person or many, both directions, with the calls each costs.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startGtmhubEmulator, type GtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/slack/index.js';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { createLogger } from '../../src/logger.js';
import { PeopleService } from '../../src/services/people/people-service.js';
import { SlackPermanentError, SlackRateLimitedError } from '../../src/services/ports.js';
import { SlackGateway } from '../../src/slack/gateway/slack-gateway.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { smallAccount, USERS } from '../support/fixtures.js';

const BOT_TOKEN = 'xoxb-people';
const SLACK_USERS = [
  { id: 'UANA00001', name: 'ana', realName: 'Ana Novak', email: 'ana@acme.example', tz: 'Europe/Ljubljana' },
  { id: 'UBEN00001', name: 'ben', realName: 'Ben Okafor', email: 'ben@acme.example', tz: 'Africa/Lagos' },
  { id: 'UZOE00001', name: 'zoe', realName: 'Zoe Park', email: 'zoe@elsewhere.example', tz: 'UTC' },
];

let close: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of close.reverse()) await c();
  close = [];
});

async function setUp() {
  const clock = fixedClock('2026-11-27T10:00:00Z');
  const gtmhubEmulator: GtmhubEmulator = await startGtmhubEmulator({ port: 0, data: smallAccount().data });
  const slackEmulator: SlackEmulator = await startSlackEmulator({ port: 0, signingSecret: 'people', botToken: BOT_TOKEN, users: SLACK_USERS, channels: [] });
  const store = SqliteStore.open(':memory:');
  close.push(() => gtmhubEmulator.close(), () => slackEmulator.close(), () => store.close());
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const gtmhub = new GtmhubClient({ baseUrl: gtmhubEmulator.url, token: gtmhubEmulator.adminToken, accountId: gtmhubEmulator.accountId, retry: { limit: 0 } });
  const slack = SlackGateway.fromSettings({ token: BOT_TOKEN, slackApiUrl: slackEmulator.apiUrl, retries: 0 }, { clock, logger });
  const people = new PeopleService({ gtmhub, store, slack, clock, logger, adminSlackUserIds: ['UANA00001'], matchTtlMs: 3600_000 });
  const gtmhubUserRequests = () => gtmhubEmulator.requests.filter((r) => r.path === '/api/v2/users').length;
  return { clock, gtmhubEmulator, slackEmulator, store, slack, people, gtmhubUserRequests };
}

describe('PeopleService', () => {
  it('matches one Slack person by their profile email, caches the match for its TTL, and names them', async () => {
    const { people, slackEmulator, clock } = await setUp();
    const ben = await people.resolve('UBEN00001');
    expect(ben).toMatchObject({ mapped: true, gtmhubUserId: USERS.ben, source: 'email' });
    expect(await people.nameOf('UBEN00001', 'ben')).toBe('Ben Okafor');
    await people.resolve('UBEN00001');
    expect(slackEmulator.callsTo('users.info')).toHaveLength(1);
    clock.advance(3600_000 + 1);
    await people.resolve('UBEN00001');
    expect(slackEmulator.callsTo('users.info')).toHaveLength(2);
    expect(await people.resolve('UZOE00001')).toEqual({ mapped: false, reason: { kind: 'no_gtmhub_user', email: 'zoe@elsewhere.example' } });
  });

  it('credits the profile’s real name even when the person was matched without reading their profile (issue 13 item 5)', async () => {
    const { people, store, slackEmulator } = await setUp();
    // A reminder pass matches owners from users.list and stores the link, not the profile: the
    // "No change for all" path then asked nameOf with only the Slack handle to fall back on.
    await store.putOwnerLink({ slackUserId: 'UBEN00001', gtmhubUserId: USERS.ben, email: 'ben@acme.example', source: 'email', linkedBy: null, createdAt: new Date('2026-11-27T09:00:00Z'), expiresAt: new Date('2026-11-28T09:00:00Z') });
    expect(await store.getSlackProfile('UBEN00001')).toBeNull();
    expect(await people.nameOf('UBEN00001', 'ben')).toBe('Ben Okafor');
    expect(await people.nameOf('UBEN00001', 'ben')).toBe('Ben Okafor');
    expect(slackEmulator.callsTo('users.info')).toHaveLength(1);
    expect(await people.nameOf('UNOBODY01', 'nobody')).toBe('nobody');
  });

  it('maps many Gtmhub owners to Slack people with one users.list walk; a manual link wins over the email', async () => {
    const { people, slackEmulator, gtmhubUserRequests } = await setUp();
    await people.link('UANA00001', 'UZOE00001', 'cleo@acme.example');
    const owners = [
      { gtmhubUserId: USERS.ana, email: 'ana@acme.example', name: 'Ana' },
      // Listed without an email: filled in from Gtmhub in one batched request.
      { gtmhubUserId: USERS.ben, email: null, name: null },
      { gtmhubUserId: USERS.cleo, email: 'cleo@acme.example', name: 'Cleo' },
      ...Array.from({ length: 25 }, (_, i) => ({ gtmhubUserId: `ee${String(i).padStart(22, '0')}`, email: `nobody${i}@acme.example`, name: null })),
    ];
    const before = gtmhubUserRequests();
    const matches = await people.slackUsersOf(owners);
    expect(matches.get(USERS.ana)?.slackUserId).toBe('UANA00001');
    expect(matches.get(USERS.ben)).toMatchObject({ slackUserId: 'UBEN00001', owner: { email: 'Ben@Acme.example', name: 'Ben Okafor' } });
    expect(matches.get(USERS.cleo)?.slackUserId).toBe('UZOE00001');
    expect(matches.get('ee0000000000000000000000')).toMatchObject({ slackUserId: null, reason: 'no_slack_user' });
    expect(slackEmulator.callsTo('users.list')).toHaveLength(1);
    expect(slackEmulator.callsTo('users.lookupByEmail')).toHaveLength(0);
    // One request for the owner listed without an email (the manual link asked Gtmhub once too).
    expect(gtmhubUserRequests() - before).toBe(1);
  });

  it('falls back to users.lookupByEmail, cached, where the workspace refuses users.list', async () => {
    const { people, slackEmulator } = await setUp();
    slackEmulator.failNext('users.list', 'missing_scope');
    const owners = Array.from({ length: 22 }, (_, i) => ({ gtmhubUserId: `ee${String(i).padStart(22, '0')}`, email: i === 0 ? 'ben@acme.example' : `nobody${i}@acme.example`, name: null }));
    const first = await people.slackUsersOf(owners);
    expect(first.get('ee0000000000000000000000')?.slackUserId).toBe('UBEN00001');
    expect(slackEmulator.callsTo('users.lookupByEmail')).toHaveLength(22);
    await people.slackUsersOf(owners);
    expect(slackEmulator.callsTo('users.lookupByEmail')).toHaveLength(22);
  });

  it('maps many Slack people (a channel) to Gtmhub users with batched Gtmhub lookups', async () => {
    const { people, gtmhubUserRequests } = await setUp();
    const before = gtmhubUserRequests();
    const found = await people.gtmhubUsersOf(['UANA00001', 'UBEN00001', 'UZOE00001']);
    expect(Object.fromEntries(found)).toEqual({ UANA00001: USERS.ana, UBEN00001: USERS.ben });
    // The documented equality filter first, one regex request for what is left: never one per person.
    expect(gtmhubUserRequests() - before).toBeLessThanOrEqual(2);
    await people.gtmhubUsersOf(['UANA00001', 'UBEN00001']);
    expect(gtmhubUserRequests() - before).toBeLessThanOrEqual(2);
  });
});

describe('SlackGateway errors', () => {
  it('translates Slack answers once, with the SDK error types: 429 and answers that will not change', async () => {
    const { slack, slackEmulator } = await setUp();
    slackEmulator.failNext('chat.postMessage', 'user_disabled');
    const message = { reminder: { id: 1, kind: 'period' as const, periodStart: new Date(), periodEnd: new Date(), pageOffset: 0, timeZone: 'UTC' }, items: [], now: new Date() };
    await expect(slack.postReminder('UBEN00001', message)).rejects.toBeInstanceOf(SlackPermanentError);
    slackEmulator.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 7 });
    const limited = await slack.postReminder('UBEN00001', message).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(SlackRateLimitedError);
    expect((limited as SlackRateLimitedError).retryAfterMs).toBe(7000);
  });

  it('a chat.postMessage 429 that a channel message waits out (Retry-After 30) does not delay a person lookup', async () => {
    const { slack, slackEmulator } = await setUp();
    slackEmulator.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 30 });
    // The summaries' client waits the 30 s out on its own queue.
    void slack.tellUser('UBEN00001', 'Your subscription was paused').catch(() => {});
    await expect.poll(() => slackEmulator.callsTo('chat.postMessage').length).toBe(1);
    const started = performance.now();
    expect(await slack.user('UZOE00001')).toMatchObject({ slackUserId: 'UZOE00001' });
    expect(performance.now() - started).toBeLessThan(3000);
    // A check-in notice is rejected at once (its caller retries), not queued behind the 30 s.
    slackEmulator.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 30 });
    const entry = { id: 1, slackUserId: 'UBEN00001', actual: 3, submittedAt: new Date() } as Parameters<typeof slack.rejected>[0];
    await expect(slack.rejected(entry, 'past due')).rejects.toBeInstanceOf(SlackRateLimitedError);
  });
});
