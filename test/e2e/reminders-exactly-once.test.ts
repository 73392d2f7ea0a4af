import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Harness } from '../support/harness.js';
import { at, dms, GT, SLACK, startReminderHarness } from './reminders-fixture.js';

let harness: Harness | undefined;
let replica: RunningServer | undefined;
afterEach(async () => {
  await replica?.stop();
  await harness?.close();
  harness = undefined;
  replica = undefined;
});

describe('exactly one reminder per person and period', () => {
  it('two replicas ticking at the same moment on one database send one DM per person', async () => {
    const { h, clock } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    // A second process of the app on the same database, as a second replica would be.
    replica = await startServer(h.config, h.logger, { clock, webApiRetries: 0, startScheduler: false });
    const [a, b] = await Promise.all([h.server.services.reminders.runPass('replica A'), replica.services.reminders.runPass('replica B')]);
    expect(a.sent + b.sent).toBe(2);
    expect(a.sent + a.alreadySent + a.inProgress).toBe(2);
    expect(b.sent + b.alreadySent + b.inProgress).toBe(2);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
    // …and again, after both finished.
    await Promise.all([h.server.services.reminders.runPass('replica A'), replica.services.reminders.runPass('replica B')]);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('a claim left by a crash between claim and post is taken over after its lease, and sent once', async () => {
    const { h, clock } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    // A worker claimed Berlin's reminder and died before posting.
    const store = h.server.services.store;
    const crashed = await store.claimReminder(
      {
        slackUserId: SLACK.berlin,
        gtmhubUserId: GT.berlin,
        slotKey: '2026-11-30',
        kind: 'period',
        periodKey: '2026-11-30',
        periodStart: at('2026-11-29T23:00:00Z'),
        periodEnd: at('2026-12-06T23:00:00Z'),
        timeZone: 'Europe/Berlin',
        followUpAt: null,
        items: [],
      },
      clock.now(),
      10 * 60_000,
    );
    expect(crashed.claimed).toBe(true);

    const during = await h.server.services.reminders.runPass('test');
    expect(during.inProgress).toBe(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(0);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);

    clock.advance(10 * 60_000); // the lease ran out: the worker is presumed dead
    const after = await h.server.services.reminders.tick();
    expect(after?.sent).toBe(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
    const reminder = (await store.listOpenReminders(clock.now())).find((r) => r.slackUserId === SLACK.berlin)!;
    expect(reminder.status).toBe('sent');
    expect(reminder.attempts).toBe(2);
    expect(reminder.channelId).toBe(h.slack.dmChannelId(SLACK.berlin));
    expect(reminder.itemCount).toBe(1);

    clock.advance(60 * 60_000);
    await h.server.services.reminders.runPass('test');
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
  });

  it('a restart mid fan-out neither doubles nor skips: a failed post is retried by the next pass', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    h.slack.failNext('chat.postMessage', 'internal_error');
    const first = await h.server.services.reminders.runPass('test');
    expect(first.sent).toBe(1);
    expect(first.failed).toBe(1);
    await h.stopApp();
    await h.restartApp();
    const second = await h.server.services.reminders.runPass('test');
    expect(second.sent).toBe(1);
    expect(second.alreadySent).toBe(1);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
  });

  it('a person Slack refuses for good (deactivated) is not retried this period', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    h.slack.failNext('chat.postMessage', 'user_disabled');
    h.slack.failNext('chat.postMessage', 'user_disabled');
    const first = await h.server.services.reminders.runPass('test');
    expect(first.failed).toBe(2);
    const second = await h.server.services.reminders.runPass('test');
    expect(second.alreadySent).toBe(2);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });
});
