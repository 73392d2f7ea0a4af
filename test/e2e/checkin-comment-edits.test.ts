/**
 * Editing a Slack check-in's comment works on what Gtmhub holds now (not on a copy kept in the
 * outbox), and the history finds a check-in's key result from what the app recorded when it landed
 * (a GET /v1/metrics/checkin/{id} answer is documented only as "metricDto": `metricId` on it is a guess).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { EDIT_COMMENT_ACTION, EDIT_COMMENT_BLOCK } from '../../src/slack/blocks/checkin-confirmation.js';
import { checkInRefKey } from '../../src/services/key-results-admin/checkin-refs.js';
import { smallAccount } from '../support/fixtures.js';
import { eventually, startHarness, type Harness } from '../support/harness.js';
import { SMALL_ACCOUNT_PEOPLE } from '../support/small-account-people.js';

let harness: Harness | undefined;
let standIn: GtmhubStandIn | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await standIn?.close();
  standIn = undefined;
});

const ANA = 'UANA00001';
const BEN = 'UBEN00001';
const CHANNEL = 'CGENERAL01';

async function start(options: Parameters<typeof startHarness>[0] = {}) {
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: SMALL_ACCOUNT_PEOPLE,
    ...options,
  });
  return { h: harness, account };
}

const top = (h: Harness, user: string) => h.slack.openViews(user).at(-1);
const textOf = (view: ViewSnapshot | undefined) => JSON.stringify(view?.blocks ?? []);
const hasCommentField = (view: ViewSnapshot | undefined) => view?.blocks.some((b) => b.block_id === EDIT_COMMENT_BLOCK) ?? false;

function prefillOf(view: ViewSnapshot): string | undefined {
  const block = view.blocks.find((b) => b.block_id === EDIT_COMMENT_BLOCK) as { element?: { initial_value?: string } } | undefined;
  return block?.element?.initial_value;
}

function gtmhubCalls(h: Harness, method: string, path: RegExp) {
  return h.gtmhub.requests.filter((r) => r.method === method && path.test(r.path));
}

/** Changes a check-in's comment in Gtmhub itself (someone editing it in Gtmhub's web app). */
async function patchInGtmhub(h: Harness, snapshotId: string, comment: string): Promise<void> {
  const response = await fetch(`${h.gtmhub.url}/v1/metrics/checkin/${snapshotId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${h.gtmhub.adminToken}`, 'gtmhub-accountId': h.gtmhub.accountId, 'content-type': 'application/json' },
    body: JSON.stringify({ comment }),
  });
  expect(response.status).toBeLessThan(300);
}

/** A check-in through the modal, as the person makes it; resolves with its confirmation DM. */
async function checkInFromModal(h: Harness, metricId: string, value: string, comment: string) {
  await h.slack.slashCommand(ANA, CHANNEL, '/kr', 'checkin');
  const form = await eventually(() => (top(h, ANA)?.blocks.some((b) => b.block_id === BLOCK.keyResult) ? top(h, ANA) : undefined), 5000, 'the form');
  if (!form.blocks.some((b) => b.block_id === BLOCK.value)) await h.slack.selectInView(ANA, form.id, ACTION.selectKeyResult, { value: metricId });
  const filled = await eventually(() => (top(h, ANA)?.blocks.some((b) => b.block_id === BLOCK.value) ? top(h, ANA) : undefined), 5000, 'the details');
  h.slack.setViewValue(ANA, filled.id, BLOCK.value, ACTION.value, value);
  h.slack.setViewValue(ANA, filled.id, BLOCK.comment, ACTION.comment, comment);
  await h.slack.submitView(ANA, filled.id);
  const dm = await eventually(() => h.slack.messages(ANA).find((m) => m.text.startsWith('Checked in')), 5000, 'the confirmation DM');
  return { channelId: dm.channel, ts: dm.ts };
}

/** Presses "Edit comment" on the confirmation DM and waits for the editor (or whatever the modal ends on). */
async function pressEditComment(h: Harness, where: { channelId: string; ts: string }, settled: (v: ViewSnapshot) => boolean = hasCommentField): Promise<ViewSnapshot> {
  const before = h.slack.callsTo('views.open').length;
  await h.slack.clickButton(ANA, where, ACTION.editComment);
  await eventually(() => h.slack.callsTo('views.open').length > before, 5000, 'a modal');
  return eventually(() => {
    const view = top(h, ANA);
    return view && settled(view) ? view : undefined;
  }, 5000, 'the comment editor');
}

async function saveComment(h: Harness, editor: ViewSnapshot, words: string): Promise<ViewSnapshot> {
  h.slack.setViewValue(ANA, editor.id, EDIT_COMMENT_BLOCK, EDIT_COMMENT_ACTION, words);
  await h.slack.submitView(ANA, editor.id);
  return eventually(() => {
    const view = top(h, ANA);
    const text = textOf(view);
    return view && (text.includes('Comment saved') || text.includes('not changed')) ? view : undefined;
  }, 5000, 'the save outcome');
}

describe('Edit comment from the confirmation DM', () => {
  it('starts from what Gtmhub holds now: a second edit shows the first one, and a change made in Gtmhub meanwhile survives', async () => {
    const { h, account } = await start();
    const nps = account.metrics.nps!;
    const where = await checkInFromModal(h, nps, '37', 'first words');
    const snapshot = () => h.gtmhub.state.snapshots.find((s) => s.metricId === nps)!;
    const signature = /\n\n(— checked in from Slack by Ana Novak \(kr-checkin [0-9a-f]{10}\))$/.exec(snapshot().comment)![1]!;

    const first = await pressEditComment(h, where);
    expect(prefillOf(first)).toBe('first words');
    expect(textOf(await saveComment(h, first, 'B'))).toContain('Comment saved');
    expect(snapshot().comment).toBe(`B\n\n${signature}`);
    await h.slack.closeView(ANA, top(h, ANA)!.id).catch(() => undefined);

    // The second edit starts from the first one's result, not from the words first checked in.
    const second = await pressEditComment(h, where);
    expect(prefillOf(second)).toBe('B');
    await h.slack.closeView(ANA, second.id).catch(() => undefined);

    // Someone changes the comment in Gtmhub itself (words and the signature's name).
    const heldSignature = signature.replace('by Ana Novak', 'by Ana Novak-Reyes');
    await patchInGtmhub(h, snapshot().id, `B, and the survey was redone\n\n${heldSignature}`);

    const third = await pressEditComment(h, where);
    expect(prefillOf(third)).toBe('B, and the survey was redone');
    const saved = await saveComment(h, third, 'B, and the survey was redone (40 customers)');
    expect(textOf(saved)).toContain('Comment saved');
    // Only the person's words changed; what Gtmhub held around them survives.
    expect(snapshot().comment).toBe(`B, and the survey was redone (40 customers)\n\n${heldSignature}`);
    expect(snapshot().value).toBe(37);
  });

  it('says so, and changes nothing, when Gtmhub cannot tell the comment it holds now', async () => {
    const { h, account } = await start();
    const nps = account.metrics.nps!;
    const where = await checkInFromModal(h, nps, '38', 'first words');
    const failGetCheckIn = () => h.gtmhub.setFaults({ failNext: [1, 2, 3].map(() => ({ status: 503, method: 'GET', pathIncludes: '/metrics/checkin/' })) });

    // Opening the editor: no prefill from a stale copy, a clear reason instead.
    failGetCheckIn();
    const refused = await pressEditComment(h, where, (v) => textOf(v).includes(':warning:'));
    expect(hasCommentField(refused)).toBe(false);
    expect(textOf(refused)).toContain('Gtmhub is not answering');
    await h.slack.closeView(ANA, refused.id).catch(() => undefined);
    h.gtmhub.setFaults({ failNext: [] });

    // Saving: Gtmhub cannot be read just before the write, so nothing is written blind.
    const editor = await pressEditComment(h, where);
    failGetCheckIn();
    const outcome = await saveComment(h, editor, 'written blind');
    expect(textOf(outcome)).toContain('The comment was not changed');
    expect(textOf(outcome)).toContain('Gtmhub is not answering');
    expect(gtmhubCalls(h, 'PATCH', /\/metrics\/checkin\//)).toHaveLength(0);
    expect(h.gtmhub.state.snapshots.find((s) => s.metricId === nps)!.comment).toMatch(/^first words\n\n— checked in from Slack by Ana Novak/);
  });
});

/**
 * An HTTP stand-in on 127.0.0.1 in front of the emulator that answers GET /v1/metrics/checkin/{id}
 * as the contract documents it ("metricDto"), without the guessed `metricId`; everything else passes.
 */
interface GtmhubStandIn {
  url: string;
  upstream: string | null;
  stripMetricId: boolean;
  stripped: number;
  close(): Promise<void>;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function startStandIn(): Promise<GtmhubStandIn> {
  const state = { upstream: null as string | null, stripMetricId: true, stripped: 0 };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      if (!state.upstream) {
        res.writeHead(503).end();
        return;
      }
      const upstream = new URL(state.upstream);
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      delete headers.connection;
      const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
        const outgoing = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (r) => {
          readAll(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }), reject);
        });
        outgoing.on('error', reject);
        outgoing.end(body);
      });
      let out = answer.body;
      if (state.stripMetricId && req.method === 'GET' && /\/v1\/metrics\/checkin\/[^/?]+(\?|$)/.test(req.url ?? '') && answer.status === 200) {
        const json = JSON.parse(out.toString('utf8')) as Record<string, unknown>;
        delete json.metricId;
        out = Buffer.from(JSON.stringify(json));
        state.stripped += 1;
      }
      const outHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) outHeaders[name] = value;
      }
      res.writeHead(answer.status, { ...outHeaders, 'content-length': String(out.length) }).end(out);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    get upstream() {
      return state.upstream;
    },
    set upstream(value) {
      state.upstream = value;
    },
    get stripMetricId() {
      return state.stripMetricId;
    },
    set stripMetricId(value) {
      state.stripMetricId = value;
    },
    get stripped() {
      return state.stripped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The harness with the app talking to Gtmhub through the stand-in (the app calls Gtmhub only on demand). */
async function startBehindStandIn() {
  standIn = await startStandIn();
  const started = await start({ env: { GTMHUB_API_URL: standIn.url } });
  standIn.upstream = started.h.gtmhub.url;
  return { ...started, standIn };
}

async function checkInFromSlack(h: Harness, metricId: string, comment: string) {
  await h.server.services.checkins.submit({ slackUserId: ANA, slackDisplayName: 'ana', metricId, actual: 31, confidence: 0.7, comment, idempotencyKey: `test-${comment}`, origin: 'modal', reminderId: null });
  const snapshot = await eventually(() => h.gtmhub.state.snapshots.find((s) => s.comment.startsWith(comment)), 5000, 'the check-in');
  const ref = /\(kr-checkin ([0-9a-f]{10})\)$/.exec(snapshot.comment)![1]!;
  await eventually(async () => (await h.server.services.store.getActionClaim(checkInRefKey(ref)))?.result, 5000, 'the recorded reference');
  return { snapshot, ref };
}

describe('the history, when Gtmhub’s check-in answer carries no metricId', () => {
  it('still lets the owner edit and delete a check-in made from Slack, and still refuses someone else', async () => {
    const { h, account, standIn } = await startBehindStandIn();
    const nps = account.metrics.nps!;
    const { snapshot, ref } = await checkInFromSlack(h, nps, 'Survey came back');
    const history = h.server.services.keyResultAdmin.history;

    await history.editComment(ANA, ref, 'Survey of 40 customers');
    expect(standIn.stripped).toBeGreaterThan(0);
    expect(h.gtmhub.state.snapshots.find((s) => s.id === snapshot.id)!.comment).toMatch(/^Survey of 40 customers\n\n— checked in from Slack by Ana Novak \(kr-checkin [0-9a-f]{10}\)$/);

    // Ben neither owns the key result nor its objective.
    await h.slack.slashCommand(BEN, CHANNEL, '/kr', 'help');
    await expect(history.editComment(BEN, ref, 'mine now')).rejects.toThrow(/Only the owner/);
    await expect(history.deleteCheckIn(BEN, ref)).rejects.toThrow(/Only the owner/);

    await history.deleteCheckIn(ANA, ref);
    expect(h.gtmhub.state.snapshots.some((s) => s.id === snapshot.id)).toBe(false);
  });

  it('reads rows recorded before the key result was (a bare check-in id), and refuses when the record and Gtmhub disagree', async () => {
    const { h, account, standIn } = await startBehindStandIn();
    const nps = account.metrics.nps!;
    const { snapshot, ref } = await checkInFromSlack(h, nps, 'Survey came back');
    const { store, keyResultAdmin } = h.server.services;
    const history = keyResultAdmin.history;
    const key = checkInRefKey(ref);
    const patches = () => gtmhubCalls(h, 'PATCH', /\/metrics\/checkin\//).length;

    // An old row: only the check-in id. Gtmhub's answer names the key result: that one is checked.
    await store.setActionResult(key, snapshot.id);
    standIn.stripMetricId = false;
    await history.editComment(ANA, ref, 'from an old row');
    expect(h.gtmhub.state.snapshots.find((s) => s.id === snapshot.id)!.comment).toMatch(/^from an old row\n\n— checked in from Slack/);
    // An old row and an answer without metricId: nothing to check the permission against, a clear refusal.
    standIn.stripMetricId = true;
    const before = patches();
    await expect(history.editComment(ANA, ref, 'unchecked')).rejects.toThrow(/which key result/);
    expect(patches()).toBe(before);

    // The record names another key result (Ana owns it too) than Gtmhub does: refused, nothing written.
    await store.setActionResult(key, JSON.stringify({ snapshotId: snapshot.id, metricId: account.metrics.revenue! }));
    standIn.stripMetricId = false;
    await expect(history.editComment(ANA, ref, 'crossed')).rejects.toThrow(/different key result/);
    await expect(history.deleteCheckIn(ANA, ref)).rejects.toThrow(/different key result/);
    expect(patches()).toBe(before);
    expect(h.gtmhub.state.snapshots.some((s) => s.id === snapshot.id)).toBe(true);
  });
});
