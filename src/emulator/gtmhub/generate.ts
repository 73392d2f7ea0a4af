/**
 * Deterministic large accounts for benchmarks: `people` users (person{n}@example.com), one active
 * goal per person in an open session, `metricsPerPerson` key results each, varied formats,
 * operators and last check-ins. The same options (and seed) always give the same data.
 */
import { seededRandom } from '../seeded-random.js';
import { NO_DUE_DATE, addDays } from './dates.js';
import { fixedObjectId } from './object-id.js';
import { DEFAULT_ADMIN_TOKEN, DEFAULT_MEMBER_TOKEN } from './state.js';
import type { EmulatorData, EmulatorGoal, EmulatorMetric, EmulatorMetricFormat, EmulatorTeam, EmulatorUser } from './types.js';

export interface GenerateOptions {
  people: number;
  metricsPerPerson: number;
  /** Varies formats, values and check-in dates; default 1. */
  seed?: number;
  /** Dates are relative to this; default 2026-11-27T09:00:00Z. */
  baseDate?: string;
  /** People per team; default 10. */
  teamSize?: number;
}

export const GENERATED_ACCOUNT_ID = '5be26318e5274a0007f17f62';

const FORMATS: EmulatorMetricFormat[] = [
  { prefix: '', suffix: '%', fractionSize: 0 },
  { prefix: '$', suffix: '', fractionSize: 0 },
  { prefix: '', suffix: ' units', fractionSize: 0 },
  { prefix: '', suffix: '%', fractionSize: 1 },
  { prefix: '€', suffix: '', fractionSize: 2 },
];

export function generateEmulatorData(options: GenerateOptions): EmulatorData {
  const { people, metricsPerPerson, seed = 1, baseDate = '2026-11-27T09:00:00.000Z', teamSize = 10 } = options;
  if (!Number.isInteger(people) || people < 1) throw new Error('people must be an integer >= 1');
  if (!Number.isInteger(metricsPerPerson) || metricsPerPerson < 0) throw new Error('metricsPerPerson must be an integer >= 0');
  const random = seededRandom(seed);
  const base = new Date(baseDate);
  const sessionStart = addDays(base, -150).toISOString();
  const sessionEnd = addDays(base, 35).toISOString();
  const openSession = fixedObjectId('75f3', 1);

  const users: EmulatorUser[] = [];
  const goals: EmulatorGoal[] = [];
  const metrics: EmulatorMetric[] = [];
  const teams: EmulatorTeam[] = [];
  for (let n = 1; n <= people; n++) {
    const id = fixedObjectId('75f1', n);
    users.push({ id, email: `person${n}@example.com`, firstName: 'Person', lastName: String(n) });
    if ((n - 1) % teamSize === 0) teams.push({ id: fixedObjectId('75f2', teams.length + 1), name: `Team ${teams.length + 1}`, memberIds: [], managerId: id });
    teams[teams.length - 1]!.memberIds.push(id);
    const goalId = fixedObjectId('75f4', n);
    goals.push({ id: goalId, name: `Objective of person ${n}`, description: '', sessionId: openSession, ownerIds: [id], closedStatus: null, dateCreated: sessionStart });

    for (let k = 1; k <= metricsPerPerson; k++) {
      const index = metrics.length;
      const format = FORMATS[index % FORMATS.length]!;
      const decreasing = random() < 0.2;
      const initialValue = decreasing ? 100 : 0;
      const target = decreasing ? 20 : 100;
      const actual = Math.round((initialValue + (target - initialValue) * random()) * 100) / 100;
      const lastDaysAgo = random() < 0.1 ? null : Math.floor(random() * 30);
      const lastCheckInDate = lastDaysAgo === null ? null : addDays(base, -lastDaysAgo).toISOString();
      metrics.push({
        id: fixedObjectId('75f5', index + 1),
        name: `Key result ${k} of person ${n}`,
        description: '',
        goalId,
        sessionId: openSession,
        ownerIds: [id],
        initialValue,
        target,
        actual,
        critical: null,
        targetOperator: decreasing ? 'at_most' : 'at_least',
        manualType: 'double',
        format: { ...format },
        attainment: 0,
        dynamic: false,
        dueDate: index % 3 === 0 ? sessionEnd : NO_DUE_DATE,
        dateCreated: sessionStart,
        createdById: id,
        confidence: lastCheckInDate ? { value: Math.round(random() * 10) / 10, date: lastCheckInDate, userId: id } : null,
        lastCheckInDate,
        metricHistory: lastCheckInDate ? [{ changedBy: id, comment: '', createdAt: lastCheckInDate, value: actual }] : [],
      });
    }
  }

  return {
    accountId: GENERATED_ACCOUNT_ID,
    users,
    teams,
    sessions: [
      { id: fixedObjectId('75f3', 2), title: 'Previous period', status: 'closed', start: addDays(base, -330).toISOString(), end: addDays(base, -151).toISOString() },
      { id: openSession, title: 'Current period', status: 'open', start: sessionStart, end: sessionEnd },
    ],
    goals,
    metrics,
    snapshots: [],
    tokens: [
      { token: DEFAULT_ADMIN_TOKEN, userId: users[0]!.id, role: 'admin' },
      { token: DEFAULT_MEMBER_TOKEN, userId: (users[1] ?? users[0])!.id, role: 'member' },
    ],
  };
}
