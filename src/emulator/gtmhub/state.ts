import { attainmentOf } from './attainment.js';
import { NO_DUE_DATE } from './dates.js';
import { isObjectId } from './object-id.js';
import type { EmulatorData, EmulatorMetric, EmulatorState, EmulatorToken } from './types.js';

export const DEFAULT_ADMIN_TOKEN = 'emulator-admin-token';
export const DEFAULT_MEMBER_TOKEN = 'emulator-member-token';

/**
 * A fresh, independent state from seed data: deep-copied (the seed stays untouched however the
 * state changes), metrics completed with zero values for what the seed leaves out, and attainment
 * always computed from the values (so seed data cannot contradict itself).
 */
export function createState(data: EmulatorData, tokens?: EmulatorToken[]): EmulatorState {
  checkData(data);
  const copy = structuredClone(data);
  const sessionOfGoal = new Map((copy.goals ?? []).map((goal) => [goal.id, goal.sessionId]));
  return {
    accountId: copy.accountId,
    ...(copy.account ? { account: copy.account } : {}),
    users: copy.users,
    teams: copy.teams ?? [],
    sessions: copy.sessions ?? [],
    goals: copy.goals ?? [],
    metrics: (copy.metrics ?? []).map((metric) => completeMetric(metric, sessionOfGoal)),
    snapshots: copy.snapshots ?? [],
    tokens: structuredClone(tokens ?? copy.tokens ?? defaultTokens(copy)),
  };
}

/** Replaces the contents of `state` in place, so references held by tests stay live. */
export function replaceState(state: EmulatorState, next: EmulatorState): void {
  if (next.account === undefined) delete state.account;
  Object.assign(state, next);
}

/** Without configured tokens: the first user is an account admin, the second a member. */
export function defaultTokens(data: Pick<EmulatorData, 'users'>): EmulatorToken[] {
  const [admin, member] = data.users;
  const tokens: EmulatorToken[] = [];
  if (admin) tokens.push({ token: DEFAULT_ADMIN_TOKEN, userId: admin.id, role: 'admin' });
  if (member ?? admin) tokens.push({ token: DEFAULT_MEMBER_TOKEN, userId: (member ?? admin)!.id, role: 'member' });
  return tokens;
}

function completeMetric(metric: Partial<EmulatorMetric> & { id: string; goalId: string }, sessionOfGoal: Map<string, string>): EmulatorMetric {
  const initialValue = metric.initialValue ?? 0;
  const complete: EmulatorMetric = {
    ...metric,
    id: metric.id,
    name: metric.name ?? '',
    description: metric.description ?? '',
    goalId: metric.goalId,
    sessionId: metric.sessionId ?? sessionOfGoal.get(metric.goalId) ?? '',
    ownerIds: metric.ownerIds ?? [],
    initialValue,
    target: metric.target ?? 0,
    actual: metric.actual ?? initialValue,
    critical: metric.critical ?? null,
    targetOperator: metric.targetOperator ?? 'at_least',
    manualType: metric.manualType ?? 'double',
    format: { prefix: '', suffix: '', fractionSize: 0, ...metric.format },
    attainment: 0,
    dynamic: metric.dynamic ?? false,
    dueDate: metric.dueDate ?? NO_DUE_DATE,
    dateCreated: metric.dateCreated ?? new Date(0).toISOString(),
    createdById: metric.createdById ?? metric.ownerIds?.[0] ?? '',
    confidence: metric.confidence ?? null,
    lastCheckInDate: metric.lastCheckInDate ?? null,
    metricHistory: metric.metricHistory ?? [],
  };
  complete.attainment = attainmentOf(complete);
  return complete;
}

function checkData(data: EmulatorData): void {
  const problems: string[] = [];
  if (!isObjectId(data.accountId)) problems.push('accountId must be a 24-hex id');
  for (const key of ['users', 'teams', 'sessions', 'goals', 'metrics', 'snapshots'] as const) {
    if (data[key] !== undefined && !Array.isArray(data[key])) problems.push(`${key} must be an array`);
  }
  if (!Array.isArray(data.users)) problems.push('users must be an array');
  for (const metric of data.metrics ?? []) {
    if (!isObjectId(metric.id) || !isObjectId(metric.goalId)) problems.push(`metric ${JSON.stringify(metric.id)} needs 24-hex id and goalId`);
  }
  if (problems.length > 0) throw new Error(`invalid emulator data: ${problems.join('; ')}`);
}
