/**
 * A small account for reminder tests: three people in Tokyo, Berlin and Los Angeles, and one Gtmhub
 * owner nobody in Slack matches. Dates are fixed around Monday 30 November 2026.
 */
import type { EmulatorData, EmulatorMetric } from '../../src/emulator/gtmhub/types.js';
import { fixedClock, startHarness, ADMIN, type Harness, type HarnessOptions } from '../support/harness.js';

const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(24 - prefix.length, '0')}`;

export const ACCOUNT = '5be26318e5274a0007f17f61';
export const GT = { tokyo: id('a1', 1), berlin: id('a1', 2), la: id('a1', 3), ghost: id('a1', 4) } as const;
export const SLACK = { tokyo: 'UTOKYO001', berlin: 'UBERLIN01', la: 'ULAXXX001' } as const;
export const SESSION = id('b1', 1);
export const GOAL = { tokyo: id('c1', 1), berlin: id('c1', 2), la: id('c1', 3), ghost: id('c1', 4) } as const;

/** Monday 30 November 2026, 00:00 UTC. */
export const MONDAY = Date.parse('2026-11-30T00:00:00Z');
export const at = (iso: string) => new Date(iso);

export const KR = {
  tokyoNever: id('d1', 1),
  tokyoOld: id('d1', 2),
  berlinOld: id('d1', 3),
  berlinToday: id('d1', 4),
  laOld: id('d1', 5),
  ghostOld: id('d1', 6),
} as const;

function metric(metricId: string, name: string, goalId: string, owner: string, fields: Partial<EmulatorMetric> = {}): EmulatorMetric {
  return {
    id: metricId,
    name,
    description: '',
    goalId,
    sessionId: SESSION,
    ownerIds: [owner],
    initialValue: 0,
    target: 100,
    actual: 42,
    critical: null,
    targetOperator: 'at_least',
    manualType: 'double',
    format: { prefix: '', suffix: '', fractionSize: 0 },
    attainment: 0,
    dynamic: false,
    dueDate: '2026-12-31T00:00:00Z',
    dateCreated: '2026-09-01T00:00:00Z',
    createdById: owner,
    confidence: null,
    lastCheckInDate: '2026-11-20T10:00:00Z',
    metricHistory: [],
    ...fields,
  };
}

export function reminderAccount(extraMetrics: EmulatorMetric[] = []): EmulatorData {
  return {
    accountId: ACCOUNT,
    users: [
      { id: GT.tokyo, email: 'kenji@acme.example', firstName: 'Kenji', lastName: 'Sato' },
      { id: GT.berlin, email: 'bea@acme.example', firstName: 'Bea', lastName: 'Braun' },
      { id: GT.la, email: 'luis@acme.example', firstName: 'Luis', lastName: 'Lopez' },
      { id: GT.ghost, email: 'ghost@acme.example', firstName: 'Gus', lastName: 'Ghost' },
    ],
    teams: [],
    sessions: [{ id: SESSION, title: 'Q4', status: 'open', start: '2026-10-01T00:00:00Z', end: '2026-12-31T00:00:00Z' }],
    goals: [
      { id: GOAL.tokyo, name: 'Grow Japan', sessionId: SESSION, ownerIds: [GT.tokyo] },
      { id: GOAL.berlin, name: 'Grow Germany', sessionId: SESSION, ownerIds: [GT.berlin] },
      { id: GOAL.la, name: 'Grow California', sessionId: SESSION, ownerIds: [GT.la] },
      { id: GOAL.ghost, name: 'Haunt', sessionId: SESSION, ownerIds: [GT.ghost] },
    ],
    metrics: [
      metric(KR.tokyoNever, 'Sign 5 distributors', GOAL.tokyo, GT.tokyo, { lastCheckInDate: null, actual: 0 }),
      metric(KR.tokyoOld, 'Open the Osaka office', GOAL.tokyo, GT.tokyo, { lastCheckInDate: '2026-11-25T03:00:00Z', dueDate: '2026-12-04T00:00:00Z' }),
      metric(KR.berlinOld, 'Hire 3 engineers', GOAL.berlin, GT.berlin),
      metric(KR.berlinToday, 'Ship the Berlin release', GOAL.berlin, GT.berlin, { lastCheckInDate: '2026-11-29T23:30:00Z' }),
      metric(KR.laOld, 'Raise NPS to 60', GOAL.la, GT.la),
      metric(KR.ghostOld, 'Scare 10 people', GOAL.ghost, GT.ghost),
      ...extraMetrics,
    ],
    snapshots: [],
  };
}

export async function startReminderHarness(start: Date, options: Partial<HarnessOptions> = {}) {
  const clock = fixedClock(start);
  const harness: Harness = await startHarness({
    clock,
    gtmhub: { data: reminderAccount(), now: () => clock.now() },
    slackUsers: [
      { id: SLACK.tokyo, name: 'kenji', realName: 'Kenji Sato', email: 'kenji@acme.example', tz: 'Asia/Tokyo' },
      { id: SLACK.berlin, name: 'bea', realName: 'Bea Braun', email: 'bea@acme.example', tz: 'Europe/Berlin' },
      { id: SLACK.la, name: 'luis', realName: 'Luis Lopez', email: 'luis@acme.example', tz: 'America/Los_Angeles' },
      { id: ADMIN, name: 'admin', realName: 'Ada Admin', email: 'admin@elsewhere.example', tz: 'Europe/Berlin' },
    ],
    ...options,
  });
  return { h: harness, clock };
}

/** Messages the bot posted at the top level of a person's DM (thread replies are follow-ups). */
export function dms(h: Harness, slackUserId: string) {
  return h.slack.messages(h.slack.dmChannelId(slackUserId)).filter((m) => !m.threadTs || m.threadTs === m.ts);
}

export function threadReplies(h: Harness, slackUserId: string) {
  return h.slack.messages(h.slack.dmChannelId(slackUserId)).filter((m) => m.threadTs && m.threadTs !== m.ts);
}

export function text(message: { blocks: unknown[] } | undefined): string {
  return JSON.stringify(message?.blocks ?? []);
}
