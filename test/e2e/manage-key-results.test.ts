import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { KR_ADMIN_ACTION, menuValue } from '../../src/slack/blocks/key-result-admin-ids.js';
import { FIELD } from '../../src/slack/blocks/key-result-form.js';
import { COMMENT_FIELD } from '../../src/slack/blocks/key-result-manage.js';
import { CLOSE_FIELD } from '../../src/slack/blocks/objective-status.js';
import { DEFAULT_MEMBER_TOKEN } from '../../src/emulator/gtmhub/state.js';
import { GOALS, smallAccount, USERS } from '../support/fixtures.js';
import { ADMIN, eventually, startHarness, type Harness } from '../support/harness.js';
import { postSignedPayload } from '../support/slack-requests.js';
import { topWith } from '../support/views.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ANA = 'UANA00001';
const BEN = 'UBEN00001';
const NOBODY = 'UNOBODY01';
const CHANNEL = 'CGENERAL01';
const DAY = 24 * 3600_000;

async function start(options: Parameters<typeof startHarness>[0] = {}) {
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: [
      { id: ANA, name: 'ana', realName: 'Ana Novak', email: 'ana@acme.example' },
      { id: BEN, name: 'ben', realName: 'Ben Okafor', email: 'ben@acme.example' },
      { id: NOBODY, name: 'zed', realName: 'Zed Unknown', email: 'zed@elsewhere.example' },
      { id: ADMIN, name: 'admin', realName: 'Ada Admin', email: 'admin@elsewhere.example' },
    ],
    ...options,
  });
  return { h: harness, account };
}

const top = (h: Harness, user: string) => h.slack.openViews(user).at(-1);
const textOf = (view: ViewSnapshot | undefined) => JSON.stringify(view?.blocks ?? []);

const hasBlock = (blockId: string) => (v: ViewSnapshot) => v.blocks.some((b) => b.block_id === blockId);

function gtmhubCalls(h: Harness, method: string, path: RegExp) {
  return h.gtmhub.requests.filter((r) => r.method === method && path.test(r.path));
}

async function openHome(h: Harness, user: string): Promise<ViewSnapshot> {
  await h.slack.openHome(user);
  return eventually(() => (textOf(h.slack.homeView(user)).includes(KR_ADMIN_ACTION.menu) ? h.slack.homeView(user) : undefined), 5000, 'the Home tab');
}

async function rowMenu(h: Harness, user: string, metricId: string, choice: 'edit' | 'history' | 'delete') {
  await openHome(h, user);
  await h.slack.clickButton(user, { home: true }, KR_ADMIN_ACTION.menu, { blockId: `kr_row_${metricId}`, selectedOption: { value: menuValue(choice, metricId) } });
}

function fillCreateForm(h: Harness, user: string, form: ViewSnapshot, values: Partial<Record<keyof typeof FIELD, string>>) {
  for (const [name, value] of Object.entries(values)) {
    const block = form.blocks.find((b) => b.block_id === name) as { element: { type: string } };
    const input = ['static_select'].includes(block.element.type) ? { value: value! } : value!;
    h.slack.setViewValue(user, form.id, name, name, input);
  }
}

/** A signed view_submission of `view` as it is, with `changes` — what a tampering client would send. */
function tampered(h: Harness, user: string, view: ViewSnapshot, changes: Partial<ViewSnapshot>) {
  return postSignedPayload(h.slack, `http://127.0.0.1:${h.server.port}/slack/events`, {
    type: 'view_submission',
    team: { id: h.slack.team.id, domain: h.slack.team.domain },
    user: { id: user, username: user, name: user, team_id: h.slack.team.id },
    api_app_id: h.slack.bot.appId,
    token: 'verification',
    trigger_id: '1.2.3',
    view: { ...view, ...changes },
  });
}

describe('creating a key result from Slack', () => {
  it('offers only objectives the person owns in open sessions, answers bad input with field errors, and creates one key result', async () => {
    const { h } = await start();
    await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'new');
    const form = await topWith(h, ANA, hasBlock(FIELD.objective), 'the new key result form');
    const objectiveOptions = (form.blocks.find((b) => b.block_id === FIELD.objective) as { element: { options: Array<{ value: string }> } }).element.options.map((o) => o.value);
    // Ana owns growth, quality, old (closed session) and dropped (abandoned): only the active ones in open sessions.
    expect(objectiveOptions.sort()).toEqual([GOALS.growth, GOALS.quality].sort());

    const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    fillCreateForm(h, ANA, form, { objective: GOALS.growth, name: 'Enterprise deals', start: '0', target: '0', dueDate: yesterday, format: 'currency' });
    const bad = await h.slack.submitView(ANA, form.id);
    expect(bad.json).toMatchObject({ response_action: 'errors' });
    const errors = (bad.json as { errors: Record<string, string> }).errors;
    expect(errors[FIELD.target]).toMatch(/above the start value/);
    expect(errors[FIELD.dueDate]).toMatch(/passed/);
    expect(errors[FIELD.currencySymbol]).toMatch(/symbol/);

    h.slack.setViewValue(ANA, form.id, FIELD.owner, FIELD.owner, NOBODY);
    fillCreateForm(h, ANA, form, { target: '$250,000', dueDate: tomorrow, currencySymbol: '$', decimals: '0' });
    const unmapped = await h.slack.submitView(ANA, form.id);
    expect((unmapped.json as { errors: Record<string, string> }).errors[FIELD.owner]).toMatch(/No Gtmhub user has this person’s email \(zed@elsewhere\.example\)/);
    expect(gtmhubCalls(h, 'POST', /\/v1\/metrics$/)).toHaveLength(0);

    h.slack.setViewValue(ANA, form.id, FIELD.owner, FIELD.owner, BEN);
    // A double submission (two deliveries of the same form) creates one key result.
    const [first, second] = await Promise.all([h.slack.submitView(ANA, form.id), h.slack.submitView(ANA, form.id)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const created = await eventually(() => h.gtmhub.state.metrics.find((m) => m.name === 'Enterprise deals'));
    expect(created).toMatchObject({ goalId: GOALS.growth, ownerIds: [USERS.ben], initialValue: 0, target: 250000, targetOperator: 'at_least', format: { prefix: '$', suffix: '', fractionSize: 0 } });
    expect(created.dueDate.slice(0, 10)).toBe(tomorrow);
    const dm = await eventually(() => h.slack.messages(ANA).find((m) => m.text.includes('Created Enterprise deals')));
    expect(JSON.stringify(dm.blocks)).toContain(created.id);
    expect(JSON.stringify(dm.blocks)).toContain('checkin_open');
    await new Promise((r) => setTimeout(r, 200));
    expect(gtmhubCalls(h, 'POST', /\/v1\/metrics$/)).toHaveLength(1);
    expect(h.gtmhub.state.metrics.filter((m) => m.name === 'Enterprise deals')).toHaveLength(1);
  });

  it('shows Gtmhub’s 400 for a session closed after the form opened, and refuses an objective the person does not own', async () => {
    const { h, account } = await start();
    await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'new revenue');
    const form = await topWith(h, ANA, hasBlock(FIELD.objective));
    fillCreateForm(h, ANA, form, { name: 'Late addition', start: '0', target: '10', dueDate: new Date(Date.now() + DAY).toISOString().slice(0, 10) });
    h.gtmhub.state.sessions.find((s) => s.id === account.data.goals![0]!.sessionId)!.status = 'closed';
    await h.slack.submitView(ANA, form.id);
    const refused = await topWith(h, ANA, 'Nothing was changed');
    expect(textOf(refused)).toMatch(/closed session/);
    expect(h.gtmhub.state.metrics.some((m) => m.name === 'Late addition')).toBe(false);

    // Ben owns only "Ship with quality"; a tampered submission naming "Grow revenue" is refused.
    h.gtmhub.state.sessions.find((s) => s.id === account.data.goals![0]!.sessionId)!.status = 'open';
    await h.slack.slashCommand(BEN, CHANNEL, '/kr', 'new');
    const benForm = await topWith(h, BEN, hasBlock(FIELD.objective));
    fillCreateForm(h, BEN, benForm, { name: 'Sneaky', start: '0', target: '10', dueDate: new Date(Date.now() + DAY).toISOString().slice(0, 10) });
    const values = structuredClone(top(h, BEN)!.state.values) as unknown as Record<string, Record<string, Record<string, unknown>>>;
    values[FIELD.objective]![FIELD.objective] = { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'x' }, value: GOALS.growth } };
    const response = await tampered(h, BEN, top(h, BEN)!, { state: { values } } as unknown as Partial<ViewSnapshot>);
    expect(response.status).toBe(200);
    await eventually(() => h.slack.callsTo('views.update').some((c) => JSON.stringify(c.args).includes('Only the owners of an objective')), 5000, 'the refusal');
    expect(h.gtmhub.state.metrics.some((m) => m.name === 'Sneaky')).toBe(false);
  });
});

describe('creating with a slow Gtmhub', () => {
  it('acks within Slack’s 3 seconds and creates the key result after the ack', async () => {
    const { h } = await start({ env: { GTMHUB_TIMEOUT_MS: '8000' } });
    await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'new grow');
    const form = await topWith(h, ANA, hasBlock(FIELD.objective));
    fillCreateForm(h, ANA, form, { objective: GOALS.growth, name: 'Slow but sure', start: '0', target: '5', dueDate: new Date(Date.now() + DAY).toISOString().slice(0, 10) });
    h.slack.setViewValue(ANA, form.id, FIELD.owner, FIELD.owner, BEN); // Ben is not looked up yet: more round trips
    h.gtmhub.setFaults({ latencyMs: 1500 });
    const submitted = await h.slack.submitView(ANA, form.id);
    expect(submitted.timedOut ?? false).toBe(false);
    expect(submitted.ackMs).toBeLessThan(3000);
    await eventually(() => textOf(top(h, ANA)).includes('Created'), 15_000, 'the created note');
    expect(h.gtmhub.state.metrics.filter((m) => m.name === 'Slow but sure')).toHaveLength(1);
  }, 20_000);
});

describe('editing a key result', () => {
  it('sends only the changed fields with PATCH, and on a change in Gtmhub says what changed before saving', async () => {
    const { h, account } = await start();
    const revenue = account.metrics.revenue!;
    await rowMenu(h, ANA, revenue, 'edit');
    const form = await topWith(h, ANA, hasBlock(FIELD.name), 'the edit form');
    expect(textOf(form)).toContain('Monthly recurring revenue');
    h.slack.setViewValue(ANA, form.id, FIELD.target, FIELD.target, '60000');
    await h.slack.submitView(ANA, form.id);
    await topWith(h, ANA, 'Saved');
    const patches = gtmhubCalls(h, 'PATCH', new RegExp(`/v1/metrics/${revenue}$`));
    expect(patches).toHaveLength(1);
    expect(JSON.parse(String(patches[0]!.body))).toEqual({ target: 60000 });
    expect(gtmhubCalls(h, 'PUT', /\/v1\/metrics\//)).toHaveLength(0);

    await rowMenu(h, ANA, revenue, 'edit');
    const again = await topWith(h, ANA, (v) => hasBlock(FIELD.name)(v) && v.id !== form.id);
    h.slack.setViewValue(ANA, again.id, FIELD.name, FIELD.name, 'MRR');
    h.gtmhub.state.metrics.find((m) => m.id === revenue)!.target = 70000; // someone else, in Gtmhub
    await h.slack.submitView(ANA, again.id);
    const conflict = await topWith(h, ANA, (v) => hasBlock('conflict')(v), 'the conflict note');
    expect(textOf(conflict)).toMatch(/Target\*? is now \$70,000/);
    expect(gtmhubCalls(h, 'PATCH', new RegExp(`/v1/metrics/${revenue}$`))).toHaveLength(1);
    // Keep: save again; the person's form wins where it differs from Gtmhub.
    await h.slack.submitView(ANA, conflict.id);
    await topWith(h, ANA, 'Saved');
    expect(JSON.parse(gtmhubCalls(h, 'PATCH', new RegExp(`/v1/metrics/${revenue}$`)).at(-1)!.body as string)).toEqual({ name: 'MRR', target: 60000 });
  });

  it('refuses an edit of a key result the person neither owns nor whose objective they own, even with a tampered id', async () => {
    const { h, account } = await start();
    await rowMenu(h, BEN, account.metrics.coverage!, 'edit');
    const form = await topWith(h, BEN, hasBlock(FIELD.name));
    const meta = JSON.parse(form.private_metadata ?? '{}') as Record<string, unknown>;
    await tampered(h, BEN, form, { private_metadata: JSON.stringify({ ...meta, metricId: account.metrics.revenue }) });
    await eventually(() => h.slack.callsTo('views.update').some((c) => JSON.stringify(c.args).includes('Only the owner of a key result')), 5000, 'the refusal');
    expect(h.gtmhub.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    // Ben owns "Ship with quality", so he may edit Ana's key result in it.
    await rowMenu(h, ANA, account.metrics.bugs!, 'edit');
    await topWith(h, ANA, hasBlock(FIELD.name));
    const benEdit = await h.server.services.keyResultAdmin.edit.open(BEN, account.metrics.bugs!);
    expect(benEdit.keyResult.id).toBe(account.metrics.bugs);
  });
});

describe('deleting a key result', () => {
  it('confirms with the key result and objective named, and deletes it from Gtmhub (reminder rows: manage-reminder-rows.test.ts)', async () => {
    const { h, account } = await start();
    const nps = account.metrics.nps!;
    await rowMenu(h, ANA, nps, 'delete');
    const confirm = await topWith(h, ANA, 'Delete *');
    expect(textOf(confirm)).toContain('Net promoter score');
    expect(textOf(confirm)).toContain('Grow revenue');
    await h.slack.submitView(ANA, confirm.id);
    await topWith(h, ANA, 'Deleted');
    expect(h.gtmhub.state.metrics.some((m) => m.id === nps)).toBe(false);
    expect(gtmhubCalls(h, 'DELETE', new RegExp(`/v1/metrics/${nps}$`))).toHaveLength(1);
  });

  it('refuses a tampered delete of someone else’s key result and an unknown id', async () => {
    const { h, account } = await start();
    await rowMenu(h, BEN, account.metrics.coverage!, 'delete');
    const confirm = await topWith(h, BEN, 'Delete *');
    await tampered(h, BEN, confirm, { private_metadata: account.metrics.revenue! });
    await eventually(() => h.slack.callsTo('views.update').some((c) => JSON.stringify(c.args).includes('Only the owner of a key result')), 5000, 'the refusal');
    await tampered(h, BEN, confirm, { private_metadata: 'ffffffffffffffffffffffff' });
    await eventually(() => h.slack.callsTo('views.update').some((c) => JSON.stringify(c.args).includes('no longer in Gtmhub')), 5000, 'unknown id');
    expect(h.gtmhub.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    expect(h.gtmhub.state.metrics.some((m) => m.id === account.metrics.revenue)).toBe(true);
  });
});

describe('history of a key result', () => {
  async function checkInFromSlack(h: Harness, metricId: string, comment: string) {
    const result = await h.server.services.checkins.submit({ slackUserId: ANA, slackDisplayName: 'ana', metricId, actual: 31, confidence: 0.7, comment, idempotencyKey: `test-${comment}`, origin: 'modal', reminderId: null });
    await eventually(() => h.gtmhub.state.snapshots.find((s) => s.comment.startsWith(comment)), 5000, 'the check-in');
    return result;
  }

  it('lists the last check-ins; Edit comment changes only the person’s words; Delete is refused for a non-admin token with the reason', async () => {
    const { h, account } = await start({ env: { GTMHUB_API_TOKEN: DEFAULT_MEMBER_TOKEN } });
    const nps = account.metrics.nps!;
    await checkInFromSlack(h, nps, 'Survey came back');
    await rowMenu(h, ANA, nps, 'history');
    const history = await topWith(h, ANA, 'Survey came back', 'the history');
    expect(textOf(history)).toContain('Ana Novak');
    expect(textOf(history)).toContain(KR_ADMIN_ACTION.historyEditComment);

    await h.slack.clickButton(ANA, { viewId: history.id }, KR_ADMIN_ACTION.historyEditComment);
    const editor = await topWith(h, ANA, hasBlock(COMMENT_FIELD), 'the comment editor');
    h.slack.setViewValue(ANA, editor.id, COMMENT_FIELD, COMMENT_FIELD, 'Survey of 40 customers');
    await h.slack.submitView(ANA, editor.id);
    const snapshot = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.metricId === nps && s.comment.startsWith('Survey of 40')));
    expect(snapshot.comment).toMatch(/\n\n— checked in from Slack by Ana Novak \(kr-checkin [0-9a-f]{10}\)$/);

    await h.slack.closeView(ANA, top(h, ANA)!.id);
    const refreshed = top(h, ANA)!;
    await h.slack.clickButton(ANA, { viewId: refreshed.id }, KR_ADMIN_ACTION.historyDelete);
    await topWith(h, ANA, 'only account admins delete check-ins');
    expect(h.gtmhub.state.snapshots.some((s) => s.id === snapshot.id)).toBe(true);

    // Ben neither owns the key result nor its objective: he sees the history without buttons.
    await h.slack.slashCommand(BEN, CHANNEL, '/kr', 'help');
    const view = await h.server.services.keyResultAdmin.history.view(BEN, nps);
    expect(view.mayChange).toBe(false);
    await expect(h.server.services.keyResultAdmin.history.deleteCheckIn(BEN, view.entries[0]!.ref)).rejects.toThrow(/Only the owner/);
  });
});

describe('the history’s chart', () => {
  it('says what the key result’s chart shows once it has two check-ins', async () => {
    const { h, account } = await start();
    const revenue = account.metrics.revenue!;
    await h.server.services.checkins.submit({ slackUserId: ANA, slackDisplayName: 'ana', metricId: revenue, actual: 26000, confidence: null, comment: 'Acme', idempotencyKey: 'chart-1', origin: 'modal', reminderId: null });
    await rowMenu(h, ANA, revenue, 'history');
    const history = await topWith(h, ANA, 'Acme', 'the history');
    expect(textOf(history)).toMatch(/:chart_with_upwards_trend: 2 check-ins of Monthly recurring revenue, from \$20,000 on .* to \$26,000 on .*; target \$50,000/);
  });
});

describe('closing and reopening an objective', () => {
  it('closes with a status and reason, reopens, and refuses someone who does not own it', async () => {
    const { h } = await start({ channels: [{ id: CHANNEL, name: 'general', members: [ANA, BEN, NOBODY, ADMIN, 'UBOT0001'] }] });
    await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'objectives');
    const list = await topWith(h, ANA, 'Grow revenue', 'the objectives');
    await h.slack.clickButton(ANA, { viewId: list.id }, KR_ADMIN_ACTION.closeObjective, { value: GOALS.growth, blockId: `objective_${GOALS.growth}` });
    const dialog = await topWith(h, ANA, hasBlock(CLOSE_FIELD.status), 'the close dialog');
    h.slack.setViewValue(ANA, dialog.id, CLOSE_FIELD.status, CLOSE_FIELD.status, { value: 'achieved' });
    h.slack.setViewValue(ANA, dialog.id, CLOSE_FIELD.reason, CLOSE_FIELD.reason, 'Hit the number early');
    await h.slack.submitView(ANA, dialog.id);
    await topWith(h, ANA, 'Closed');
    const goal = () => h.gtmhub.state.goals.find((g) => g.id === GOALS.growth)!;
    expect(goal().closedStatus).toMatchObject({ status: 'achieved', reason: 'Hit the number early' });
    // Its key results no longer take check-ins, so reminders and the check-in form leave them out.
    const checkable = await h.server.services.keyResults.listCheckable(USERS.ana);
    expect(checkable.some((g) => g.goalId === GOALS.growth)).toBe(false);
    // Summaries show it as closed.
    await h.slack.slashCommand(BEN, CHANNEL, '/kr', 'summary');
    const preview = await eventually(() => h.slack.ephemerals(BEN).find((e) => JSON.stringify(e.blocks).includes('Grow revenue')), 10_000, 'a summary');
    expect(JSON.stringify(preview.blocks)).toContain('{"type":"raw_text","text":"🔒 Grow revenue"}');
    expect(JSON.stringify(preview.blocks)).toContain('{"type":"raw_text","text":"Ship with quality"}');

    await h.slack.closeView(ANA, top(h, ANA)!.id);
    await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'objectives');
    const growthReopens = (v: ViewSnapshot) =>
      v.blocks.some((b) => b.block_id === `objective_${GOALS.growth}` && JSON.stringify(b).includes(KR_ADMIN_ACTION.reopenObjective));
    const again = await topWith(h, ANA, growthReopens, 'growth listed as closed');
    await h.slack.clickButton(ANA, { viewId: again.id }, KR_ADMIN_ACTION.reopenObjective, { value: GOALS.growth, blockId: `objective_${GOALS.growth}` });
    await eventually(() => (goal().closedStatus ? undefined : true), 5000, 'reopened');

    await expect(h.server.services.keyResultAdmin.objectives.close(BEN, GOALS.growth, 'abandoned', '')).rejects.toThrow(/Only the owners of an objective/);
    expect(goal().closedStatus ?? null).toBeNull();
    // An admin may.
    await h.server.services.keyResultAdmin.objectives.close(ADMIN, GOALS.growth, 'abandoned', 'Reorg');
    expect(goal().closedStatus).toMatchObject({ status: 'abandoned' });
  });
});

describe('closing an objective closed meanwhile', () => {
  it('refuses to overwrite a close made while the dialog was open, and says who closed it, how and when', async () => {
    const { h } = await start({ channels: [{ id: CHANNEL, name: 'general', members: [ANA, BEN, NOBODY, ADMIN, 'UBOT0001'] }] });
    await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'objectives');
    const list = await topWith(h, ANA, 'Ship with quality', 'the objectives');
    await h.slack.clickButton(ANA, { viewId: list.id }, KR_ADMIN_ACTION.closeObjective, { value: GOALS.quality, blockId: `objective_${GOALS.quality}` });
    const dialog = await topWith(h, ANA, hasBlock(CLOSE_FIELD.status), 'the close dialog');

    // Meanwhile Ben, who owns it too, closes it in Gtmhub as achieved (the member token is his).
    const closedByBen = await fetch(`${h.gtmhub.url}/v1/goals/${GOALS.quality}/status`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${h.gtmhub.memberToken}`, 'gtmhub-accountId': h.gtmhub.accountId, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'achieved', reason: 'Shipped with zero P1s' }),
    });
    expect(closedByBen.status).toBe(204);
    const goal = () => h.gtmhub.state.goals.find((g) => g.id === GOALS.quality)!;
    const bens = structuredClone(goal().closedStatus);
    expect(bens).toMatchObject({ status: 'achieved', userId: USERS.ben });

    h.slack.setViewValue(ANA, dialog.id, CLOSE_FIELD.status, CLOSE_FIELD.status, { value: 'abandoned' });
    h.slack.setViewValue(ANA, dialog.id, CLOSE_FIELD.reason, CLOSE_FIELD.reason, 'No longer a priority');
    await h.slack.submitView(ANA, dialog.id);
    const refused = await topWith(h, ANA, 'Nothing was changed', 'the refusal');
    const closedOn = bens!.date!.slice(0, 10);
    expect(textOf(refused)).toContain(`Ship with quality was already closed as achieved by Ben Okafor on ${closedOn}`);
    expect(textOf(refused)).toContain('Shipped with zero P1s');
    expect(textOf(refused)).not.toContain('Closed *Ship with quality*');
    // Ben's status and reason stand; the app sent no second PUT.
    expect(goal().closedStatus).toEqual(bens);
    expect(gtmhubCalls(h, 'PUT', /\/goals\/[^/]+\/status$/)).toHaveLength(1);
  });
});

describe('nudging an owner', () => {
  it('sends the owner a DM naming who nudged, once per key result and day; a second nudge is told when the first went out', async () => {
    const { h, account } = await start({ channels: [{ id: CHANNEL, name: 'general', members: [ANA, BEN, NOBODY, ADMIN, 'UBOT0001'] }] });
    const nps = account.metrics.nps!;
    await h.slack.slashCommand(BEN, CHANNEL, '/kr', 'summary');
    const preview = await eventually(() => h.slack.ephemerals(BEN).find((e) => JSON.stringify(e.blocks).includes(KR_ADMIN_ACTION.nudge)), 10_000, 'the summary preview');
    const where = { channelId: CHANNEL, ts: preview.ts };
    await h.slack.clickButton(BEN, where, KR_ADMIN_ACTION.nudge, { selectedOption: { value: nps } });
    const dm = await eventually(() => h.slack.messages(ANA).find((m) => m.text.includes('nudged you')), 5000, 'the nudge DM');
    expect(dm.text).toContain(`<@${BEN}> nudged you to check in Net promoter score`);
    expect(JSON.stringify(dm.blocks)).toContain(nps);
    await eventually(() => h.slack.ephemerals(BEN).find((e) => e.text.includes(`Nudged <@${ANA}>`)), 5000, 'the nudger told');

    // Ben clicks again: told when the nudge went out, and nothing is sent.
    await h.slack.clickButton(BEN, where, KR_ADMIN_ACTION.nudge, { selectedOption: { value: nps } });
    await eventually(() => h.slack.ephemerals(BEN).find((e) => /already nudged about \*Net promoter score\* today \(\d\d:\d\d UTC\)/.test(e.text)), 5000, 'the second click told');
    const again = await h.server.services.keyResultAdmin.nudges.nudge(ADMIN, nps);
    expect(again.outcomes).toEqual([{ ownerSlackUserId: ANA, sent: false, lastNudgeAt: expect.any(Date) }]);
    expect(h.slack.messages(ANA).filter((m) => m.text.includes('nudged you'))).toHaveLength(1);
    await expect(h.server.services.keyResultAdmin.nudges.nudge(BEN, 'not-an-id')).rejects.toThrow(/not a key result I know/);
    await expect(h.server.services.keyResultAdmin.nudges.nudge(ANA, nps)).rejects.toThrow(/no one to nudge/);
  });
});

describe('managing from a summary', () => {
  it('opens an objective from a summary for its owner only', async () => {
    const { h } = await start({ channels: [{ id: CHANNEL, name: 'general', members: [ANA, BEN, NOBODY, ADMIN, 'UBOT0001'] }] });
    await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'summary');
    const preview = await eventually(() => h.slack.ephemerals(ANA).find((e) => JSON.stringify(e.blocks).includes(KR_ADMIN_ACTION.objectiveFromSummary)), 10_000, 'the preview');
    await h.slack.clickButton(ANA, { channelId: CHANNEL, ts: preview.ts }, KR_ADMIN_ACTION.objectiveFromSummary, { selectedOption: { value: GOALS.growth } });
    const view = await topWith(h, ANA, `objective_${GOALS.growth}`, 'the objective');
    expect(textOf(view)).toContain(KR_ADMIN_ACTION.closeObjective);

    // Ben does not own "Grow revenue": the same select tells him so.
    await h.slack.slashCommand(BEN, CHANNEL, '/kr', 'summary');
    const benPreview = await eventually(() => h.slack.ephemerals(BEN).find((e) => JSON.stringify(e.blocks).includes(KR_ADMIN_ACTION.objectiveFromSummary)), 10_000, 'Ben’s preview');
    await h.slack.clickButton(BEN, { channelId: CHANNEL, ts: benPreview.ts }, KR_ADMIN_ACTION.objectiveFromSummary, { selectedOption: { value: GOALS.growth } });
    await topWith(h, BEN, 'Only the owners of an objective', 'the refusal');
  });
});
