/**
 * The demo account the emulator serves by default (tests, `npm run emulator`, the sandbox).
 * Dates are relative to DEMO_BASE_DATE (2026-11-27): some due dates are past, some within the
 * next 7 days, some absent; last check-ins range from today to never. Ids are fixed.
 * `npm run emulator -- --print-demo-data` writes it as JSON, a starting point for `--data`.
 */
import { NO_DUE_DATE, addDays } from './dates.js';
import { fixedObjectId } from './object-id.js';
import type {
  EmulatorData,
  EmulatorGoal,
  EmulatorHistoryEntry,
  EmulatorMetric,
  EmulatorMetricFormat,
  EmulatorSession,
  EmulatorSnapshot,
  EmulatorTeam,
  EmulatorUser,
  ObjectId,
} from './types.js';

export const DEMO_BASE_DATE = '2026-11-27T09:00:00.000Z';
/** The seed's own sample account id. */
export const DEMO_ACCOUNT_ID = '5be26318e5274a0007f17f61';
export const DEMO_ADMIN_TOKEN = 'emulator-admin-token';
export const DEMO_MEMBER_TOKEN = 'emulator-member-token';

const userId = (n: number) => fixedObjectId('65f1', n);
const teamId = (n: number) => fixedObjectId('65f2', n);
const sessionId = (n: number) => fixedObjectId('65f3', n);
const goalId = (n: number) => fixedObjectId('65f4', n);
const metricId = (n: number) => fixedObjectId('65f5', n);
const snapshotId = (n: number) => fixedObjectId('65f6', n);

const PEOPLE: Array<[first: string, last: string, active?: false]> = [
  ['Ana', 'Novak'],
  ['Ben', 'Okafor'],
  ['Carla', 'Mendes'],
  ['Dev', 'Patel'],
  ['Eva', 'Lindqvist'],
  ['Felix', 'Wagner'],
  ['Grace', 'Kim'],
  ['Hugo', 'Martin'],
  ['Ivy', 'Chen'],
  ['Jon', 'Berg', false],
];

/** Demo user ids by first name, lower case (ana, ben, ...). */
export const DEMO_USER_IDS: Readonly<Record<string, ObjectId>> = Object.fromEntries(PEOPLE.map(([first], i) => [first.toLowerCase(), userId(i + 1)]));

const u = (first: string): ObjectId => DEMO_USER_IDS[first]!;
const mention = (first: string): string => {
  const [firstName, lastName] = PEOPLE.find(([f]) => f.toLowerCase() === first)!;
  return `@[${firstName} ${lastName}:${first}@acme.example:${u(first)}]`;
};

const SALES_TEAM = teamId(1);
const PLATFORM_TEAM = teamId(2);

const TEAMS: EmulatorTeam[] = [
  { id: SALES_TEAM, name: 'Sales', memberIds: [u('ben'), u('carla'), u('dev')], managerId: u('ben') },
  { id: PLATFORM_TEAM, name: 'Platform', memberIds: [u('eva'), u('felix'), u('grace')], managerId: u('felix') },
];

const SESSIONS: EmulatorSession[] = [
  { id: sessionId(1), title: '2026 H1', status: 'closed', start: '2026-01-01T00:00:00.000Z', end: '2026-06-30T23:59:59.000Z' },
  { id: sessionId(2), title: '2026 H2', status: 'open', start: '2026-07-01T00:00:00.000Z', end: '2026-12-31T23:59:59.000Z' },
  { id: sessionId(3), title: 'Q4 2026', status: 'locked', start: '2026-10-01T00:00:00.000Z', end: '2026-12-31T23:59:59.000Z' },
];

type GoalRow = [n: number, name: string, session: number, owner: ObjectId, status?: 'achieved' | 'abandoned'];
const GOALS: GoalRow[] = [
  [1, 'Grow revenue in EMEA', 2, u('ana')],
  [2, 'Delight our customers', 2, u('carla')],
  [3, 'Ship the new mobile app', 2, u('eva')],
  [4, 'Build a world-class platform', 3, u('felix')],
  [5, 'Hire and grow the team', 2, u('ana')],
  [6, 'Expand pipeline by channel', 2, SALES_TEAM],
  [7, 'Reduce cloud costs', 3, u('grace')],
  [8, 'Launch the partner program', 2, u('hugo'), 'abandoned'],
  [9, 'Migrate billing to v2', 2, u('dev'), 'achieved'],
  [10, 'Improve our security posture', 3, u('ivy')],
  [11, 'Win the SMB segment', 1, u('ben')],
  [12, 'Make onboarding effortless', 2, u('ben')],
];

const pct = (fractionSize = 0): EmulatorMetricFormat => ({ prefix: '', suffix: '%', fractionSize });
const usd = (fractionSize = 0): EmulatorMetricFormat => ({ prefix: '$', suffix: '', fractionSize });
const eur = (fractionSize = 0): EmulatorMetricFormat => ({ prefix: '€', suffix: '', fractionSize });
const units = (suffix: string, fractionSize = 0): EmulatorMetricFormat => ({ prefix: '', suffix, fractionSize });
const plain: EmulatorMetricFormat = { prefix: '', suffix: '', fractionSize: 0 };

/** Due: 'none', 'end' (session end), or days from the base date (negative = past). */
type Due = 'none' | 'end' | number;

interface MetricRow {
  goal: number;
  name: string;
  owners: ObjectId[];
  initial: number;
  target: number;
  actual: number;
  format: EmulatorMetricFormat;
  due: Due;
  /** Days before the base date of the last check-in; null = never checked in. */
  last: number | null;
  operator?: string;
  confidence?: number;
  dynamic?: string;
  description?: string;
  critical?: number;
}

const m = (goal: number, name: string, owners: ObjectId[], initial: number, target: number, actual: number, format: EmulatorMetricFormat, due: Due, last: number | null, extra: Partial<MetricRow> = {}): MetricRow => ({ goal, name, owners, initial, target, actual, format, due, last, ...extra });

const METRICS: MetricRow[] = [
  // 1 Grow revenue in EMEA (ana)
  m(1, 'New ARR from EMEA', [u('ana')], 0, 2_000_000, 1_240_000, eur(), 'end', 3, { confidence: 0.7, description: `Booked ARR, counted at signature. Finance: ${mention('hugo')}` }),
  m(1, 'Win 12 enterprise logos', [u('carla')], 0, 12, 7, units(' logos'), 'end', 9, { confidence: 0.6 }),
  m(1, 'Average deal size', [u('dev')], 18_000, 25_000, 21_500, usd(), 2, 15, { confidence: 0.5 }),
  m(1, 'Monthly recurring revenue', [u('ana')], 400_000, 650_000, 561_000, usd(), 'none', 0, { dynamic: 'Salesforce MRR' }),
  // 2 Delight our customers (carla)
  m(2, 'NPS', [u('carla')], 31, 45, 38, plain, 'end', 6, { confidence: 0.8 }),
  m(2, 'First response time', [u('hugo')], 12, 4, 6.5, units(' h', 1), 'end', 12, { operator: 'at_most', confidence: 0.6 }),
  m(2, 'Support CSAT', [u('carla')], 88, 95, 92.4, pct(1), 'none', 1, { dynamic: 'Zendesk CSAT' }),
  m(2, 'Churned customers per month', [u('ivy')], 14, 5, 9, units(' customers'), -5, 25, { operator: 'at_most', confidence: 0.3 }),
  // 3 Ship the new mobile app (eva)
  m(3, 'App store rating', [u('eva')], 0, 4.5, 4.1, units(' ★', 1), 'end', 4, { confidence: 0.8 }),
  m(3, 'Weekly active mobile users', [u('grace')], 0, 50_000, 18_250, plain, 3, 20, { confidence: 0.4, description: `Counted by ${mention('grace')} from the product analytics dashboard.` }),
  m(3, 'Crash-free sessions', [u('eva')], 97, 99.5, 99.1, pct(2), 'end', 2, { operator: 'should_stay_above', confidence: 0.9 }),
  m(3, 'Release the Android beta', [u('felix')], 0, 1, 0, plain, -10, null),
  // 4 Build a world-class platform (felix, Q4 locked)
  m(4, 'API p95 latency', [PLATFORM_TEAM], 420, 200, 260, units(' ms'), 'end', 8, { operator: 'at_most', confidence: 0.7, description: 'Owned by the Platform team; measured at the edge.' }),
  m(4, 'Uptime', [u('felix')], 99.5, 99.95, 99.97, pct(2), 'none', 0, { dynamic: 'Datadog uptime', operator: 'should_stay_above' }),
  m(4, 'Services on the new deploy pipeline', [u('felix')], 3, 40, 26, units(' services'), 5, 10, { confidence: 0.6 }),
  m(4, 'Open P1 incidents', [u('grace')], 6, 0, 1, units(' incidents'), 'end', 31, { operator: 'at_most', confidence: 0.8 }),
  // 5 Hire and grow the team (ana)
  m(5, 'Engineers hired', [u('ana')], 0, 15, 11, units(' hires'), 'end', 7, { confidence: 0.7 }),
  m(5, 'Time to hire', [u('jon')], 52, 35, 41, units(' days'), 'none', 45, { operator: 'at_most' }),
  m(5, 'Employees with a growth plan', [u('ivy')], 20, 100, 64, pct(), 'none', 14, { confidence: 0.5 }),
  // 6 Expand pipeline by channel (Sales team) — names match the seed's example filter
  m(6, 'sales', [SALES_TEAM], 0, 3_000_000, 1_900_000, usd(), 'end', 5, { confidence: 0.6, description: 'Pipeline sourced by outbound sales.' }),
  m(6, 'marketing', [u('ben')], 0, 2_000_000, 1_450_000, usd(), 'end', 11, { confidence: 0.7, description: 'Pipeline sourced by marketing campaigns.' }),
  m(6, 'Sales qualified leads', [u('dev')], 0, 900, 610, units(' SQLs'), 6, 2, { confidence: 0.6 }),
  m(6, 'Marketing Qualified Leads from events', [u('carla')], 0, 1200, 400, units(' MQLs'), -1, 40, { confidence: 0.2 }),
  // 7 Reduce cloud costs (grace, Q4 locked)
  m(7, 'Monthly cloud spend', [u('grace')], 182_000, 140_000, 151_300, usd(), 'end', 3, { operator: 'at_most', confidence: 0.6, critical: 170_000 }),
  m(7, 'Reserved instance coverage', [u('felix')], 35, 80, 72.5, pct(1), 'end', 18, { confidence: 0.7 }),
  m(7, 'Cost per active user', [u('grace')], 1.84, 1.2, 1.37, usd(2), 7, 6, { operator: 'at_most', confidence: 0.5 }),
  // 8 Launch the partner program (hugo) — abandoned
  m(8, 'Signed partners', [u('hugo')], 0, 20, 3, units(' partners'), 'end', 60, { confidence: 0.1 }),
  m(8, 'Partner-sourced revenue', [u('hugo')], 0, 500_000, 25_000, usd(), 'end', 60),
  // 9 Migrate billing to v2 (dev) — achieved
  m(9, 'Customers on billing v2', [u('dev')], 0, 100, 100, pct(), -20, 21, { confidence: 1 }),
  m(9, 'Invoices failing per week', [u('ivy')], 40, 5, 2, units(' invoices'), -20, 22, { operator: 'at_most', confidence: 1 }),
  // 10 Improve our security posture (ivy, Q4 locked)
  m(10, 'Critical vulnerabilities open', [u('ivy')], 23, 0, 4, units(' vulns'), 'end', 2, { operator: 'at_most', confidence: 0.7 }),
  m(10, 'Staff with phishing training', [u('hugo')], 40, 100, 88, pct(), 4, 9, { confidence: 0.8 }),
  m(10, 'SOC 2 controls passing', [u('ivy')], 60, 100, 97, pct(), 'end', 1, { operator: 'should_stay_above', confidence: 0.9 }),
  m(10, 'Mean time to patch', [u('felix')], 30, 7, 12.5, units(' days', 1), 'none', null, { operator: 'should_stay_below' }),
  // 11 Win the SMB segment (ben) — closed session
  m(11, 'SMB customers', [u('ben')], 200, 400, 355, units(' customers'), -150, 160, { confidence: 0.5 }),
  m(11, 'SMB self-serve conversion', [u('carla')], 1.5, 3, 2.2, pct(1), -150, 165),
  // 12 Make onboarding effortless (ben)
  m(12, 'Time to first value', [u('ben')], 14, 3, 6, units(' days'), 'end', 10, { operator: 'at_most', confidence: 0.6, description: `Measured with ${mention('eva')} from signup to first report.` }),
  m(12, 'Onboarding completion rate', [u('eva')], 42, 75, 58.25, pct(2), 1, 16, { confidence: 0.5 }),
  m(12, 'Help-center deflection', [u('jon')], 20, 45, 20, pct(), 'end', null),
  m(12, 'Activation emails A/B tests run', [u('ben'), u('grace')], 0, 8, 5, units(' tests'), 'none', 8, { confidence: 0.7 }),
];

const COMMENTS = ['On track.', 'Slower week, holidays.', 'Big deal closed.', 'Updated from the dashboard.', 'Blocked on data access, estimate.', 'Good progress after the launch.'];

export function demoEmulatorData(): EmulatorData {
  const base = new Date(DEMO_BASE_DATE);
  const users: EmulatorUser[] = PEOPLE.map(([firstName, lastName, active], i) => ({
    id: userId(i + 1),
    email: `${firstName.toLowerCase()}@acme.example`,
    firstName,
    lastName,
    ...(active === false ? { isActive: false } : {}),
  }));
  const goals: EmulatorGoal[] = GOALS.map(([n, name, session, owner, status]) => ({
    id: goalId(n),
    name,
    description: '',
    sessionId: sessionId(session),
    ownerIds: [owner],
    closedStatus: status ? { status, reason: status === 'abandoned' ? 'Deprioritised for 2027.' : 'Done.', date: addDays(base, -14).toISOString(), userId: owner } : null,
    dateCreated: SESSIONS[session - 1]!.start,
  }));

  const snapshots: EmulatorSnapshot[] = [];
  const metrics = METRICS.map((row, i): EmulatorMetric => {
    const goal = goals[row.goal - 1]!;
    const session = SESSIONS.find((s) => s.id === goal.sessionId)!;
    const id = metricId(i + 1);
    const checkerFor = (owner: ObjectId) => (owner === SALES_TEAM ? u('ben') : owner === PLATFORM_TEAM ? u('felix') : owner);
    const checker = checkerFor(row.owners[0]!);
    const history: EmulatorHistoryEntry[] = [];
    if (row.last !== null && !row.dynamic) {
      // Up to three check-ins a week apart, climbing from the initial value to the current one.
      const steps = 1 + (i % 3);
      for (let step = 1; step <= steps; step++) {
        const at = addDays(base, -row.last - (steps - step) * 7).toISOString();
        const value = round(row.initial + ((row.actual - row.initial) * step) / steps, row.format.fractionSize);
        const snapshot: EmulatorSnapshot = {
          id: snapshotId(snapshots.length + 1),
          metricId: id,
          value: step === steps ? row.actual : value,
          confidence: row.confidence ?? null,
          comment: COMMENTS[(i + step) % COMMENTS.length]!,
          createdAt: at,
          checkInDate: at,
          changedBy: checker,
        };
        snapshots.push(snapshot);
        history.push({ changedBy: checker, comment: snapshot.comment, createdAt: at, value: snapshot.value, confidence: snapshot.confidence, snapshotId: snapshot.id });
      }
    }
    const lastCheckInDate = row.last === null ? null : addDays(base, -row.last).toISOString();
    return {
      id,
      name: row.name,
      description: row.description ?? '',
      goalId: goal.id,
      sessionId: goal.sessionId,
      ownerIds: row.owners,
      initialValue: row.initial,
      target: row.target,
      actual: row.actual,
      critical: row.critical ?? null,
      targetOperator: row.operator ?? 'at_least',
      manualType: 'double',
      format: row.format,
      attainment: 0,
      dynamic: row.dynamic !== undefined,
      ...(row.dynamic ? { insightName: row.dynamic } : {}),
      dueDate: row.due === 'none' ? NO_DUE_DATE : row.due === 'end' ? session.end : addDays(base, row.due).toISOString(),
      dateCreated: session.start,
      createdById: goal.ownerIds[0] === SALES_TEAM ? u('ben') : goal.ownerIds[0]!,
      confidence: row.confidence !== undefined && lastCheckInDate ? { value: row.confidence, date: lastCheckInDate, userId: checker } : null,
      lastCheckInDate,
      metricHistory: history,
    };
  });

  return {
    accountId: DEMO_ACCOUNT_ID,
    users,
    teams: structuredClone(TEAMS),
    sessions: structuredClone(SESSIONS),
    goals,
    metrics,
    snapshots,
    tokens: [
      { token: DEMO_ADMIN_TOKEN, userId: u('ana'), role: 'admin' },
      { token: DEMO_MEMBER_TOKEN, userId: u('ben'), role: 'member' },
    ],
  };
}

function round(value: number, fractionSize: number): number {
  const factor = 10 ** fractionSize;
  return Math.round(value * factor) / factor;
}
