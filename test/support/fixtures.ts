/**
 * A small Gtmhub account for end-to-end tests, built around "now" so due dates and check-in ages
 * are meaningful whatever day the suite runs. Tests derive their expectations from this data.
 */
import type { EmulatorData, EmulatorMetric } from '../../src/emulator/gtmhub/types.js';

const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(24 - prefix.length, '0')}`;
const DAY = 24 * 3600_000;

export const ACCOUNT_ID = '5be26318e5274a0007f17f61';
export const USERS = {
  ana: id('aa', 1),
  ben: id('aa', 2),
  cleo: id('aa', 3),
} as const;
export const SESSIONS = { open: id('bb', 1), closed: id('bb', 2) } as const;
export const GOALS = { growth: id('cc', 1), quality: id('cc', 2), old: id('cc', 3), dropped: id('cc', 4) } as const;

export interface SmallAccount {
  data: EmulatorData;
  metrics: Record<string, string>;
}

export function smallAccount(now = Date.now()): SmallAccount {
  const iso = (offsetDays: number) => new Date(now + offsetDays * DAY).toISOString();
  const metrics: Record<string, string> = {};
  let n = 0;
  const m = (key: string, fields: Partial<EmulatorMetric> & { name: string; goalId: string; ownerIds: string[] }): EmulatorMetric => {
    const metricId = id('dd', ++n);
    metrics[key] = metricId;
    return {
      id: metricId,
      description: '',
      sessionId: fields.goalId === GOALS.old ? SESSIONS.closed : SESSIONS.open,
      initialValue: 0,
      target: 100,
      actual: 0,
      critical: null,
      targetOperator: 'at_least',
      manualType: 'double',
      format: { prefix: '', suffix: '', fractionSize: 0 },
      attainment: 0,
      dynamic: false,
      dueDate: iso(60),
      dateCreated: iso(-90),
      createdById: fields.ownerIds[0]!,
      confidence: null,
      lastCheckInDate: null,
      metricHistory: [],
      ...fields,
    };
  };
  const data: EmulatorData = {
    accountId: ACCOUNT_ID,
    users: [
      { id: USERS.ana, email: 'ana@acme.example', firstName: 'Ana', lastName: 'Novak' },
      { id: USERS.ben, email: 'Ben@Acme.example', firstName: 'Ben', lastName: 'Okafor' },
      { id: USERS.cleo, email: 'cleo@acme.example', firstName: 'Cleo', lastName: 'Diaz' },
    ],
    teams: [],
    sessions: [
      { id: SESSIONS.open, title: 'Q4 2026', status: 'open', start: iso(-60), end: iso(30) },
      { id: SESSIONS.closed, title: 'Q2 2026', status: 'closed', start: iso(-240), end: iso(-150) },
    ],
    goals: [
      { id: GOALS.growth, name: 'Grow revenue', sessionId: SESSIONS.open, ownerIds: [USERS.ana] },
      { id: GOALS.quality, name: 'Ship with quality', sessionId: SESSIONS.open, ownerIds: [USERS.ana, USERS.ben] },
      { id: GOALS.old, name: 'Old objective', sessionId: SESSIONS.closed, ownerIds: [USERS.ana] },
      { id: GOALS.dropped, name: 'Dropped objective', sessionId: SESSIONS.open, ownerIds: [USERS.ana], closedStatus: { status: 'abandoned' } },
    ],
    metrics: [
      m('revenue', {
        name: 'Monthly recurring revenue',
        goalId: GOALS.growth,
        ownerIds: [USERS.ana],
        initialValue: 10000,
        target: 50000,
        actual: 20000,
        format: { prefix: '$', suffix: '', fractionSize: 0 },
        lastCheckInDate: iso(-10),
        metricHistory: [{ changedBy: USERS.ana, comment: 'Two new customers', createdAt: iso(-10), value: 20000 }],
      }),
      m('nps', { name: 'Net promoter score', goalId: GOALS.growth, ownerIds: [USERS.ana], target: 60, actual: 30, lastCheckInDate: iso(-30) }),
      m('bugs', {
        name: 'Open critical bugs',
        goalId: GOALS.quality,
        ownerIds: [USERS.ana],
        initialValue: 40,
        target: 5,
        actual: 25,
        targetOperator: 'at_most',
        format: { prefix: '', suffix: ' bugs', fractionSize: 0 },
        lastCheckInDate: iso(-2),
      }),
      m('coverage', {
        name: 'Test coverage',
        goalId: GOALS.quality,
        ownerIds: [USERS.ben],
        target: 90,
        actual: 70,
        format: { prefix: '', suffix: '%', fractionSize: 1 },
      }),
      m('signups', { name: 'Weekly signups (automatic)', goalId: GOALS.growth, ownerIds: [USERS.ana], dynamic: true }),
      m('legacy', { name: 'Legacy key result', goalId: GOALS.old, ownerIds: [USERS.ana] }),
      m('late', { name: 'Launch partner program', goalId: GOALS.growth, ownerIds: [USERS.ana], dueDate: iso(-1) }),
      m('abandoned', { name: 'Abandoned key result', goalId: GOALS.dropped, ownerIds: [USERS.ana] }),
    ],
    snapshots: [],
  };
  return { data, metrics };
}

/** Ana's key results that take a check-in, stalest first (never checked in, then oldest). */
export const ANA_CHECKABLE = ['nps', 'revenue', 'bugs'] as const;
