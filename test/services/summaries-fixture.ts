/**
 * Channel-summary services wired to a real Gtmhub emulator on 127.0.0.1 (over HTTP) with a small,
 * exact account, a SQLite store, and in-memory Slack ports that record what would be posted.
 */
import { Writable } from 'node:stream';
import { fixedClock } from '../../src/clock.js';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { startGtmhubEmulator, type EmulatorData, type EmulatorMetric, type GtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { createLogger } from '../../src/logger.js';
import { KeyResultService } from '../../src/services/key-results.js';
import { PeopleService } from '../../src/services/people/people-service.js';
import type { SlackDirectory, SlackUser } from '../../src/services/ports.js';
import { SummaryBuilder } from '../../src/services/summaries/build.js';
import type { Summary } from '../../src/services/summaries/model.js';
import { ChannelUnavailableError, type ChannelInfo, type ChannelProblem, type SummarySlack } from '../../src/services/summaries/ports.js';
import { SummarySubscriptionService } from '../../src/services/summaries/subscriptions.js';
import { SummaryService } from '../../src/services/summaries/summary-service.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

export const NOW = '2026-11-27T12:00:00.000Z';

const hex = (prefix: string, n: number) => `${prefix}${String(n).padStart(24 - prefix.length, '0')}`;
export const ids = {
  user: (n: number) => hex('a1', n),
  team: (n: number) => hex('a2', n),
  session: (n: number) => hex('a3', n),
  goal: (n: number) => hex('a4', n),
  metric: (n: number) => hex('a5', n),
};

export const PEOPLE = ['ana', 'ben', 'cat', 'dan'] as const;
export const slackIdOf = (name: (typeof PEOPLE)[number]) => `U${name.toUpperCase()}0001`;

function metric(n: number, goal: number, owner: string, over: Partial<EmulatorMetric> = {}): EmulatorMetric {
  return {
    id: ids.metric(n),
    name: `KR ${n}`,
    description: '',
    goalId: ids.goal(goal),
    sessionId: ids.session(goal === 3 ? 2 : 1),
    ownerIds: [owner],
    initialValue: 0,
    target: 100,
    actual: 50,
    critical: null,
    targetOperator: 'at_least',
    manualType: 'double',
    format: { prefix: '', suffix: '%', fractionSize: 0 },
    attainment: 0,
    dynamic: false,
    dueDate: '0001-01-01T00:00:00Z',
    dateCreated: '2026-10-01T00:00:00.000Z',
    createdById: owner,
    confidence: null,
    lastCheckInDate: '2026-11-25T10:00:00.000Z',
    metricHistory: [],
    ...over,
  } as EmulatorMetric;
}

/**
 * Session Q4 2026 runs 1 Oct → 31 Dec (≈ 63 % elapsed on 27 Nov); Q3 2026 is closed.
 * Goals: 1 "Revenue growth" (ana, ben), 2 "Hiring plan" (cat), 3 "Old revenue" in Q3, 4 "Abandoned thing",
 * 5 "Sales pipeline" owned by team Sales.
 */
export function summaryData(): EmulatorData {
  const users = PEOPLE.map((name, i) => ({ id: ids.user(i + 1), email: `${name}@acme.example`, firstName: name[0]!.toUpperCase() + name.slice(1), lastName: 'Test' }));
  const [ana, ben, cat, dan] = users.map((u) => u.id) as [string, string, string, string];
  return {
    accountId: '5be26318e5274a0007f17f61',
    users,
    teams: [{ id: ids.team(1), name: 'Sales', memberIds: [ana, ben] }],
    sessions: [
      { id: ids.session(1), title: 'Q4 2026', status: 'open', start: '2026-10-01T00:00:00.000Z', end: '2026-12-31T00:00:00.000Z' },
      { id: ids.session(2), title: 'Q3 2026', status: 'closed', start: '2026-07-01T00:00:00.000Z', end: '2026-09-30T00:00:00.000Z' },
    ],
    goals: [
      { id: ids.goal(1), name: 'Revenue growth', sessionId: ids.session(1), ownerIds: [ana] },
      { id: ids.goal(2), name: 'Hiring plan', sessionId: ids.session(1), ownerIds: [cat] },
      { id: ids.goal(3), name: 'Old revenue', sessionId: ids.session(2), ownerIds: [ana] },
      { id: ids.goal(4), name: 'Abandoned thing', sessionId: ids.session(1), ownerIds: [dan], closedStatus: { status: 'abandoned' } },
      { id: ids.goal(5), name: 'Sales pipeline', sessionId: ids.session(1), ownerIds: [ids.team(1)] },
    ],
    metrics: [
      metric(1, 1, ana, { name: 'Grow ARR', actual: 60, confidence: { value: 0.8, date: NOW, userId: ana } }),
      metric(2, 1, ben, { name: 'New logos', actual: 20 }),
      metric(3, 2, cat, { name: 'Hire engineers', actual: 45, lastCheckInDate: '2026-11-01T10:00:00.000Z' }),
      metric(4, 3, ana, { name: 'Q3 revenue', actual: 10 }),
      metric(5, 4, dan, { name: 'Abandoned KR', actual: 0 }),
      metric(6, 5, ids.team(1), { name: 'Pipeline value', actual: 70, format: { prefix: '$', suffix: '', fractionSize: 0 }, target: 1000, initialValue: 0 }),
      metric(7, 2, dan, { name: 'Onboarding time', actual: 30, confidence: { value: 0.2, date: NOW, userId: dan } }),
    ],
    snapshots: [],
  };
}

export class FakeSummarySlack implements SummarySlack {
  channels = new Map<string, ChannelInfo & { members: string[] }>();
  posted: Array<{ channelId: string; summary: Summary }> = [];
  told: Array<{ slackUserId: string; text: string }> = [];
  memberCalls = 0;
  failPostWith: ChannelProblem | Error | null = null;

  async channelInfo(channelId: string): Promise<ChannelInfo | null> {
    const channel = this.channels.get(channelId);
    if (!channel) return null;
    const { members: _members, ...info } = channel;
    return info;
  }

  async channelMembers(channelId: string): Promise<string[]> {
    this.memberCalls += 1;
    return this.channels.get(channelId)?.members ?? [];
  }

  async postSummary(channelId: string, summary: Summary) {
    if (this.failPostWith instanceof Error) throw this.failPostWith;
    if (this.failPostWith) throw new ChannelUnavailableError(this.failPostWith, channelId);
    this.posted.push({ channelId, summary });
    return { ts: `1700000000.${String(this.posted.length).padStart(6, '0')}`, messages: 1 };
  }

  async tellUser(slackUserId: string, text: string) {
    this.told.push({ slackUserId, text });
  }
}

/** Behaves as the Slack gateway's member directory: one users.list walk, after which lookups by email cost nothing. */
export class FakeDirectory implements SlackDirectory {
  /** users.info and users.lookupByEmail calls. */
  calls = 0;
  /** users.list walks. */
  listCalls = 0;
  private listed = false;
  constructor(readonly people: SlackUser[]) {}
  async user(id: string) {
    this.calls += 1;
    return this.people.find((p) => p.slackUserId === id) ?? null;
  }
  async userByEmail(email: string) {
    if (!this.listed) this.calls += 1;
    return this.people.find((p) => p.email?.toLowerCase() === email.toLowerCase()) ?? null;
  }
  async members() {
    this.listCalls += 1;
    this.listed = true;
    return new Map(this.people.map((p) => [p.slackUserId, p]));
  }
  async timeZoneOf(id: string) {
    return this.people.find((p) => p.slackUserId === id)?.tz ?? null;
  }
}

export interface SummaryFixture {
  emulator: GtmhubEmulator;
  store: SqliteStore;
  slack: FakeSummarySlack;
  directory: FakeDirectory;
  clock: ReturnType<typeof fixedClock>;
  builder: SummaryBuilder;
  summaries: SummaryService;
  subscriptions: SummarySubscriptionService;
  /** Gtmhub requests since the last call. */
  takeRequests(): string[];
  close(): Promise<void>;
}

export async function startSummaryFixture(options: { data?: EmulatorData; databaseFile?: string; retryDelaysMs?: number[] } = {}): Promise<SummaryFixture> {
  const clock = fixedClock(NOW);
  const emulator = await startGtmhubEmulator({ port: 0, data: options.data ?? summaryData(), now: () => clock.now() });
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const gtmhub = new GtmhubClient({
    baseUrl: emulator.url,
    token: emulator.adminToken,
    accountId: emulator.accountId,
    retry: { limit: 0 },
  });
  const store = SqliteStore.open(options.databaseFile ?? ':memory:');
  const people: SlackUser[] = [
    ...PEOPLE.map((name) => ({ slackUserId: slackIdOf(name), email: `${name}@acme.example`, tz: 'Europe/Berlin', realName: name, isBot: false, deleted: false })),
    { slackUserId: 'UBOT0001', email: null, tz: null, realName: 'kr-checkin', isBot: true, deleted: false },
    { slackUserId: 'UNOBODY01', email: 'nobody@elsewhere.example', tz: 'UTC', realName: 'Nobody', isBot: false, deleted: false },
  ];
  const directory = new FakeDirectory(people);
  const slack = new FakeSummarySlack();
  slack.channels.set('CTEAM0001', {
    id: 'CTEAM0001',
    name: 'team',
    isArchived: false,
    isPrivate: false,
    isIm: false,
    botIsMember: true,
    members: [slackIdOf('ana'), slackIdOf('ben'), 'UBOT0001', 'UNOBODY01'],
  });
  const peopleService = new PeopleService({ gtmhub, store, slack: directory, clock, logger, adminSlackUserIds: [] });
  const keyResults = new KeyResultService({ gtmhub, clock, logger });
  const builder = new SummaryBuilder({ gtmhub, keyResults, people: peopleService, store, slack, clock, logger, appUrl: 'https://app.gtmhub.com/', pageSize: 2 });
  const summaries = new SummaryService({ builder, store, slack, clock, logger });
  const subscriptions = new SummarySubscriptionService({
    builder,
    store,
    slack,
    directory,
    clock,
    logger,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
  });
  let seen = 0;
  return {
    emulator,
    store,
    slack,
    directory,
    clock,
    builder,
    summaries,
    subscriptions,
    takeRequests() {
      const log = emulator.requests.slice(seen);
      seen = emulator.requests.length;
      return log.map((r) => `${r.method} ${r.path.replace(/^\/api/, "")}`);
    },
    async close() {
      await store.close();
      await emulator.close();
    },
  };
}
