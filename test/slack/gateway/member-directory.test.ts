/**
 * The gateway's member directory against the Slack emulator over HTTP on 127.0.0.1: lookups made
 * while the users.list walk runs are answered as soon as the walk reaches their member, a
 * rate-limited page is waited out and the walk resumes from its cursor, and a walk that fails
 * midway leaves the members it had not reached to users.lookupByEmail.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { startSlackEmulator, type SlackEmulator } from '../../../src/emulator/slack/index.js';
import { createLogger } from '../../../src/logger.js';
import { SlackGateway } from '../../../src/slack/gateway/slack-gateway.js';

const BOT_TOKEN = ['xoxb', 'directory'].join('-');
/** Three users.list pages (the gateway asks for 1,000 a page). */
const PEOPLE = 2_500;
const id = (n: number) => `U${String(n).padStart(8, '0')}`;
const email = (n: number) => `person${n}@acme.example`;

let close: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of close.reverse()) await c();
  close = [];
});

async function setUp(): Promise<{ slack: SlackEmulator; gateway: SlackGateway }> {
  const users = Array.from({ length: PEOPLE }, (_, i) => ({ id: id(i + 1), name: `person${i + 1}`, realName: `Person ${i + 1}`, email: email(i + 1), tz: i % 2 ? 'Asia/Tokyo' : 'Europe/Berlin' }));
  users.push({ id: 'UGONE0001', name: 'gone', realName: 'Gone Away', email: 'gone@acme.example', tz: 'UTC', deleted: true } as (typeof users)[number]);
  const slack = await startSlackEmulator({ port: 0, signingSecret: 'directory', botToken: BOT_TOKEN, users, channels: [] });
  close.push(() => slack.close());
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const gateway = SlackGateway.fromSettings({ token: BOT_TOKEN, slackApiUrl: slack.apiUrl, retries: 0 }, { clock: fixedClock('2026-11-30T09:00:00Z'), logger });
  return { slack, gateway };
}

function settled(promise: Promise<unknown>): () => boolean {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  return () => done;
}

describe('member directory', () => {
  it('answers each lookup as soon as the walk reaches its member, waits out a rate-limited page and resumes from its cursor', async () => {
    const { slack, gateway } = await setUp();
    const walk = gateway.members();
    const walked = settled(walk);
    const first = await gateway.userByEmail('PERSON2@acme.example');
    expect(first).toMatchObject({ slackUserId: id(2), email: email(2), tz: 'Asia/Tokyo', realName: 'Person 2', deleted: false, isBot: false });
    expect(walked()).toBe(false);
    // On page 2; the lookup asked for it before the walk had it.
    expect((await gateway.userByEmail(email(1_400)))?.slackUserId).toBe(id(1_400));
    // Page 3 has not been asked for yet: Slack answers it with a 429 (Retry-After 1 s).
    slack.rateLimit('users.list', { times: 1, retryAfterSeconds: 1 });
    expect(walked()).toBe(false);

    expect(await gateway.timeZoneOf(id(2_401))).toBe('Europe/Berlin');
    const members = await walk;
    // Everyone, the deactivated member and the app’s own bot user.
    expect(members.size).toBe(PEOPLE + 2);
    expect(members.get(id(2_500))?.email).toBe(email(2_500));
    expect(members.get('UGONE0001')).toMatchObject({ deleted: true, email: 'gone@acme.example' });

    const listCalls = slack.callsTo('users.list');
    expect(listCalls.map((c) => c.ok)).toEqual([true, true, false, true]);
    expect(listCalls[3]!.args.cursor).toBeTruthy();
    expect(listCalls[3]!.args.cursor).toBe(listCalls[2]!.args.cursor);
    // Nobody was looked up one by one, and the deactivated member is matched by nobody.
    expect(await gateway.userByEmail('gone@acme.example')).toBeNull();
    expect(await gateway.userByEmail('nobody@acme.example')).toBeNull();
    expect(slack.callsTo('users.lookupByEmail')).toHaveLength(0);
    expect(slack.callsTo('users.info')).toHaveLength(0);
  });

  it('when users.list fails midway, lookups the walk had answered stand and the rest are looked up with users.lookupByEmail', async () => {
    const { slack, gateway } = await setUp();
    const walk = gateway.members();
    walk.catch(() => undefined);
    expect((await gateway.userByEmail(email(3)))?.slackUserId).toBe(id(3));
    // Waiting for page 2 when it fails.
    const waiting = gateway.userByEmail(email(1_300));
    slack.failNext('users.list', 'internal_error');
    await expect(walk).rejects.toThrow();
    expect((await waiting)?.slackUserId).toBe(id(1_300));
    expect((await gateway.userByEmail(email(1_300)))?.slackUserId).toBe(id(1_300));
    expect(await gateway.userByEmail('nobody@acme.example')).toBeNull();
    expect(slack.callsTo('users.list').map((c) => c.ok)).toEqual([true, false]);
    // One lookup each, cached; a refused walk is not asked again at once.
    expect(slack.callsTo('users.lookupByEmail')).toHaveLength(2);
    await expect(gateway.members()).rejects.toThrow();
    expect(slack.callsTo('users.list')).toHaveLength(2);
  });
});
