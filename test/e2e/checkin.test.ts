import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { ANA_CHECKABLE, smallAccount, USERS } from '../support/fixtures.js';
import { ADMIN, eventually, fixedClock, startHarness, type Harness } from '../support/harness.js';
import { postSignedPayload } from '../support/slack-requests.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ANA_SLACK = 'UANA00001';
const BEN_SLACK = 'UBEN00001';
const NOBODY_SLACK = 'UNOBODY01';
const CHANNEL = 'CGENERAL01';

async function start(options: Parameters<typeof startHarness>[0] = {}) {
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: [
      { id: ANA_SLACK, name: 'ana', realName: 'Ana Novak', email: 'ANA@acme.example' },
      { id: BEN_SLACK, name: 'ben', realName: 'Ben Okafor', email: 'ben@acme.example' },
      { id: NOBODY_SLACK, name: 'zed', realName: 'Zed Unknown', email: 'zed@elsewhere.example' },
      { id: ADMIN, name: 'admin', realName: 'Ada Admin', email: 'admin@elsewhere.example' },
    ],
    ...options,
  });
  return { h: harness, account };
}

function visibleView(h: Harness, userId: string): ViewSnapshot | undefined {
  return h.slack.openViews(userId).at(-1);
}

function textOf(view: ViewSnapshot | undefined): string {
  return JSON.stringify(view?.blocks ?? []);
}

function optionValues(view: ViewSnapshot): string[] {
  const block = view.blocks.find((b) => b.block_id === BLOCK.keyResult) as { element: { options?: Array<{ value: string }>; option_groups?: Array<{ options: Array<{ value: string }> }> } };
  const el = block.element;
  return el.options ? el.options.map((o) => o.value) : (el.option_groups ?? []).flatMap((g) => g.options.map((o) => o.value));
}

function checkinPosts(h: Harness): number {
  return h.gtmhub.requests.filter((r) => r.method === 'POST' && /\/metrics\/[0-9a-f]{24}\/checkin$/.test(r.path)).length;
}

/** /kr checkin → the form with a key result picked, as the person would do it. */
async function openFormWith(h: Harness, userId: string, metricId: string): Promise<ViewSnapshot> {
  const ack = await h.slack.slashCommand(userId, CHANNEL, '/kr', 'checkin');
  expect(ack.status).toBe(200);
  const form = await eventually(() => {
    const v = visibleView(h, userId);
    return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
  }, 5000, 'the check-in form');
  if (!form.blocks.some((b) => b.block_id === BLOCK.value)) {
    await h.slack.selectInView(userId, form.id, ACTION.selectKeyResult, { value: metricId });
  }
  return eventually(() => {
    const v = visibleView(h, userId);
    return v && v.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
  }, 5000, 'the key result details');
}

describe('/kr checkin end to end', () => {
  it('opens a loading modal, lists only my checkable key results stalest first, and records a check-in', async () => {
    const { h, account } = await start();
    const ack = await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'checkin');
    expect(ack.status).toBe(200);
    const open = await eventually(() => h.slack.callsTo('views.open')[0]);
    expect(JSON.stringify(open.args)).toContain('Loading your key results');

    const form = await eventually(() => {
      const v = visibleView(h, ANA_SLACK);
      return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
    });
    // Only Ana's manual key results in active objectives of open sessions, not past due, stalest first.
    expect(optionValues(form)).toEqual(
      [...ANA_CHECKABLE].map((k) => account.metrics[k]).sort((a, b) => {
        const age = (id: string) => account.data.metrics.find((m) => m.id === id)!.lastCheckInDate ?? '';
        return age(a!).localeCompare(age(b!));
      }),
    );
    // Nothing is left out silently (issue 13 item 9): past due, closed session and automated key results are
    // listed with why and what to do; an abandoned objective's key result is over by choice and not listed.
    const leftOut = textOf({ ...form, blocks: form.blocks.filter((b) => b.block_id === 'left_out') });
    expect(leftOut).toContain('Not offered here (3)');
    expect(leftOut).toContain('*Launch partner program* — its due date has passed: to check it in, move its due date in Gtmhub');
    expect(leftOut).toContain('*Legacy key result* — its OKR session is closed');
    expect(leftOut).toContain('*Weekly signups (automatic)* — it is updated automatically');
    expect(leftOut).not.toContain('Abandoned key result');

    const revenue = account.metrics.revenue!;
    const requestsBeforePick = h.gtmhub.requests.length;
    await h.slack.selectInView(ANA_SLACK, form.id, ACTION.selectKeyResult, { value: revenue });
    const details = await eventually(() => {
      const v = visibleView(h, ANA_SLACK);
      return v && v.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
    });
    expect(textOf(details)).toContain('$20,000');
    expect(textOf(details)).toContain('$50,000');
    expect(textOf(details)).toContain('Two new customers');
    // Picking a key result reuses what the form loaded (the list came with each key result's check-ins): no Gtmhub request.
    expect(h.gtmhub.requests.filter((r) => r.path === '/api/v2/metrics')).toHaveLength(1);
    expect(h.gtmhub.requests.slice(requestsBeforePick).map((r) => `${r.method} ${r.path}`)).toEqual([]);

    h.slack.setViewValue(ANA_SLACK, details.id, BLOCK.value, ACTION.value, '26000');
    h.slack.setViewValue(ANA_SLACK, details.id, BLOCK.confidence, ACTION.confidence, { value: '0.8' });
    h.slack.setViewValue(ANA_SLACK, details.id, BLOCK.comment, ACTION.comment, 'Closed the Acme deal');
    const submitted = await h.slack.submitView(ANA_SLACK, details.id);
    expect(submitted.status).toBe(200);
    expect(submitted.ackMs).toBeLessThan(3000);

    const snapshot = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === revenue));
    expect(snapshot.value).toBe(26000);
    expect(snapshot.confidence).toBe(0.8);
    expect(snapshot.comment).toMatch(/^Closed the Acme deal\n\n— checked in from Slack by Ana Novak \(kr-checkin [0-9a-f]{10}\)$/);
    expect(h.gtmhub.state.metrics.find((m) => m.id === revenue)!.actual).toBe(26000);

    const done = await eventually(() => (textOf(visibleView(h, ANA_SLACK)).includes('is checked in') ? visibleView(h, ANA_SLACK) : undefined));
    expect(textOf(done)).toContain('$20,000 → *$26,000*');
    const dm = await eventually(() => h.slack.messages(ANA_SLACK).at(-1));
    expect(dm.text).toContain('Checked in Monthly recurring revenue');
    expect(JSON.stringify(dm.blocks)).toContain(ACTION.undoCheckIn);
    expect(checkinPosts(h)).toBe(1);
  });

  it('previews the new progress when Enter is pressed in the value field', async () => {
    const { h, account } = await start();
    const form = await openFormWith(h, ANA_SLACK, account.metrics.revenue!);
    const requestsBeforePreview = h.gtmhub.requests.length;
    const result = await h.slack.pressEnter(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '30000');
    expect(result.delivered).toBe(true);
    const preview = await eventually(() => (textOf(visibleView(h, ANA_SLACK)).includes('New progress') ? visibleView(h, ANA_SLACK) : undefined));
    // $10,000 → $50,000 at $30,000 is 50 %; now at $20,000 it is 25 %.
    expect(textOf(preview)).toContain('*50%* (now 25%) at $30,000');
    // The preview is worked out from what the form loaded, without asking Gtmhub.
    expect(h.gtmhub.requests.slice(requestsBeforePreview).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    // The typed value is kept, and the form still submits it.
    expect(preview.state.values[BLOCK.value]?.[ACTION.value]).toMatchObject({ value: '30000' });
    await h.slack.submitView(ANA_SLACK, preview.id);
    const snapshot = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === account.metrics.revenue));
    expect(snapshot.value).toBe(30000);
  });

  it('says what went wrong when loading fails, and loads on "Try again"', async () => {
    const { h, account } = await start();
    // The client retries a GET once: fail both attempts of the key result listing.
    h.gtmhub.setFaults({ failNext: [{ status: 503, pathIncludes: '/v2/metrics' }, { status: 503, pathIncludes: '/v2/metrics' }] });
    await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'checkin');
    const failed = await eventually(() => (textOf(visibleView(h, ANA_SLACK)).includes('Could not load') ? visibleView(h, ANA_SLACK) : undefined));
    expect(textOf(failed)).toContain('Gtmhub is not answering right now');
    await h.slack.clickButton(ANA_SLACK, { viewId: failed.id }, ACTION.retryLoad);
    const form = await eventually(() => {
      const v = visibleView(h, ANA_SLACK);
      return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
    });
    expect(optionValues(form)).toHaveLength(ANA_CHECKABLE.length);
    expect(optionValues(form)).toContain(account.metrics.revenue);
  });

  it('switches to a type-ahead picker beyond 100 key results', async () => {
    const { h, account } = await start();
    const template = h.gtmhub.state.metrics.find((m) => m.id === account.metrics.nps)!;
    for (let i = 0; i < 120; i++) {
      h.gtmhub.state.metrics.push({ ...structuredClone(template), id: `ee${String(i).padStart(22, '0')}`, name: `Extra key result ${i}` });
    }
    await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'checkin');
    const form = await eventually(() => {
      const v = visibleView(h, ANA_SLACK);
      return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
    });
    expect(JSON.stringify(form.blocks)).toContain('external_select');
    const answer = await h.slack.requestOptions(ANA_SLACK, form.id, ACTION.selectKeyResult, 'extra key result 11');
    const groups = (answer.json as { option_groups: Array<{ options: Array<{ value: string; text: { text: string } }> }> }).option_groups;
    const names = groups.flatMap((g) => g.options.map((o) => o.text.text));
    expect(names.sort()).toEqual(['Extra key result 11', 'Extra key result 110', 'Extra key result 111', 'Extra key result 112', 'Extra key result 113', 'Extra key result 114', 'Extra key result 115', 'Extra key result 116', 'Extra key result 117', 'Extra key result 118', 'Extra key result 119']);
    await h.slack.selectInView(ANA_SLACK, form.id, ACTION.selectKeyResult, { value: 'ee0000000000000000000011' });
    await eventually(() => visibleView(h, ANA_SLACK)?.blocks.some((b) => b.block_id === BLOCK.value));
  });

  it('pre-filters with search words and explains when nothing matches', async () => {
    const { h, account } = await start();
    await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'checkin bugs');
    // A single match is chosen at once.
    const view = await eventually(() => {
      const v = visibleView(h, ANA_SLACK);
      return v && v.blocks.some((b) => b.block_id === BLOCK.value) ? v : undefined;
    });
    expect(optionValues(view)).toEqual([account.metrics.bugs]);

    await h.slack.closeView(ANA_SLACK, view.id).catch(() => undefined);
    await h.slack.slashCommand(BEN_SLACK, CHANNEL, '/kr', 'checkin zebra');
    const none = await eventually(() => (textOf(visibleView(h, BEN_SLACK)).includes('zebra') ? visibleView(h, BEN_SLACK) : undefined));
    expect(textOf(none)).toContain('Nothing of yours matches');
    // Not a dead end (issue 13 item 9): one click shows all of Ben's key results.
    await h.slack.clickButton(BEN_SLACK, { viewId: none.id }, ACTION.showAll);
    const all = await eventually(() => {
      const v = visibleView(h, BEN_SLACK);
      return v && v.blocks.some((b) => b.block_id === BLOCK.keyResult) ? v : undefined;
    }, 5000, 'all of Ben’s key results');
    expect(textOf(all)).toContain('Test coverage');
  });

  it('tells an unmapped person why and whom to ask', async () => {
    const { h } = await start();
    await h.slack.slashCommand(NOBODY_SLACK, CHANNEL, '/kr', 'checkin');
    const view = await eventually(() => (textOf(visibleView(h, NOBODY_SLACK)).includes('No Gtmhub user') ? visibleView(h, NOBODY_SLACK) : undefined));
    expect(textOf(view)).toContain('zed@elsewhere.example');
    expect(textOf(view)).toContain(`<@${ADMIN}>`);
  });

  it('refuses a tampered submission for someone else\'s key result and sends nothing to Gtmhub', async () => {
    const { h, account } = await start();
    const form = await openFormWith(h, ANA_SLACK, account.metrics.revenue!);
    const coverage = account.metrics.coverage!; // Ben's
    const state = structuredClone(form.state.values) as unknown as Record<string, Record<string, Record<string, unknown>>>;
    state[BLOCK.keyResult]![ACTION.selectKeyResult] = { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'x' }, value: coverage } };
    state[BLOCK.value]![ACTION.value] = { type: 'number_input', value: '99' };
    const payload = {
      type: 'view_submission',
      team: { id: h.slack.team.id, domain: h.slack.team.domain },
      user: { id: ANA_SLACK, username: 'ana', name: 'ana', team_id: h.slack.team.id },
      api_app_id: h.slack.bot.appId,
      token: 'verification',
      trigger_id: '1.2.3',
      view: { ...form, state: { values: state } },
    };
    const response = await postSignedPayload(h.slack, `http://127.0.0.1:${h.server.port}/slack/events`, payload);
    expect(response.status).toBe(200);
    const refused = await eventually(() => h.slack.callsTo('views.update').find((c) => JSON.stringify(c.args).includes('not one of your key results')));
    expect(refused).toBeTruthy();
    expect(checkinPosts(h)).toBe(0);
    expect(h.gtmhub.state.snapshots).toHaveLength(0);
  });

  it('answers a bad number with a field error and stores nothing', async () => {
    const { h, account } = await start();
    const form = await openFormWith(h, ANA_SLACK, account.metrics.nps!);
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '5000000000000');
    const result = await h.slack.submitView(ANA_SLACK, form.id);
    expect(result.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.value]: expect.stringMatching(/too large/) } });
    expect(visibleView(h, ANA_SLACK)!.errors).toMatchObject({ [BLOCK.value]: expect.any(String) });
    expect(await h.server.services.store.countOutbox()).toBe(0);
    expect(checkinPosts(h)).toBe(0);
  });

  it('shows Gtmhub\'s reason when it refuses a check-in', async () => {
    const { h, account } = await start();
    const form = await openFormWith(h, ANA_SLACK, account.metrics.nps!);
    h.gtmhub.setFaults({ failNext: [{ status: 400, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '35');
    await h.slack.submitView(ANA_SLACK, form.id);
    const view = await eventually(() => (textOf(visibleView(h, ANA_SLACK)).includes('did not take this check-in') ? visibleView(h, ANA_SLACK) : undefined));
    expect(textOf(view)).toContain('Gtmhub said');
    expect(await h.server.services.store.countOutbox('rejected')).toBe(1);
  });

  it('a queued check-in Gtmhub later refuses: the DM names the key result, its value in its format, and why', async () => {
    const clock = fixedClock(new Date());
    const { h, account } = await start({ clock });
    const form = await openFormWith(h, ANA_SLACK, account.metrics.revenue!);
    h.gtmhub.setFaults({ failNext: [{ status: 500, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '26500.5');
    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(() => textOf(visibleView(h, ANA_SLACK)).includes('it will sync'));
    h.gtmhub.setFaults({ failNext: [{ status: 400, method: 'POST', pathIncludes: '/checkin' }] });
    clock.advance(5 * 60_000);
    expect(await h.server.services.checkins.runOutbox()).toEqual({ delivered: 0, rejected: 1, retrying: 0 });
    await h.server.services.checkins.notificationsSettled();
    const dm = await eventually(() => h.slack.messages(ANA_SLACK).find((m) => m.text.includes('could not be saved in Gtmhub')));
    expect(dm.text).toContain('Your check-in of *Monthly recurring revenue* ($26,500.5, submitted');
  });

  it('keeps a check-in in the outbox through a Gtmhub 500 and delivers it exactly once', async () => {
    const clock = fixedClock(new Date());
    const { h, account } = await start({ clock });
    const form = await openFormWith(h, ANA_SLACK, account.metrics.nps!);
    h.gtmhub.setFaults({ failNext: [{ status: 500, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '41');
    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(() => textOf(visibleView(h, ANA_SLACK)).includes('it will sync'));
    expect(await h.server.services.store.countOutbox('pending')).toBe(1);

    // Not due yet: nothing is sent before the retry time.
    expect(await h.server.services.checkins.runOutbox()).toEqual({ delivered: 0, rejected: 0, retrying: 0 });
    clock.advance(5 * 60_000);
    expect(await h.server.services.checkins.runOutbox()).toEqual({ delivered: 1, rejected: 0, retrying: 0 });
    clock.advance(60 * 60_000);
    expect(await h.server.services.checkins.runOutbox()).toEqual({ delivered: 0, rejected: 0, retrying: 0 });
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps)).toHaveLength(1);
    expect(checkinPosts(h)).toBe(2);
    const dm = await eventually(() => h.slack.messages(ANA_SLACK).find((m) => m.text.includes('Gtmhub was unavailable until now')));
    expect(dm).toBeTruthy();
  });

  it('delivers a pending check-in after a restart', async () => {
    const clock = fixedClock(new Date());
    const { h, account } = await start({ clock });
    const form = await openFormWith(h, ANA_SLACK, account.metrics.bugs!);
    h.gtmhub.setFaults({ failNext: [{ status: 503, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '20');
    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(() => textOf(visibleView(h, ANA_SLACK)).includes('it will sync'));

    await h.stopApp();
    await h.restartApp();
    clock.advance(10 * 60_000);
    await h.server.scheduler.runNow('outbox');
    const snapshots = h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.bugs);
    expect(snapshots.map((s) => s.value)).toEqual([20]);
    expect(await h.server.services.store.countOutbox('delivered')).toBe(1);
  });

  it('does not post again when a check-in reached Gtmhub but its answer was lost (crash mid-call)', async () => {
    const clock = fixedClock(new Date());
    const { h, account } = await start({ clock });
    const form = await openFormWith(h, ANA_SLACK, account.metrics.nps!);
    h.gtmhub.setFaults({ failNext: [{ status: 502, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '44');
    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(() => textOf(visibleView(h, ANA_SLACK)).includes('it will sync'));

    // What a process killed between sending the POST and reading its answer leaves behind:
    // Gtmhub has the check-in, the outbox entry is marked uncertain.
    const store = h.server.services.store;
    const later = new Date(clock.now().getTime() + 3600_000);
    const [entry] = await store.claimOutboxEntries(later, 1, 1);
    await store.markOutboxUncertain(entry!, later);
    await h.server.services.gtmhub.checkIn(entry!.metricId, { actual: entry!.actual, comment: entry!.comment });
    const postsBefore = checkinPosts(h);

    clock.advance(2 * 3600_000);
    expect(await h.server.services.checkins.runOutbox()).toMatchObject({ delivered: 1 });
    expect(checkinPosts(h)).toBe(postsBefore);
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps)).toHaveLength(1);
  });

  it('does not post again when the POST timed out after Gtmhub recorded it', async () => {
    const clock = fixedClock(new Date());
    const { h, account } = await start({ clock, env: { GTMHUB_TIMEOUT_MS: '300' } });
    const form = await openFormWith(h, ANA_SLACK, account.metrics.nps!);
    h.gtmhub.setFaults({ answerLate: [{ delayMs: 1000, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '46');
    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(() => textOf(visibleView(h, ANA_SLACK)).includes('it will sync'));
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps)).toHaveLength(1);
    const postsBefore = checkinPosts(h);

    clock.advance(10 * 60_000);
    expect(await h.server.services.checkins.runOutbox()).toMatchObject({ delivered: 1 });
    expect(checkinPosts(h)).toBe(postsBefore);
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps)).toHaveLength(1);
    // The person is told; without the check-in's id there is nothing to view, edit or undo.
    const dm = await eventually(() => h.slack.messages(ANA_SLACK).find((m) => m.text.includes('Your check-in is in Gtmhub')));
    expect(JSON.stringify(dm.blocks)).not.toContain(ACTION.undoCheckIn);
  });

  it('posts an uncertain check-in again when Gtmhub shows it never arrived', async () => {
    const clock = fixedClock(new Date());
    const { h, account } = await start({ clock });
    const form = await openFormWith(h, ANA_SLACK, account.metrics.nps!);
    h.gtmhub.setFaults({ failNext: [{ status: 502, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '45');
    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(() => textOf(visibleView(h, ANA_SLACK)).includes('it will sync'));
    const store = h.server.services.store;
    const later = new Date(clock.now().getTime() + 3600_000);
    const [entry] = await store.claimOutboxEntries(later, 1, 1);
    await store.markOutboxUncertain(entry!, later);

    clock.advance(2 * 3600_000);
    expect(await h.server.services.checkins.runOutbox()).toMatchObject({ delivered: 1 });
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps).map((s) => s.value)).toEqual([45]);
  });

  it('records one check-in when the same view is submitted twice', async () => {
    const { h, account } = await start();
    const form = await openFormWith(h, ANA_SLACK, account.metrics.nps!);
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '33');
    const snapshot = structuredClone(visibleView(h, ANA_SLACK)!);
    const payload = {
      type: 'view_submission',
      team: { id: h.slack.team.id, domain: h.slack.team.domain },
      user: { id: ANA_SLACK, username: 'ana', name: 'ana', team_id: h.slack.team.id },
      api_app_id: h.slack.bot.appId,
      token: 'verification',
      trigger_id: '1.2.3',
      view: snapshot,
    };
    const url = `http://127.0.0.1:${h.server.port}/slack/events`;
    const [a, b] = await Promise.all([postSignedPayload(h.slack, url, payload), postSignedPayload(h.slack, url, payload)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await eventually(() => h.gtmhub.state.snapshots.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps)).toHaveLength(1);
    expect(await h.server.services.store.countOutbox()).toBe(1);
  });

  it('opens the modal within Slack\'s 3 seconds even when Gtmhub takes 5', async () => {
    const { h } = await start({ env: { GTMHUB_TIMEOUT_MS: '8000' } });
    h.gtmhub.setFaults({ latencyMs: 5000 });
    const started = Date.now();
    const ack = await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'checkin');
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(3000);
    const open = await eventually(() => h.slack.callsTo('views.open')[0], 3000);
    expect(open.ok).toBe(true);
    expect(open.at - started).toBeLessThan(3000);
    // Three rounds of Gtmhub calls (who am I, my key results, their objectives) at 5 s each.
    await eventually(() => visibleView(h, ANA_SLACK)?.blocks.some((b) => b.block_id === BLOCK.keyResult), 30_000);
  }, 45_000);

  it('rejects a bad signature and a stale timestamp with 401, running no listener', async () => {
    const { h } = await start();
    const url = `http://127.0.0.1:${h.server.port}/slack/events`;
    const payload = { type: 'block_actions', user: { id: ANA_SLACK }, actions: [{ action_id: ACTION.retryLoad, type: 'button' }] };
    const bad = await postSignedPayload(h.slack, url, payload, { signature: 'v0=deadbeef' });
    expect(bad.status).toBe(401);
    const stale = await postSignedPayload(h.slack, url, payload, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);

    const body = new URLSearchParams({ command: '/kr', text: 'checkin', user_id: ANA_SLACK, trigger_id: 'x' }).toString();
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(h.gtmhub.requests).toHaveLength(0);
  });

  it('on shutdown stops taking requests but finishes the modal it already acknowledged', async () => {
    const { h } = await start();
    h.gtmhub.setFaults({ latencyMs: 400 });
    await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'checkin');
    await eventually(() => h.slack.callsTo('views.open')[0]);
    const port = h.server.port;
    await h.stopApp();
    expect(h.slack.callsTo('views.update').length).toBeGreaterThan(0);
    expect(visibleView(h, ANA_SLACK)?.blocks.some((b) => b.block_id === BLOCK.keyResult)).toBe(true);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    await expect(h.server.services.store.countOutbox()).rejects.toThrow();
  });

  it('answers /healthz', async () => {
    const { h } = await start();
    const response = await fetch(`http://127.0.0.1:${h.server.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('after a check-in', () => {
  async function checkIn(h: Harness, metricId: string, value: string) {
    const form = await openFormWith(h, ANA_SLACK, metricId);
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, value);
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.comment, ACTION.comment, 'first words');
    await h.slack.submitView(ANA_SLACK, form.id);
    return eventually(() => h.slack.messages(ANA_SLACK).find((m) => m.text.startsWith('Checked in')));
  }

  it('views the check-in and edits its comment from the confirmation DM', async () => {
    const { h, account } = await start();
    const dm = await checkIn(h, account.metrics.nps!, '37');
    const where = { channelId: dm.channel, ts: dm.ts };

    await h.slack.clickButton(ANA_SLACK, where, ACTION.viewCheckIn);
    const details = await eventually(() => (textOf(visibleView(h, ANA_SLACK)).includes('*Value:* 37') ? visibleView(h, ANA_SLACK) : undefined));
    expect(textOf(details)).toContain('first words');
    await h.slack.closeView(ANA_SLACK, details.id).catch(() => undefined);

    await h.slack.clickButton(ANA_SLACK, where, ACTION.editComment);
    const edit = await eventually(() => visibleView(h, ANA_SLACK)?.blocks.some((b) => b.block_id === 'comment') ? visibleView(h, ANA_SLACK) : undefined);
    expect(JSON.stringify(edit.blocks)).toContain('first words');
    expect(JSON.stringify(edit.blocks)).not.toContain('checked in from Slack');
    h.slack.setViewValue(ANA_SLACK, edit.id, 'comment', 'comment_input', 'better words');
    await h.slack.submitView(ANA_SLACK, edit.id);
    await eventually(() => textOf(visibleView(h, ANA_SLACK)).includes('Comment saved'));
    const snapshot = h.gtmhub.state.snapshots.find((s) => s.metricId === account.metrics.nps)!;
    expect(snapshot.value).toBe(37);
    expect(snapshot.comment).toMatch(/^better words\n\n— checked in from Slack by Ana Novak/);
  });

  it('undoes a check-in when Gtmhub allows it, and says why when it does not', async () => {
    const { h, account } = await start();
    const dm = await checkIn(h, account.metrics.nps!, '38');
    await h.slack.clickButton(ANA_SLACK, { channelId: dm.channel, ts: dm.ts }, ACTION.undoCheckIn);
    await eventually(() => h.slack.messages(ANA_SLACK).some((m) => m.text.includes('Check-in undone')));
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps)).toHaveLength(0);
  });

  it('explains that only Gtmhub admins may delete check-ins', async () => {
    const { h, account } = await start({ env: { GTMHUB_API_TOKEN: 'emulator-member-token' } });
    const dm = await checkIn(h, account.metrics.nps!, '39');
    await h.slack.clickButton(ANA_SLACK, { channelId: dm.channel, ts: dm.ts }, ACTION.undoCheckIn);
    const reply = await eventually(() => h.slack.ephemerals(ANA_SLACK).find((e) => e.text.includes('Not undone')));
    expect(reply.text).toContain('only account admins');
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps)).toHaveLength(1);
  });

  it('refuses follow-up buttons on someone else\'s check-in', async () => {
    const { h, account } = await start();
    const dm = await checkIn(h, account.metrics.nps!, '40');
    const buttons = dm.blocks.flatMap((b) => ((b as { elements?: Array<{ action_id?: string; value?: string }> }).elements ?? []));
    const outboxId = Number(buttons.find((e) => e.action_id === ACTION.undoCheckIn)!.value);
    await expect(h.server.services.checkinFollowUps.undo(BEN_SLACK, outboxId)).rejects.toThrow('not one of yours');
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps)).toHaveLength(1);
  });
});

describe('/kr commands', () => {
  it('shows help for an empty or unknown subcommand', async () => {
    const { h } = await start();
    const empty = await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', '');
    expect(empty.body).toContain('/kr checkin');
    const unknown = await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', 'frobnicate now');
    expect(unknown.body).toContain("I don't know `frobnicate`");
    expect(unknown.body).toContain('/kr checkin');
    // Admin-only commands are not offered to others.
    expect(unknown.body).not.toContain('/kr link');
  });

  it('whoami says how I am linked', async () => {
    const { h } = await start();
    await h.slack.slashCommand(BEN_SLACK, CHANNEL, '/kr', 'whoami');
    const reply = await eventually(() => h.slack.ephemerals(BEN_SLACK).find((e) => e.text.includes('in Gtmhub')));
    // By name and email, never by a 24-character id.
    expect(reply.text).toContain('*Ben Okafor* (Ben@Acme.example)');
    expect(reply.text).not.toContain(USERS.ben);
    expect(reply.text).toContain('matched by your Slack email');
  });

  it('lets only admins link and unlink, and a manual link overrides the email match', async () => {
    const { h } = await start();
    const refused = await h.slack.slashCommand(ANA_SLACK, CHANNEL, '/kr', `link <@${NOBODY_SLACK}|zed> cleo@acme.example`);
    expect(refused.body).toContain('Only kr-checkin admins');
    expect(await h.server.services.store.getOwnerLink(NOBODY_SLACK)).toBeNull();

    const bad = await h.slack.slashCommand(ADMIN, CHANNEL, '/kr', 'link zed');
    expect(bad.body).toContain('Usage');

    await h.slack.slashCommand(ADMIN, CHANNEL, '/kr', `link <@${NOBODY_SLACK}|zed> <mailto:cleo@acme.example|cleo@acme.example>`);
    await eventually(() => h.slack.ephemerals(ADMIN).find((e) => e.text.includes('is now linked')));
    await h.slack.slashCommand(NOBODY_SLACK, CHANNEL, '/kr', 'whoami');
    const who = await eventually(() => h.slack.ephemerals(NOBODY_SLACK).find((e) => e.text.includes('in Gtmhub')));
    expect(who.text).toContain('*Cleo Diaz* (cleo@acme.example)');
    expect(who.text).not.toContain(USERS.cleo);
    expect(who.text).toContain('linked by a kr-checkin admin');

    const refusedUnlink = await h.slack.slashCommand(NOBODY_SLACK, CHANNEL, '/kr', `unlink <@${NOBODY_SLACK}>`);
    expect(refusedUnlink.body).toContain('Only kr-checkin admins');
    const unlinked = await h.slack.slashCommand(ADMIN, CHANNEL, '/kr', `unlink <@${NOBODY_SLACK}|zed>`);
    expect(unlinked.body).toContain('unlinked');
    expect(await h.server.services.store.getOwnerLink(NOBODY_SLACK)).toBeNull();

    await h.slack.slashCommand(ADMIN, CHANNEL, '/kr', `link <@${NOBODY_SLACK}> nobody@acme.example`);
    await eventually(() => h.slack.ephemerals(ADMIN).find((e) => e.text.includes('No Gtmhub user has the email nobody@acme.example')));
  });
});
