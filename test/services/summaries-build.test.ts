import { afterEach, describe, expect, it } from 'vitest';
import { generateEmulatorData } from '../../src/emulator/gtmhub/index.js';
import type { Summary } from '../../src/services/summaries/model.js';
import type { SummaryScope } from '../../src/services/summaries/scope.js';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { summaryMetricFields } from '../../src/services/summaries/metric-fields.js';
import { ids, NOW, slackIdOf, startSummaryFixture, summaryData, type SummaryFixture } from './summaries-fixture.js';

const period = { start: new Date('2026-11-20T12:00:00Z'), end: new Date(NOW), label: '20 Nov – 27 Nov 2026' };

let fixture: SummaryFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function build(f: SummaryFixture, scope: SummaryScope, baselineKey = 'test') {
  return f.builder.build({ scope, channelId: 'CTEAM0001', title: 'Summary', period, baselineKey });
}

async function summaryOf(f: SummaryFixture, scope: SummaryScope, baselineKey = 'test'): Promise<Summary> {
  const built = await build(f, scope, baselineKey);
  if (!built.ok) throw new Error(`expected a summary, got: ${built.reason}`);
  return built.summary;
}

const metricIdsOf = (summary: Summary) => summary.objectives.flatMap((o) => o.items.map((i) => i.metricId)).sort();

describe('scopes', () => {
  it('channel: the key results of the channel members linked to Gtmhub, open sessions only', async () => {
    fixture = await startSummaryFixture();
    const summary = await summaryOf(fixture, { kind: 'channel' });
    // Ana's Q3 key result (closed session) is left out; the bot and the unknown member own nothing.
    expect(metricIdsOf(summary)).toEqual([ids.metric(1), ids.metric(2)]);
    expect(summary.objectives.map((o) => o.name)).toEqual(['Revenue growth']);
    const owners = summary.objectives[0]!.items.map((i) => i.owner);
    expect(owners).toEqual([
      { kind: 'slack', slackUserId: slackIdOf('ana'), name: 'Ana Test' },
      { kind: 'slack', slackUserId: slackIdOf('ben'), name: 'Ben Test' },
    ]);
  });

  it('mine and @person: that person’s key results', async () => {
    fixture = await startSummaryFixture();
    expect(metricIdsOf(await summaryOf(fixture, { kind: 'user', slackUserId: slackIdOf('ana') }))).toEqual([ids.metric(1)]);
    expect(metricIdsOf(await summaryOf(fixture, { kind: 'user', slackUserId: slackIdOf('cat') }))).toEqual([ids.metric(3)]);
    const unlinked = await build(fixture, { kind: 'user', slackUserId: 'UNOBODY01' });
    expect(unlinked.ok).toBe(false);
    expect(!unlinked.ok && unlinked.reason).toContain('not linked to a Gtmhub user');
  });

  it('goal: objectives whose name contains the text, case-insensitively', async () => {
    fixture = await startSummaryFixture();
    const summary = await summaryOf(fixture, { kind: 'goal', text: 'REVENUE' });
    expect(metricIdsOf(summary)).toEqual([ids.metric(1), ids.metric(2)]);
    const none = await build(fixture, { kind: 'goal', text: 'Moon landing' });
    expect(none).toEqual({ ok: false, reason: 'No objective\'s name contains “Moon landing”.' });
  });

  it('session: exact name first, else contains; a closed session can be named; abandoned objectives are left out', async () => {
    fixture = await startSummaryFixture();
    expect(metricIdsOf(await summaryOf(fixture, { kind: 'session', name: 'q4' }))).toEqual(
      [1, 2, 3, 6, 7].map(ids.metric).sort(),
    );
    expect(metricIdsOf(await summaryOf(fixture, { kind: 'session', name: 'Q3 2026' }))).toEqual([ids.metric(4)]);
    const none = await build(fixture, { kind: 'session', name: 'Q9' });
    expect(!none.ok && none.reason).toContain('Sessions in progress: “Q4 2026”');
  });

  it('team: the key results the team owns, shown with the team name', async () => {
    fixture = await startSummaryFixture();
    const summary = await summaryOf(fixture, { kind: 'team', name: 'sales' });
    expect(metricIdsOf(summary)).toEqual([ids.metric(6)]);
    expect(summary.objectives[0]!.items[0]!.owner).toEqual({ kind: 'gtmhub', name: 'Sales', team: true, id: ids.team(1) });
    const none = await build(fixture, { kind: 'team', name: 'Marketing' });
    expect(!none.ok && none.reason).toContain('No team whose name contains “Marketing”');
  });
});

describe('what a summary says', () => {
  it('judges each key result, counts by status and puts the worst first in needs attention', async () => {
    fixture = await startSummaryFixture();
    const summary = await summaryOf(fixture, { kind: 'session', name: 'Q4 2026' });
    const status = Object.fromEntries(summary.objectives.flatMap((o) => o.items).map((i) => [i.name, i.status]));
    // ≈63 % of the session has elapsed on 27 Nov.
    expect(status).toEqual({
      'Grow ARR': 'on_track', // 60 %, 3 points behind
      'New logos': 'behind', // 20 %
      'Hire engineers': 'not_checked_in', // last check-in 1 Nov, before the period
      'Pipeline value': 'behind', // $70 of $1,000
      'Onboarding time': 'behind', // 30 %, confidence 0.2
    });
    expect(summary.counts).toEqual({ on_track: 1, at_risk: 0, behind: 3, not_checked_in: 1 });
    expect(summary.needsAttention.map((i) => i.name)).toEqual(['Pipeline value', 'New logos', 'Onboarding time']);
    expect(summary.notCheckedIn).toEqual([{ owner: { kind: 'slack', slackUserId: slackIdOf('cat'), name: 'Cat Test' }, count: 1 }]);
    expect(summary.overall).toBeCloseTo((0.6 + 0.2 + 0.45 + 0.07 + 0.3) / 5, 10);
    expect(summary.previousAt).toBeNull();
    expect(summary.objectives.flatMap((o) => o.items).every((i) => i.change === null)).toBe(true);
  });

  it('shows changes against the stored previous summary of the same key, and marks new key results', async () => {
    fixture = await startSummaryFixture();
    const first = await build(fixture, { kind: 'goal', text: 'Revenue growth' }, 'subscription:1');
    if (!first.ok) throw new Error(first.reason);
    await fixture.store.replaceSummaryBaseline('subscription:1', first.baseline, new Date(NOW));

    const state = fixture.emulator.state;
    const logos = state.metrics.find((m) => m.id === ids.metric(2))!;
    logos.actual = 50;
    logos.attainment = 0.5;
    state.metrics.push({ ...logos, id: ids.metric(8), name: 'Upsell', actual: 10, attainment: 0.1 });

    const second = await summaryOf(fixture, { kind: 'goal', text: 'Revenue growth' }, 'subscription:1');
    const changes = Object.fromEntries(second.objectives[0]!.items.map((i) => [i.name, i.change]));
    expect(changes['Grow ARR']).toEqual({ attainment: 0, actual: 0 });
    expect(changes['New logos']).toEqual({ attainment: expect.closeTo(0.3, 10), actual: 30 });
    expect(changes.Upsell).toBe('new');
    expect(second.previousAt).toEqual(new Date(NOW));
    expect(second.overallChange).toBeCloseTo(0.15, 10);

    // Another key (another subscription or channel) has its own baseline.
    const other = await summaryOf(fixture, { kind: 'goal', text: 'Revenue growth' }, 'subscription:2');
    expect(other.previousAt).toBeNull();
  });
});

describe('cost', () => {
  it('is paged list calls: no call per key result, per person or per objective', async () => {
    fixture = await startSummaryFixture();
    fixture.takeRequests();
    await summaryOf(fixture, { kind: 'channel' });
    // pageSize 2 in the fixture: 3 metrics of Ana and Ben → 2 pages; sessions once; users in one exact
    // batch, then one case-insensitive batch for the member whose email matched nothing exactly.
    expect(fixture.takeRequests().sort()).toEqual(['GET /v2/metrics', 'GET /v2/metrics', 'GET /v2/sessions', 'GET /v2/users', 'GET /v2/users']);
    await summaryOf(fixture, { kind: 'channel' });
    // Links and sessions are cached now.
    expect(fixture.takeRequests()).toEqual(['GET /v2/metrics', 'GET /v2/metrics']);
  });

  it('asks Gtmhub only for the fields it reads, sub-objects narrowed by nested projections, and gets exactly those back', async () => {
    const data = summaryData();
    const kr1 = data.metrics.find((m) => m.id === ids.metric(1))!;
    kr1.metricHistory = [{ changedBy: kr1.ownerIds[0]!, comment: 'a long comment nobody reads here', createdAt: '2026-11-10T09:00:00.000Z', value: 40, confidence: 0.8 }];
    fixture = await startSummaryFixture({ data });
    const from = fixture.emulator.requests.length;
    const summary = await summaryOf(fixture, { kind: 'channel' });
    expect(summary.total).toBe(2);
    const asked = fixture.emulator.requests
      .slice(from)
      .filter((r) => r.path.endsWith('/v2/metrics'))
      .map((r) => new URLSearchParams(r.query).get('fields'));
    expect(new Set(asked)).toEqual(new Set([summaryMetricFields({ withHistory: true })]));
    expect(summaryMetricFields({ withHistory: false })).not.toContain('metricHistory');

    const client = new GtmhubClient({ baseUrl: fixture.emulator.url, token: fixture.emulator.adminToken, accountId: fixture.emulator.accountId, retry: { limit: 0 } });
    const page = await client.listMetrics({ filter: { _id: ids.metric(1) }, fields: summaryMetricFields({ withHistory: true }) });
    const [item] = page.items;
    expect(Object.keys(item!.assignee!).sort()).toEqual(['email', 'id', 'name', 'type']);
    expect(item!.confidence).toEqual({ value: 0.8 });
    expect(item!.goalClosedStatus).toEqual({ status: 'active' });
    expect(item!.metricHistory).toEqual([{ createdAt: '2026-11-10T09:00:00.000Z', value: 40 }]);
    for (const unread of ['ownerId', 'manualType', 'description', 'critical', 'createdById', 'accountId', 'assignees']) expect(item, unread).not.toHaveProperty(unread);
  });

  it('for 1,000 key results of 50 people: metrics in pages, users in batches', async () => {
    const data = generateEmulatorData({ people: 50, metricsPerPerson: 20 });
    fixture = await startSummaryFixture({ data });
    fixture.slack.channels.set('CTEAM0001', {
      id: 'CTEAM0001',
      name: 'team',
      isArchived: false,
      isPrivate: false,
      isIm: false,
      botIsMember: true,
      members: data.users.map((_, i) => `UP${String(i + 1).padStart(6, '0')}`),
    });
    fixture.directory.people.push(
      ...data.users.map((u, i) => ({ slackUserId: `UP${String(i + 1).padStart(6, '0')}`, email: u.email, tz: 'UTC', realName: u.firstName, isBot: false, deleted: false })),
    );
    (fixture.builder as unknown as { options: { pageSize: number } }).options.pageSize = 200;
    fixture.takeRequests();
    const summary = await summaryOf(fixture, { kind: 'channel' });
    expect(summary.total).toBe(1000);
    const requests = fixture.takeRequests();
    expect(requests.filter((r) => r === 'GET /v2/metrics')).toHaveLength(5);
    expect(requests.filter((r) => r === 'GET /v2/users')).toHaveLength(2);
    expect(requests.length).toBeLessThanOrEqual(9);
    // 50 unknown members: one users.list walk instead of 50 users.info calls; owners are members, so no lookups by email.
    expect(fixture.directory.listCalls).toBe(1);
    expect(fixture.directory.calls).toBe(0);
  });
});

describe('confidence as Gtmhub holds it', () => {
  it('a confidence on a 0–10 scale the app could not read is judged on 0–1 but shown as Gtmhub holds it (7, not 0.7)', async () => {
    const data = summaryData();
    const grow = data.metrics.find((m) => m.id === ids.metric(1))!;
    grow.confidence = { value: 7, date: NOW, userId: grow.ownerIds[0]! } as typeof grow.confidence;
    fixture = await startSummaryFixture({ data });
    const summary = await summaryOf(fixture, { kind: 'channel' });
    const item = summary.objectives.flatMap((o) => o.items).find((i) => i.metricId === ids.metric(1))!;
    expect(item.confidence).toBe(0.7);
    expect(item.confidenceLabel).toBe('7');
  });
});
