import { afterEach, describe, expect, it } from 'vitest';
import { generateEmulatorData } from '../../src/emulator/gtmhub/index.js';
import type { EphemeralSnapshot, MessageSnapshot } from '../../src/emulator/slack/index.js';
import { SUMMARY_ACTION } from '../../src/slack/blocks/summary-message.js';
import { eventually, fixedClock, startHarness, type Harness, type HarnessOptions } from '../support/harness.js';
import { ids, PEOPLE, slackIdOf, summaryData } from '../services/summaries-fixture.js';

const BOT = 'UBOT0001';
const TEAM = 'CTEAM0001';
const OUTSIDE = 'COUTSIDE1';
const ANA = slackIdOf('ana');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  const people = PEOPLE.map((name) => ({ id: slackIdOf(name), name, realName: `${name} Test`, email: `${name}@acme.example`, tz: 'Europe/Berlin' }));
  harness = await startHarness({
    gtmhub: { data: summaryData() },
    slackUsers: people,
    channels: [
      { id: TEAM, name: 'team', members: [slackIdOf('ana'), slackIdOf('ben'), BOT] },
      { id: OUTSIDE, name: 'outside', members: people.map((p) => p.id) },
    ],
    ...options,
  });
  return harness;
}

function textOf(blocks: unknown): string {
  return JSON.stringify(blocks);
}

async function ephemeralWith(h: Harness, userId: string, needle: string): Promise<EphemeralSnapshot> {
  return eventually(() => h.slack.ephemerals(userId).find((e) => textOf(e.blocks).includes(needle)), 10_000, `an ephemeral with ${needle}`);
}

/** Key result links: mrkdwn `<url|name>` in the text layout, rich text `"url":"…"` cells in the data tables. */
function metricIdsIn(messages: MessageSnapshot[]): string[] {
  return messages.flatMap((m) => [...textOf(m.blocks).matchAll(/\/metric\/([0-9a-f]{24})\/?(?:\||")/g)].map((match) => match[1]!));
}

describe('/kr summary end to end', () => {
  it('previews ephemerally, then posts to the channel once, however often Post is clicked', async () => {
    const h = await start();
    expect((await h.slack.slashCommand(ANA, TEAM, '/kr', 'summary')).status).toBe(200);
    const preview = await ephemeralWith(h, ANA, SUMMARY_ACTION.post);
    expect(textOf(preview.blocks)).toContain('Post to #team');
    expect(textOf(preview.blocks)).toContain('Grow ARR');
    expect(h.slack.messages(TEAM)).toHaveLength(0);

    const where = { channelId: TEAM, ts: preview.ts };
    const clicks = await Promise.all([h.slack.clickButton(ANA, where, SUMMARY_ACTION.post), h.slack.clickButton(ANA, where, SUMMARY_ACTION.post)]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    await eventually(() => h.slack.ephemerals(ANA).find((e) => e.ts === preview.ts && e.text.includes('Posted')), 10_000, 'the posted notice');
    await eventually(() => h.server.slack.inFlight.size === 0, 5000, 'work to finish');
    // The losing click stays silent, so the outcome the person sees is not overwritten.
    expect(h.slack.ephemerals(ANA).find((e) => e.ts === preview.ts)?.text).toContain('Posted the summary to <#CTEAM0001>');

    const posted = h.slack.messages(TEAM);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.user).toBe(BOT);
    expect(metricIdsIn(posted).sort()).toEqual([ids.metric(1), ids.metric(2)]);
    // Issue 13 item 8: it says who posted it, and the period once (in the header).
    expect(textOf(posted[0]!.blocks)).toContain(`Posted by <@${ANA}> with`);
    const header = posted[0]!.blocks.find((b) => b.type === 'header') as { text: { text: string } };
    const period = header.text.text.split(' · ').at(-1)!;
    expect(textOf(posted[0]!.blocks).split(period)).toHaveLength(2);
    expect(h.slack.callsTo('chat.postMessage').every((c) => c.ok)).toBe(true);
  });

  it('says a summary Slack accepted was posted even when the bookkeeping after it fails, and a second click posts nothing', async () => {
    const h = await start();
    const store = h.server.services.store;
    store.replaceSummaryBaseline = async () => {
      throw new Error('database is locked');
    };
    await h.slack.slashCommand(ANA, TEAM, '/kr', 'summary');
    const preview = await ephemeralWith(h, ANA, SUMMARY_ACTION.post);
    const where = { channelId: TEAM, ts: preview.ts };
    const buttons = (preview.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>).flatMap((b) => b.elements ?? []);
    const requestId = buttons.find((e) => e.action_id === SUMMARY_ACTION.post)?.value;
    expect(requestId).toBeDefined();
    await Promise.all([h.slack.clickButton(ANA, where, SUMMARY_ACTION.post), h.slack.clickButton(ANA, where, SUMMARY_ACTION.post)]);
    await eventually(() => h.slack.ephemerals(ANA).find((e) => e.ts === preview.ts && e.text.includes('Posted')), 10_000, 'the posted notice');
    await eventually(() => h.server.slack.inFlight.size === 0, 5000, 'work to finish');
    expect(h.slack.ephemerals(ANA).find((e) => e.ts === preview.ts)?.text).toContain('Posted the summary to <#CTEAM0001>');
    expect(h.slack.ephemerals(ANA).some((e) => e.text.includes('not posted'))).toBe(false);
    expect(h.slack.messages(TEAM)).toHaveLength(1);
    // The claim stays: trying the same preview again posts nothing.
    expect(await h.server.services.summaries.post(ANA, TEAM, requestId!)).toEqual({ kind: 'duplicate' });
    expect(h.slack.messages(TEAM)).toHaveLength(1);
    expect(h.slack.ephemerals(ANA).find((e) => e.ts === preview.ts)?.text).toContain('Posted the summary to <#CTEAM0001>');
    // The failed bookkeeping is a warning in the log, with no secret in it.
    const warning = h.logs.find((line) => line.includes('database is locked'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
    for (const secret of [h.config.gtmhub.apiToken, h.config.slack.botToken]) expect(h.logs.join('\n')).not.toContain(secret);
  });

  it('lets the requester cancel the preview', async () => {
    const h = await start();
    await h.slack.slashCommand(ANA, TEAM, '/kr', 'summary mine');
    const preview = await ephemeralWith(h, ANA, SUMMARY_ACTION.cancel);
    await h.slack.clickButton(ANA, { channelId: TEAM, ts: preview.ts }, SUMMARY_ACTION.cancel);
    await eventually(() => !h.slack.ephemerals(ANA).some((e) => e.ts === preview.ts), 5000, 'the preview to go');
    expect(h.slack.messages(TEAM)).toHaveLength(0);
  });

  it('says how to invite the bot when it is not in the channel', async () => {
    const h = await start();
    await h.slack.slashCommand(ANA, OUTSIDE, '/kr', 'summary');
    const reply = await ephemeralWith(h, ANA, '/invite @kr-checkin');
    // Issue 13 item 8: the preview is shown anyway; Post before inviting says the step again and posts nothing.
    expect(textOf(reply.blocks)).toContain(SUMMARY_ACTION.post);
    await h.slack.clickButton(ANA, { channelId: OUTSIDE, ts: reply.ts }, SUMMARY_ACTION.post);
    await eventually(() => h.slack.ephemerals(ANA).find((e) => e.ts === reply.ts && e.text.includes("I'm not a member")), 5000, 'the one step again');
    expect(h.slack.messages(OUTSIDE)).toHaveLength(0);
  });

  it('says when a scope matches nothing, with examples', async () => {
    const h = await start();
    await h.slack.slashCommand(ANA, TEAM, '/kr', 'summary goal:"Moon landing"');
    const reply = await ephemeralWith(h, ANA, 'Moon landing');
    expect(textOf(reply.blocks)).toContain('No objective');
    expect(textOf(reply.blocks)).toContain('session:');
    expect(textOf(reply.blocks)).toContain('team:');
  });

  it('posts 1,000 key results as a thread whose every message Slack accepts, each key result exactly once', async () => {
    const data = generateEmulatorData({ people: 50, metricsPerPerson: 20 });
    const people = data.users.map((u, i) => ({ id: `UP${String(i + 1).padStart(7, '0')}`, name: `p${i + 1}`, email: u.email, tz: 'UTC' }));
    const h = await start({ gtmhub: { data }, slackUsers: people, channels: [{ id: TEAM, name: 'team', members: [...people.map((p) => p.id), BOT] }] });
    const caller = people[0]!.id;
    await h.slack.slashCommand(caller, TEAM, '/kr', 'summary');
    const preview = await ephemeralWith(h, caller, SUMMARY_ACTION.post);
    await h.slack.clickButton(caller, { channelId: TEAM, ts: preview.ts }, SUMMARY_ACTION.post);
    await eventually(() => h.slack.ephemerals(caller).find((e) => e.ts === preview.ts && e.text.includes('Posted')), 15_000, 'the posted notice');

    const messages = h.slack.messages(TEAM);
    const [first, ...replies] = messages;
    expect(replies.length).toBeGreaterThan(0);
    expect(first!.threadTs).toBeUndefined();
    for (const reply of replies) expect(reply.threadTs).toBe(first!.ts);
    const postCalls = h.slack.callsTo('chat.postMessage');
    expect(postCalls).toHaveLength(messages.length);
    expect(postCalls.filter((c) => !c.ok)).toEqual([]);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const block of message.blocks as Array<{ type: string; text?: { text: string } }>) {
        if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3000);
        if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(150);
      }
    }
    const seen = metricIdsIn(messages);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen)).toEqual(new Set(data.metrics.map((m) => m.id)));
    expect(textOf(first!.blocks)).toContain('1000 key results');
  });
});

describe('/kr summary stays true (issue 13 item 8)', () => {
  it('answers with the preview itself when it is ready in time, leaving no "Building the summary…" behind', async () => {
    const h = await start();
    await h.slack.slashCommand(ANA, TEAM, '/kr', 'summary');
    await ephemeralWith(h, ANA, SUMMARY_ACTION.post);
    const mine = h.slack.ephemerals(ANA).filter((e) => e.channel === TEAM);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.text).not.toContain('Building the summary');
  });

  it('when Gtmhub is slow, says the preview follows and sends it as a second ephemeral (a command\'s answer cannot be replaced)', async () => {
    const h = await start();
    h.gtmhub.setFaults({ answerLate: [{ delayMs: 2_000, method: 'GET', pathIncludes: '/v2/metrics' }] });
    const ack = await h.slack.slashCommand(ANA, TEAM, '/kr', 'summary');
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(3000);
    await ephemeralWith(h, ANA, SUMMARY_ACTION.post);
    const mine = h.slack.ephemerals(ANA).filter((e) => e.channel === TEAM);
    expect(mine.map((e) => e.source)).toEqual(['command_ack', 'response_url']);
    expect(mine[0]!.text).toContain('its preview follows below');
    expect(textOf(mine[1]!.blocks)).toContain(SUMMARY_ACTION.post);
  }, 20_000);

  it('in a channel the bot is not in, still shows the preview with the one step needed to post it', async () => {
    const h = await start();
    await h.slack.slashCommand(ANA, OUTSIDE, '/kr', 'summary mine');
    const preview = await ephemeralWith(h, ANA, SUMMARY_ACTION.post);
    expect(preview.channel).toBe(OUTSIDE);
    expect(textOf(preview.blocks)).toContain('/invite @kr-checkin');
    expect(textOf(preview.blocks)).toContain('Grow ARR');
    expect(h.slack.ephemerals(ANA).filter((e) => e.channel === OUTSIDE)).toHaveLength(1);
  });
});

describe('scheduled summaries end to end', () => {
  it('subscribes, lists, posts once per period when the scheduler ticks, and unsubscribes', async () => {
    const clock = fixedClock('2026-11-27T12:00:00Z');
    const h = await start({ clock });
    await h.slack.slashCommand(ANA, TEAM, '/kr', 'subscribe weekly mon 09:00');
    const created = await ephemeralWith(h, ANA, 'Subscribed (#');
    const id = /Subscribed \(#(\d+)\)/.exec(textOf(created.blocks))![1]!;
    expect(textOf(created.blocks)).toContain('every Monday at 09:00 (Europe/Berlin)');

    // The same scope and schedule again is refused, with a pointer to the first (issue 13 item 7).
    await h.slack.slashCommand(ANA, TEAM, '/kr', 'subscribe weekly monday 9:00');
    const twice = await ephemeralWith(h, ANA, 'already gets a summary');
    expect(textOf(twice.blocks)).toContain(`subscription *#${id}*`);
    expect(textOf(twice.blocks)).toContain(`/kr unsubscribe ${id}`);
    expect(await h.server.services.store.listSubscriptions({ channelId: TEAM })).toHaveLength(1);

    await h.slack.slashCommand(ANA, TEAM, '/kr', 'subscriptions');
    const listing = await ephemeralWith(h, ANA, 'Summary subscriptions in this channel');
    expect(textOf(listing.blocks)).toContain(`*#${id}*`);
    expect(textOf(listing.blocks)).toContain(`<!date^${Date.parse('2026-11-30T08:00:00Z') / 1000}^`);

    await h.server.scheduler.runNow('summaries');
    expect(h.slack.messages(TEAM)).toHaveLength(0);
    clock.set('2026-11-30T08:00:30Z');
    await h.server.scheduler.runNow('summaries');
    await h.server.scheduler.runNow('summaries');
    expect(h.slack.messages(TEAM)).toHaveLength(1);
    expect(textOf(h.slack.messages(TEAM)[0]!.blocks)).toContain('Weekly key results summary');

    await h.slack.slashCommand(ANA, TEAM, '/kr', `unsubscribe ${id}`);
    await ephemeralWith(h, ANA, `Subscription #${id} is removed`);
    clock.set('2026-12-07T08:00:30Z');
    await h.server.scheduler.runNow('summaries');
    expect(h.slack.messages(TEAM)).toHaveLength(1);
  });

  it('after a restart and a missed period posts once, late; an archived channel pauses it and the creator gets a DM', async () => {
    const clock = fixedClock('2026-11-27T12:00:00Z');
    const h = await start({ clock });
    await h.slack.slashCommand(ANA, TEAM, '/kr', 'subscribe weekly mon 09:00');
    await ephemeralWith(h, ANA, 'Subscribed (#');
    await h.stopApp();
    clock.set('2026-12-09T10:00:00Z'); // two Mondays went by while the app was down
    await h.restartApp();
    await h.server.scheduler.runNow('summaries');
    await h.server.scheduler.runNow('summaries');
    expect(h.slack.messages(TEAM)).toHaveLength(1);
    expect(textOf(h.slack.messages(TEAM)[0]!.blocks)).toContain('30 Nov – 7 Dec 2026');
    expect(textOf(h.slack.messages(TEAM)[0]!.blocks)).toContain('comes late');

    const channel = h.slack.channels().find((c) => c.id === TEAM)!;
    expect(channel.isArchived).toBe(false);
    // Archive the channel the way Slack would: from then on posting answers is_archived.
    h.slack.failNext('chat.postMessage', 'is_archived');
    clock.set('2026-12-14T08:00:30Z');
    await h.server.scheduler.runNow('summaries');
    expect(h.slack.messages(TEAM)).toHaveLength(1);
    const dm = h.slack.messages(ANA);
    expect(dm).toHaveLength(1);
    expect(dm[0]!.text).toContain('is paused: the channel was archived');

    await h.slack.slashCommand(ANA, TEAM, '/kr', 'subscriptions');
    await ephemeralWith(h, ANA, 'paused — the channel was archived');
  });
});
