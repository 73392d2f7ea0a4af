/**
 * A reminder pass matches owners while the Slack member list is still being walked: an owner whose
 * member is on a later users.list page is matched when the walk gets there, a rate-limited page is
 * waited out, and a walk that fails midway leaves the rest to users.lookupByEmail — each person
 * reminded exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { ADMIN } from '../support/harness.js';
import { at, dms, SLACK, startReminderHarness } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Tokyo on the first users.list page (1,000 members a page), Berlin after 1,000 others: on the second. */
function slackUsers() {
  const fillers = Array.from({ length: 1_000 }, (_, i) => ({ id: `UFILL${String(i).padStart(4, '0')}`, name: `filler${i}`, email: `filler${i}@elsewhere.example`, tz: 'UTC' }));
  return [
    { id: SLACK.tokyo, name: 'kenji', realName: 'Kenji Sato', email: 'kenji@acme.example', tz: 'Asia/Tokyo' },
    { id: SLACK.la, name: 'luis', realName: 'Luis Lopez', email: 'luis@acme.example', tz: 'America/Los_Angeles' },
    { id: ADMIN, name: 'admin', realName: 'Ada Admin', email: 'admin@elsewhere.example', tz: 'Europe/Berlin' },
    ...fillers,
    { id: SLACK.berlin, name: 'bea', realName: 'Bea Braun', email: 'bea@acme.example', tz: 'Europe/Berlin' },
  ];
}

/** Runs `then` once the first users.list page has been asked for, before the second can arrive. */
function afterFirstListPage(h: Harness, then: () => void): void {
  const poll = () => (h.slack.callsTo('users.list').length >= 1 ? then() : setImmediate(poll));
  setImmediate(poll);
}

describe('reminder pass while the member list is walked', () => {
  it('matches an owner whose Slack member is on a later users.list page, and reminds them once', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'), { slackUsers: slackUsers() });
    harness = h;
    const report = await h.server.services.reminders.runPass('test');
    expect(report.sent).toBe(2);
    expect(report.unmappedCount).toBe(1); // the ghost, as always
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
    expect(h.slack.callsTo('users.list').map((c) => c.ok)).toEqual([true, true]);
    expect(h.slack.callsTo('users.lookupByEmail')).toHaveLength(0);
    expect(h.slack.callsTo('users.info')).toHaveLength(0);

    const again = await h.server.services.reminders.runPass('again');
    expect(again.sent).toBe(0);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('waits out a rate-limited users.list page and goes on from its cursor', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'), { slackUsers: slackUsers() });
    harness = h;
    afterFirstListPage(h, () => h.slack.rateLimit('users.list', { times: 1, retryAfterSeconds: 1 }));
    const report = await h.server.services.reminders.runPass('test');
    expect(report.sent).toBe(2);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
    const calls = h.slack.callsTo('users.list');
    expect(calls.map((c) => c.ok)).toEqual([true, false, true]);
    expect(calls[2]!.args.cursor).toBe(calls[1]!.args.cursor);
    expect(h.slack.callsTo('users.lookupByEmail')).toHaveLength(0);
  });

  it('when users.list fails midway, the owners it had not reached are matched with users.lookupByEmail, once each', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'), { slackUsers: slackUsers() });
    harness = h;
    afterFirstListPage(h, () => h.slack.failNext('users.list', 'internal_error'));
    const report = await h.server.services.reminders.runPass('test');
    expect(h.slack.callsTo('users.list').map((c) => c.ok)).toEqual([true, false]);
    expect(report.sent).toBe(2);
    expect(report.failed).toBe(0);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
    const lookedUp = h.slack.callsTo('users.lookupByEmail').map((c) => c.args.email);
    expect(lookedUp).toContain('bea@acme.example');
    expect(new Set(lookedUp).size).toBe(lookedUp.length);

    await h.server.services.reminders.runPass('again');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });
});
