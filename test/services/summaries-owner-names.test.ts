/**
 * Every owner in a summary is shown by the best name the app can know, and owners are counted by who
 * they are (their id), never by the name shown: two people never merge into one line or one count.
 * Gtmhub is the emulator over HTTP; a listing that leaves the assignee (or its name) out is a client
 * whose metric walk drops those fields, as a Gtmhub listing may.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { GtmhubClient, type IterateOptions } from '../../src/gtmhub/client.js';
import type { Metric } from '../../src/gtmhub/types.js';
import type { EmulatorData, EmulatorMetric } from '../../src/emulator/gtmhub/index.js';
import { createLogger } from '../../src/logger.js';
import { KeyResultService } from '../../src/services/key-results.js';
import { PeopleService } from '../../src/services/people/people-service.js';
import { SummaryBuilder } from '../../src/services/summaries/build.js';
import type { Summary, SummaryItem } from '../../src/services/summaries/model.js';
import { ids, NOW, slackIdOf, startSummaryFixture, summaryData, type SummaryFixture } from './summaries-fixture.js';

const period = { start: new Date('2026-11-20T12:00:00Z'), end: new Date(NOW), label: '20 Nov – 27 Nov 2026' };
const NOT_THIS_PERIOD = '2026-11-01T10:00:00.000Z';

let fixture: SummaryFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

type Listing = 'as-gtmhub-lists' | 'no-assignee' | 'assignee-without-name';

/** A Gtmhub client whose metric listing leaves out the assignee, or only its name. */
class Client extends GtmhubClient {
  listing: Listing = 'as-gtmhub-lists';
  override async *iterateMetrics(options: IterateOptions = {}): AsyncGenerator<Metric, void, undefined> {
    for await (const metric of super.iterateMetrics(options)) {
      if (this.listing === 'no-assignee') {
        const { assignee: _left, ...rest } = metric;
        yield rest;
      } else if (this.listing === 'assignee-without-name' && metric.assignee) {
        const { name: _left, ...assignee } = metric.assignee;
        yield { ...metric, assignee: assignee as Metric['assignee'] };
      } else yield metric;
    }
  }
}

/** Users outside Slack (their emails match no Slack member) and the key results they own, none checked in this period. */
function dataWith(outsiders: Array<{ n: number; email: string; firstName: string; lastName: string }>, extraOwnerIds: string[] = []): EmulatorData {
  const data = summaryData();
  data.users.push(...outsiders.map((u) => ({ id: ids.user(u.n), email: u.email, firstName: u.firstName, lastName: u.lastName })));
  data.goals.push({ id: ids.goal(6), name: 'Outside work', sessionId: ids.session(1), ownerIds: [ids.user(1)] });
  const template = data.metrics.find((m) => m.id === ids.metric(3))!;
  const owners = [...outsiders.map((u) => ids.user(u.n)), ...extraOwnerIds];
  owners.forEach((owner, i) => {
    const metric: EmulatorMetric = { ...template, id: ids.metric(20 + i), name: `Outside KR ${i + 1}`, goalId: ids.goal(6), ownerIds: [owner], createdById: owner, lastCheckInDate: NOT_THIS_PERIOD };
    data.metrics.push(metric);
  });
  return data;
}

async function start(data: EmulatorData): Promise<{ client: Client; builder: SummaryBuilder }> {
  fixture = await startSummaryFixture({ data });
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const { emulator, store, directory, slack, clock } = fixture;
  const client = new Client({ baseUrl: emulator.url, token: emulator.adminToken, accountId: emulator.accountId, retry: { limit: 0 } });
  const people = new PeopleService({ gtmhub: client, store, slack: directory, clock, logger, adminSlackUserIds: [] });
  const keyResults = new KeyResultService({ gtmhub: client, clock, logger });
  const builder = new SummaryBuilder({ gtmhub: client, keyResults, people, store, slack, clock, logger, appUrl: 'https://app.gtmhub.com/', pageSize: 2 });
  return { client, builder };
}

async function summaryOf(builder: SummaryBuilder): Promise<Summary> {
  const built = await builder.build({ scope: { kind: 'session', name: 'Q4 2026' }, channelId: 'CTEAM0001', title: 'Summary', period, baselineKey: 'test' });
  if (!built.ok) throw new Error(built.reason);
  return built.summary;
}

const itemsOf = (summary: Summary): SummaryItem[] => summary.objectives.flatMap((o) => o.items);
const ownerOfItem = (summary: Summary, name: string) => itemsOf(summary).find((i) => i.name === name)!.owner;
/** Gtmhub users requests by id (owners), as opposed to the scope's lookups by email. */
const userLookupsById = (f: SummaryFixture, from: number) =>
  f.emulator.requests.slice(from).filter((r) => r.path.endsWith('/v2/users') && (new URLSearchParams(r.query).get('filter') ?? '').includes('_id'));

const EVE = { n: 11, email: 'eve@outside.example', firstName: 'Eve', lastName: 'Outside' };
const FAY = { n: 12, email: 'fay@outside.example', firstName: 'Fay', lastName: 'Outside' };

describe('owners of a summary are named', () => {
  it('a key result listed with owner ids but no assignee: Slack owners by their Slack person, others by their Gtmhub name, each counted apart', async () => {
    const { client, builder } = await start(dataWith([EVE, FAY]));
    client.listing = 'no-assignee';
    const from = fixture!.emulator.requests.length;
    const summary = await summaryOf(builder);

    expect(ownerOfItem(summary, 'Outside KR 1')).toEqual({ kind: 'gtmhub', name: 'Eve Outside', team: false, id: ids.user(EVE.n) });
    expect(ownerOfItem(summary, 'Outside KR 2')).toEqual({ kind: 'gtmhub', name: 'Fay Outside', team: false, id: ids.user(FAY.n) });
    expect(ownerOfItem(summary, 'Hire engineers')).toEqual({ kind: 'slack', slackUserId: slackIdOf('cat'), name: 'Cat Test' });
    // Every key result a person owns (the team's is not one: without its assignee nothing says it is a team).
    const ofPeople = itemsOf(summary).filter((i) => i.name !== 'Pipeline value');
    expect(ofPeople.filter((i) => i.owner.kind === 'none' || i.owner.name === 'someone')).toEqual([]);
    expect(summary.notCheckedIn).toEqual([
      { owner: { kind: 'slack', slackUserId: slackIdOf('cat'), name: 'Cat Test' }, count: 1 },
      { owner: { kind: 'gtmhub', name: 'Eve Outside', team: false, id: ids.user(EVE.n) }, count: 1 },
      { owner: { kind: 'gtmhub', name: 'Fay Outside', team: false, id: ids.user(FAY.n) }, count: 1 },
    ]);
    // Every unnamed owner in one batched lookup (shared with the Slack matching), not one per key result.
    expect(userLookupsById(fixture!, from)).toHaveLength(1);
  });

  it('an owner Gtmhub holds without an email: still named from the same batched lookup, with no second request', async () => {
    const data = dataWith([{ ...EVE, email: '' }]);
    const { client, builder } = await start(data);
    client.listing = 'no-assignee';
    const from = fixture!.emulator.requests.length;
    const summary = await summaryOf(builder);
    expect(ownerOfItem(summary, 'Outside KR 1')).toEqual({ kind: 'gtmhub', name: 'Eve Outside', team: false, id: ids.user(EVE.n) });
    expect(userLookupsById(fixture!, from)).toHaveLength(1);
  });

  it('an assignee listed with an email but no name: shown by their Gtmhub name, not their email', async () => {
    const { client, builder } = await start(dataWith([EVE]));
    client.listing = 'assignee-without-name';
    const from = fixture!.emulator.requests.length;
    const summary = await summaryOf(builder);
    expect(ownerOfItem(summary, 'Outside KR 1')).toEqual({ kind: 'gtmhub', name: 'Eve Outside', team: false, id: ids.user(EVE.n) });
    expect(ownerOfItem(summary, 'Hire engineers')).toEqual({ kind: 'slack', slackUserId: slackIdOf('cat'), name: 'Cat Test' });
    expect(userLookupsById(fixture!, from)).toHaveLength(1);
  });

  it('two different people with the same name are two owners under “Not checked in”', async () => {
    const { builder } = await start(dataWith([EVE, { ...EVE, n: 13, email: 'eve.other@outside.example' }]));
    const from = fixture!.emulator.requests.length;
    const summary = await summaryOf(builder);
    const eves = summary.notCheckedIn.filter((o) => o.owner.kind === 'gtmhub' && o.owner.name === 'Eve Outside');
    expect(eves.map((o) => o.count)).toEqual([1, 1]);
    // The listing names every owner: no users lookup by id at all.
    expect(userLookupsById(fixture!, from)).toHaveLength(0);
  });

  it('“someone” only for an owner Gtmhub knows nothing of; such owners are still counted apart', async () => {
    const { client, builder } = await start(dataWith([EVE], [ids.user(98), ids.user(99)]));
    client.listing = 'no-assignee';
    const summary = await summaryOf(builder);
    expect(ownerOfItem(summary, 'Outside KR 1')).toEqual({ kind: 'gtmhub', name: 'Eve Outside', team: false, id: ids.user(EVE.n) });
    expect(ownerOfItem(summary, 'Outside KR 2')).toEqual({ kind: 'gtmhub', name: 'someone', team: false, id: ids.user(98) });
    const unknown = summary.notCheckedIn.filter((o) => o.owner.kind === 'gtmhub' && o.owner.name === 'someone');
    expect(unknown.map((o) => o.count)).toEqual([1, 1]);
  });
});
