/**
 * The emulator's own model of a Gtmhub account. It is deliberately independent of the
 * client's types in src/gtmhub/types.ts: the emulator stands in for the server, so a wrong
 * guess in the client must not silently become the emulator's behaviour too.
 */

/** 24-hex Mongo ObjectId. */
export type ObjectId = string;

export type SessionStatus = 'open' | 'locked' | 'closed';

export interface EmulatorUser {
  id: ObjectId;
  email: string;
  firstName: string;
  lastName: string;
  isActive?: boolean;
}

export interface EmulatorTeam {
  id: ObjectId;
  name: string;
  memberIds: ObjectId[];
  managerId?: ObjectId;
}

export interface EmulatorSession {
  id: ObjectId;
  title: string;
  status: SessionStatus;
  start: string;
  end: string;
}

export interface EmulatorGoalClosedStatus {
  status: string;
  reason?: string;
  date?: string;
  userId?: ObjectId;
}

export interface EmulatorGoal {
  id: ObjectId;
  name: string;
  description?: string;
  sessionId: ObjectId;
  ownerIds: ObjectId[];
  /** null/absent = active. */
  closedStatus?: EmulatorGoalClosedStatus | null;
  dateCreated?: string;
}

export interface EmulatorMetricFormat {
  prefix: string;
  suffix: string;
  fractionSize: number;
}

export interface EmulatorConfidence {
  value: number;
  date: string;
  userId: ObjectId;
  reason?: string;
}

export interface EmulatorHistoryEntry {
  changedBy: ObjectId;
  comment: string;
  createdAt: string;
  value: number;
  confidence?: number | null;
  /** Links the entry to its snapshot so PATCH/DELETE of a check-in keep history consistent. */
  snapshotId?: ObjectId;
}

/** A key result as stored. Fields derived from other entities (assignee, goalClosedStatus, url, ...) are computed when read. */
export interface EmulatorMetric {
  id: ObjectId;
  name: string;
  description: string;
  goalId: ObjectId;
  sessionId: ObjectId;
  ownerIds: ObjectId[];
  initialValue: number;
  target: number;
  actual: number;
  critical: number | null;
  targetOperator: string;
  manualType: string;
  format: EmulatorMetricFormat;
  /** Fraction, 1 = 100 %, not capped. Recomputed on every write. */
  attainment: number;
  dynamic: boolean;
  insightName?: string;
  /** "0001-01-01T00:00:00Z" = no due date. */
  dueDate: string;
  dateCreated: string;
  createdById: ObjectId;
  confidence: EmulatorConfidence | null;
  lastCheckInDate: string | null;
  metricHistory: EmulatorHistoryEntry[];
  customFields?: Record<string, unknown>;
  progressStatus?: string;
}

/** A check-in. */
export interface EmulatorSnapshot {
  id: ObjectId;
  metricId: ObjectId;
  value: number;
  confidence: number | null;
  comment: string;
  createdAt: string;
  checkInDate: string;
  changedBy: ObjectId;
  customFields?: Record<string, unknown>;
}

export interface EmulatorToken {
  token: string;
  userId: ObjectId;
  role: 'admin' | 'member';
}

/** The account's own settings (`GET /v1/accounts/{id}`); everything optional. */
export interface EmulatorAccount {
  name?: string;
  /** The account's web domain name (`<domain>.gtmhub.com`). */
  domain?: string;
  /** As the Accounts reference documents it: `{confidenceType, confidenceMapping: [{name, color, range: {from, to}}]}`. */
  confidenceSettings?: Record<string, unknown>;
}

/** What the emulator is seeded with (demo data, generated data, a JSON file). */
export interface EmulatorData {
  accountId: ObjectId;
  account?: EmulatorAccount;
  users: EmulatorUser[];
  teams: EmulatorTeam[];
  sessions: EmulatorSession[];
  goals: EmulatorGoal[];
  metrics: EmulatorMetric[];
  snapshots: EmulatorSnapshot[];
  /** Tokens that come with the data; GtmhubEmulatorOptions.tokens wins over these. */
  tokens?: EmulatorToken[];
}

/** Live in-memory state. Tests may read and modify it between requests. */
export interface EmulatorState extends EmulatorData {
  tokens: EmulatorToken[];
}

export interface EmulatorFaults {
  /** Added before answering every /api request. */
  latencyMs: number;
  /** 0..1: fraction of /api requests answered 500. */
  failureRate: number;
  /** Every Nth /api request is answered 429 with Retry-After. */
  rateLimit: { everyNth: number; retryAfterSeconds: number } | null;
  /** One-shot failures, consumed in order by the first request whose method/path match. */
  failNext: Array<{ status: number; retryAfterSeconds?: number; method?: string; pathIncludes?: string }>;
  /** One-shot: the matching request is processed, then its answer is held back this long (a lost answer). */
  answerLate: Array<{ delayMs: number; method?: string; pathIncludes?: string }>;
  /** Every /api request (after authentication) is answered 402. */
  unpaid: boolean;
}
