import { afterEach, describe, expect, it } from 'vitest';
import { REMINDER_ACTION } from '../../src/slack/blocks/reminder-message.js';
import { ADMIN, eventually, type Harness } from '../support/harness.js';
import { at, dms, GT, KR, SLACK, startReminderHarness, text, threadReplies } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function buttonValue(message: { blocks: unknown[] }, blockId: string, actionId: string): string {
  const block = message.blocks.find((b) => (b as { block_id?: string }).block_id === blockId) as { elements: Array<{ action_id: string; value?: string }> };
  return block.elements.find((e) => e.action_id === actionId)!.value!;
}

async function start(iso: string, options: Parameters<typeof startReminderHarness>[1] = {}) {
  const started = await startReminderHarness(at(iso), options);
  harness = started.h;
  return started;
}

describe('reminder DMs at each person\'s own 10:00', () => {
  it('reminds Tokyo, Berlin and Los Angeles at their local 10:00 on Monday, once each', async () => {
    const { h, clock } = await start('2026-11-30T00:30:00Z'); // Mon 09:30 Tokyo, 01:30 Berlin, Sun 16:30 LA
    const first = await h.server.services.reminders.runPass('test');
    expect(first.sent).toBe(0);
    expect(first.notYet).toBe(2); // Tokyo and Berlin: later today
    expect(first.quietHours).toBe(1); // LA: still Sunday, last week's period
    expect(first.unmapped).toEqual([expect.objectContaining({ gtmhubUserId: GT.ghost, email: 'ghost@acme.example' })]);

    clock.set('2026-11-30T01:00:00Z'); // 10:00 Tokyo
    const tokyo = await h.server.services.reminders.tick();
    expect(tokyo?.sent).toBe(1);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(0);
    const tokyoText = text(dms(h, SLACK.tokyo)[0]);
    expect(tokyoText).toContain('Sign 5 distributors');
    expect(tokyoText).toContain('Open the Osaka office');
    expect(tokyoText).toContain('Grow Japan');
    expect(tokyoText).toContain('due in 3 days'); // its own due date is within 7 days
    // Stalest first: never checked in comes before last week's.
    expect(tokyoText.indexOf('Sign 5 distributors')).toBeLessThan(tokyoText.indexOf('Open the Osaka office'));

    clock.set('2026-11-30T01:30:00Z'); // nothing new is due (and no hourly rescan yet): the tick does not even scan Gtmhub
    const before = h.gtmhub.requests.length;
    expect(await h.server.services.reminders.tick()).toBeNull();
    expect(h.gtmhub.requests.length).toBe(before);

    clock.set('2026-11-30T09:00:00Z'); // 10:00 Berlin
    const berlin = await h.server.services.reminders.tick();
    expect(berlin?.sent).toBe(1);
    expect(berlin?.alreadySent).toBe(1);
    const berlinText = text(dms(h, SLACK.berlin)[0]);
    expect(berlinText).toContain('Hire 3 engineers');
    expect(berlinText).not.toContain('Ship the Berlin release'); // checked in since the period started (Mon 00:00 Berlin)

    clock.set('2026-11-30T17:59:00Z'); // 09:59 in LA
    expect((await h.server.services.reminders.runPass('test')).sent).toBe(0);
    clock.set('2026-11-30T18:00:00Z'); // 10:00 in LA
    expect((await h.server.services.reminders.tick())?.sent).toBe(1);
    expect(dms(h, SLACK.la)).toHaveLength(1);

    // Later passes the same week send nothing new.
    clock.set('2026-12-02T10:00:00Z');
    const again = await h.server.services.reminders.runPass('test');
    expect(again.sent).toBe(0);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
    expect(dms(h, SLACK.la)).toHaveLength(1);
    // Every post passed the strict emulator.
    expect(h.slack.callsTo('chat.postMessage').every((c) => c.ok)).toBe(true);
  });

  it('waits through quiet hours and weekends for the next working morning', async () => {
    const { h, clock } = await start('2026-11-30T19:00:00Z'); // Mon 20:00 Berlin: the app was down all day
    const evening = await h.server.services.reminders.runPass('test');
    expect(dms(h, SLACK.berlin)).toHaveLength(0);
    expect(evening.quietHours).toBeGreaterThanOrEqual(1);
    clock.set('2026-12-01T06:59:00Z'); // Tue 07:59 Berlin
    await h.server.services.reminders.runPass('test');
    expect(dms(h, SLACK.berlin)).toHaveLength(0);
    clock.set('2026-12-01T07:00:00Z'); // Tue 08:00 Berlin
    await h.server.services.reminders.tick();
    expect(dms(h, SLACK.berlin)).toHaveLength(1);

    // A Saturday schedule waits for Monday morning.
    await h.server.services.reminderSettings.saveSettings(SLACK.la, { enabled: true, days: [6], minutes: 600 });
    clock.set('2026-12-05T18:00:00Z'); // Sat 10:00 LA
    const laBefore = dms(h, SLACK.la).length;
    await h.server.services.reminders.runPass('test');
    expect(dms(h, SLACK.la)).toHaveLength(laBefore);
    clock.set('2026-12-06T18:00:00Z'); // Sun 10:00 LA
    await h.server.services.reminders.runPass('test');
    expect(dms(h, SLACK.la)).toHaveLength(laBefore);
    clock.set('2026-12-07T16:00:00Z'); // Mon 08:00 LA
    await h.server.services.reminders.tick();
    expect(dms(h, SLACK.la)).toHaveLength(laBefore + 1);
  });

  it('lets a person turn reminders off', async () => {
    const { h } = await start('2026-11-30T09:00:00Z');
    await h.server.services.reminderSettings.saveSettings(SLACK.berlin, { enabled: false, days: [1], minutes: 600 });
    const report = await h.server.services.reminders.runPass('test');
    expect(report.off).toBe(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(0);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
  });
});

describe('follow-up', () => {
  it('nudges once on the next working morning when nothing was done, then stays quiet', async () => {
    const { h, clock } = await start('2026-11-30T09:00:00Z');
    await h.server.services.reminders.runPass('test');
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
    clock.set('2026-12-01T06:59:00Z');
    await h.server.services.reminders.runPass('test');
    expect(threadReplies(h, SLACK.berlin)).toHaveLength(0);
    clock.set('2026-12-01T07:00:00Z'); // Tue 08:00 Berlin
    const report = await h.server.services.reminders.tick();
    expect(report?.followUpsSent).toBeGreaterThanOrEqual(1);
    const replies = threadReplies(h, SLACK.berlin);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.threadTs).toBe(dms(h, SLACK.berlin)[0]!.ts);
    expect(replies[0]!.text).toContain('1 key result');
    clock.set('2026-12-02T07:00:00Z');
    await h.server.services.reminders.runPass('test');
    expect(threadReplies(h, SLACK.berlin)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
  });

  it('sends no follow-up after the person acted on the reminder, nor when follow-ups are off', async () => {
    const { h, clock } = await start('2026-11-30T09:00:00Z', { env: { REMINDER_FOLLOW_UP: 'off' } });
    await h.server.services.reminders.runPass('test');
    clock.set('2026-12-01T07:00:00Z');
    await h.server.services.reminders.runPass('test');
    expect(threadReplies(h, SLACK.berlin)).toHaveLength(0);
  });
});

describe('admin report', () => {
  it('/kr remind now runs a pass and lists owners with no Slack match; /kr remind status shows it', async () => {
    const { h } = await start('2026-11-30T09:00:00Z');
    const ack = await h.slack.slashCommand(ADMIN, 'CGENERAL01', '/kr', 'remind now');
    expect(ack.status).toBe(200);
    const report = await eventually(() => h.slack.ephemerals(ADMIN).find((e) => e.text.startsWith('Reminder pass')), 10_000, 'the pass report');
    const shown = JSON.stringify(report.blocks);
    expect(shown).toContain('Sent:* 2'); // Tokyo (past 10:00) and Berlin
    expect(shown).toContain('Gus Ghost');
    expect(shown).toContain('ghost@acme.example');
    expect(dms(h, SLACK.berlin)).toHaveLength(1);

    await h.slack.slashCommand(ADMIN, 'CGENERAL01', '/kr', 'remind status');
    const status = await eventually(() => h.slack.ephemerals(ADMIN).find((e) => e.text.startsWith('Reminders:')), 5000, 'the status');
    const statusText = JSON.stringify(status.blocks);
    expect(statusText).toContain('Last pass');
    // Issue 13 item 9: Slack date formatting, no raw ISO timestamps, and the next due time said once.
    expect(statusText).toContain('<!date^');
    expect(statusText).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(statusText.match(/Next reminders due|Next work is due/g)).toHaveLength(1);
    expect(status.text).toContain('last pass sent');

    const refused = await h.slack.slashCommand(SLACK.berlin, 'CGENERAL01', '/kr', 'remind now');
    expect(JSON.stringify(refused.json)).toContain('Only kr-checkin admins');
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.ok)).toHaveLength(2);
  });
});

describe('rate limits', () => {
  it('honours 429 Retry-After: the post is retried after the delay and nothing is lost', async () => {
    const { h } = await start('2026-11-30T09:00:00Z');
    h.slack.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 1 });
    const report = await h.server.services.reminders.runPass('test');
    expect(report.sent).toBe(2);
    expect(report.rateLimited).toBe(1);
    const posts = h.slack.callsTo('chat.postMessage');
    const limited = posts.find((c) => c.error === 'ratelimited')!;
    expect(posts.filter((c) => c.ok)).toHaveLength(2);
    const retry = posts.find((c) => c.ok && c.args.channel === limited.args.channel)!;
    expect(retry.at - limited.at).toBeGreaterThanOrEqual(1000);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
  });
});

describe('without users.list', () => {
  it('matches owners with users.lookupByEmail when the workspace refuses users.list', async () => {
    const { h } = await start('2026-11-30T09:00:00Z');
    h.slack.failNext('users.list', 'unknown_method');
    const report = await h.server.services.reminders.runPass('test');
    expect(report.error ?? null).toBeNull();
    expect(report.sent).toBe(2);
    expect(h.slack.callsTo('users.lookupByEmail').length).toBeGreaterThan(0);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
  });
});

describe('owners without an email in the key result list', () => {
  it('looks the owners up in Gtmhub in one batch and still reminds them', async () => {
    const { h } = await start('2026-11-30T09:00:00Z');
    // A Gtmhub whose list items carry owner ids but no assignee emails.
    const gtmhub = h.server.services.gtmhub;
    const iterate = gtmhub.iterateMetrics.bind(gtmhub);
    gtmhub.iterateMetrics = async function* (options) {
      for await (const metric of iterate(options)) {
        const { assignee: _a, assignees: _as, ...rest } = metric;
        yield rest as typeof metric;
      }
    };
    const report = await h.server.services.reminders.runPass('test');
    expect(report.sent).toBe(2);
    expect(h.gtmhub.requests.filter((r) => r.path === '/api/v2/users')).toHaveLength(1);
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
  });
});

describe('buttons on the reminder', () => {
  async function tokyoReminder() {
    const started = await start('2026-11-30T01:00:00Z');
    await started.h.server.services.reminders.runPass('test');
    const dm = dms(started.h, SLACK.tokyo)[0]!;
    return { ...started, dm, where: { channelId: dm.channel, ts: dm.ts } };
  }

  it('Skip and Snooze update the row in place; when all rows are done the buttons go; a snooze comes back', async () => {
    const { h, clock, dm, where } = await tokyoReminder();
    const rows = dm.blocks.filter((b) => b.block_id?.startsWith('row_actions_'));
    expect(rows).toHaveLength(2);

    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.skip, { blockId: 'row_actions_0' });
    await eventually(() => text(h.slack.message(dm.channel, dm.ts)).includes('Skipped this period'), 5000, 'the skipped row');
    expect(h.slack.callsTo('chat.update').filter((c) => c.ok)).toHaveLength(1);

    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.snooze, {
      blockId: 'row_actions_1',
      selectedOption: { value: `${buttonValue(dm, 'row_actions_1', REMINDER_ACTION.skip)}:tomorrow` },
    });
    const done = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('Snoozed until Tue 08:00') ? m : undefined;
    }, 5000, 'the snoozed row');
    expect(text(done)).toContain('All done');
    expect(text(done)).toContain('1 skipped, 1 snoozed');
    // No check-in buttons are left; the skip and the snooze can still be undone (issue 13 item 6).
    const left = done.blocks.flatMap((b) => (b.type === 'actions' ? (b as { elements: Array<{ action_id: string }> }).elements : []));
    expect(left.map((e) => e.action_id)).toEqual([REMINDER_ACTION.undoMute, REMINDER_ACTION.undoMute]);

    // Tuesday 08:00 in Tokyo: the snoozed key result comes back in its own message; the skipped one does not.
    clock.set('2026-11-30T23:00:00Z');
    const report = await h.server.services.reminders.tick();
    expect(report?.wakeUpsSent).toBe(1);
    const wake = dms(h, SLACK.tokyo)[1]!;
    expect(text(wake)).toContain('Snoozed key results are back');
    expect(text(wake)).toContain('Open the Osaka office');
    expect(text(wake)).not.toContain('Sign 5 distributors');
    // The person acted: no follow-up nudge.
    expect(threadReplies(h, SLACK.tokyo)).toHaveLength(0);
  });

  it('No change records a check-in with the same value through the durable path and updates the row', async () => {
    const { h, dm, where } = await tokyoReminder();
    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.noChange, { blockId: 'row_actions_1' });
    const updated = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('No change (42)') ? m : undefined;
    }, 5000, 'the no-change row');
    expect(text(updated)).toContain('row_actions_0');
    const osaka = h.gtmhub.state.metrics.find((m) => m.id === KR.tokyoOld)!;
    expect(osaka.actual).toBe(42);
    expect(osaka.lastCheckInDate).not.toBe('2026-11-25T03:00:00Z');
    expect(osaka.metricHistory.at(-1)?.comment).toContain('No change');
    // The row shows it; no separate confirmation DM.
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);

    // A second click on an old button acts on today's state: already checked in.
    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.noChange, { blockId: 'row_actions_0' });
    await eventually(() => text(h.slack.message(dm.channel, dm.ts)).includes('All done'), 5000, 'all done');
    const posts = h.gtmhub.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/checkin'));
    expect(posts).toHaveLength(2);
  });

  it('No change for all sends one bulk request and marks every row', async () => {
    const { h, dm, where } = await tokyoReminder();
    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.noChangeForAll);
    const updated = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('All done') ? m : undefined;
    }, 5000, 'all rows done');
    expect(text(updated)).toContain('No change');
    const bulk = h.gtmhub.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/v1/metrics/checkins'));
    expect(bulk).toHaveLength(1);
    expect(h.gtmhub.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/checkin'))).toHaveLength(0);
    for (const id of [KR.tokyoNever, KR.tokyoOld]) {
      expect(Date.parse(h.gtmhub.state.metrics.find((m) => m.id === id)!.lastCheckInDate!)).toBeGreaterThanOrEqual(Date.parse('2026-11-30T01:00:00Z'));
    }
  });

  it('No change for all clicked 8 times at once records each key result once, in one bulk request', async () => {
    const { h, dm, where } = await tokyoReminder();
    const snapshotsBefore = h.gtmhub.state.snapshots.length;
    await Promise.all(Array.from({ length: 8 }, () => h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.noChangeForAll)));
    await eventually(() => text(h.slack.message(dm.channel, dm.ts)).includes('All done'), 5000, 'all rows done');
    await h.server.slack.inFlight.drain(5000);
    await h.server.services.checkins.notificationsSettled();
    // Whichever click finished last, the rows say what Gtmhub has: recorded, not still waiting.
    expect(text(h.slack.message(dm.channel, dm.ts))).not.toContain('waiting for Gtmhub');
    expect(h.gtmhub.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/v1/metrics/checkins'))).toHaveLength(1);
    expect(h.gtmhub.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/checkin'))).toHaveLength(0);
    const landed = h.gtmhub.state.snapshots.slice(snapshotsBefore).map((s) => s.metricId).sort();
    expect(landed).toEqual([KR.tokyoNever, KR.tokyoOld].sort());
    const entries = await h.server.services.store.countOutbox('delivered');
    expect(entries).toBe(2);
  });

  it('No change for all whose answer is lost reads back what landed instead of calling it a failure', async () => {
    const { h, dm, where } = await tokyoReminder();
    // Gtmhub records the bulk check-in but its answer comes after the client's timeout (2 s here).
    h.gtmhub.setFaults({ answerLate: [{ delayMs: 2600, method: 'POST', pathIncludes: '/metrics/checkins' }] });
    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.noChangeForAll);
    const updated = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('All done') ? m : undefined;
    }, 8000, 'all rows done');
    expect(text(updated)).toContain('No change');
    expect(text(updated)).not.toContain('did not confirm');
    expect(h.gtmhub.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/v1/metrics/checkins'))).toHaveLength(1);
  }, 20_000);

  it('a check-in made from the modal shows on the reminder row (checked in 42 → 48)', async () => {
    const { h, dm, where } = await tokyoReminder();
    await h.slack.clickButton(SLACK.tokyo, where, 'checkin_open', { blockId: 'row_actions_1', value: KR.tokyoOld });
    const form = await eventually(() => {
      const v = h.slack.openViews(SLACK.tokyo).at(-1);
      return v && v.blocks.some((b) => b.block_id === 'value') ? v : undefined;
    }, 5000, 'the check-in form with the key result chosen');
    h.slack.setViewValue(SLACK.tokyo, form.id, 'value', 'value_input', '48');
    await h.slack.submitView(SLACK.tokyo, form.id);
    await eventually(() => text(h.slack.message(dm.channel, dm.ts)).includes('Checked in 42 → *48*'), 5000, 'the checked-in row');
  });

  it('re-checks every click on the server: another person\'s reminder, or a key result that is no longer theirs', async () => {
    const { h, dm, where } = await tokyoReminder();
    const reminderId = Number(buttonValue(dm, 'row_actions_0', REMINDER_ACTION.skip).split(':')[0]);
    await expect(h.server.services.reminderActions.skip(SLACK.berlin, reminderId, KR.tokyoNever)).rejects.toThrow('not one of yours');
    await expect(h.server.services.reminderActions.skip(SLACK.tokyo, reminderId, KR.berlinOld)).rejects.toThrow('not in this reminder');
    // The key result moved to someone else since the reminder went out.
    h.gtmhub.state.metrics.find((m) => m.id === KR.tokyoNever)!.ownerIds = [GT.berlin];
    await h.slack.clickButton(SLACK.tokyo, where, REMINDER_ACTION.skip, { blockId: 'row_actions_0' });
    await eventually(() => text(h.slack.message(dm.channel, dm.ts)).includes('it is not one of your key results'), 5000, 'the refused row');
    expect(await h.server.services.store.listReminderMutes(SLACK.tokyo)).toEqual([]);
  });
});
