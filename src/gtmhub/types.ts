/**
 * Gtmhub (Quantive Results) Key Results API shapes, from ../shared/gtmhub/API-NOTES.md.
 * Responses are parsed defensively: everything not needed to identify an entity is optional,
 * unknown extra fields are kept. Shapes marked GUESS in API-NOTES are optional here.
 */

/** 24-hex Mongo ObjectId. */
export type Id = string;

export type TargetOperator = 'at_least' | 'at_most' | 'should_stay_above' | 'should_stay_below' | (string & {});

export interface MetricFormat {
  prefix?: string;
  suffix?: string;
  fractionSize?: number;
}

export interface Assignee {
  id: Id;
  type: 'user' | 'team' | (string & {});
  name?: string;
  email?: string;
  isActive?: boolean;
  [extra: string]: unknown;
}

export interface Confidence {
  value: number;
  date?: string;
  reason?: string;
  userId?: Id;
}

export interface GoalClosedStatus {
  status: 'active' | 'achieved' | 'abandoned' | (string & {});
  reason?: string;
}

export interface MetricHistoryEntry {
  changedBy?: Id;
  comment?: string;
  createdAt?: string;
  [extra: string]: unknown;
}

export interface Metric {
  id: Id;
  accountId?: Id;
  name: string;
  description?: string;
  goalId: Id;
  /** A real v2 list field (Gtmhub's help: `v2/metrics?fields=id,name,sessionId,goalName,…`); single v1 bodies leave it out. */
  goalName?: string;
  sessionId?: Id;
  ownerId?: Id;
  ownerIds?: Id[];
  assignee?: Assignee;
  assignees?: Assignee[];
  initialValue?: number;
  target?: number;
  actual?: number;
  critical?: number | null;
  targetOperator?: TargetOperator;
  manualType?: string;
  format?: MetricFormat;
  /** Fraction: 1.0 = 100 %, not capped. */
  attainment?: number;
  progressStatus?: string;
  /** true = fed automatically by an insight; never offered for manual check-in. */
  dynamic?: boolean;
  insightName?: string;
  /** "0001-01-01T00:00:00Z" means no due date. */
  dueDate?: string;
  dateCreated?: string;
  createdById?: Id;
  goalClosedStatus?: GoalClosedStatus;
  /** Real bodies omit confidence, description and lastCheckInDate when unset; null is tolerated too. */
  confidence?: Confidence | null;
  lastCheckInDate?: string | null;
  metricHistory?: MetricHistoryEntry[];
  /** The key result's web link on the account's domain: `https://<account>.gtmhub.com/#/goals/…/metrics/metric/<id>/`. */
  url?: string;
  [extra: string]: unknown;
}

/** Body of POST /v1/metrics/{id}/checkin (Gtmhub CLI's model/metric.go). */
export interface CheckInRequest {
  actual: number;
  comment?: string;
  confidence?: number;
  checkInDate?: string;
  customFields?: Record<string, unknown>;
}

/** One item of POST /v1/metrics/checkins. Shape is a GUESS (API-NOTES). */
export interface BulkCheckInItem extends CheckInRequest {
  metricId: Id;
}

/** A check-in ("snapshot"). Only value and confidence are known for sure. */
export interface Snapshot {
  id?: Id;
  metricId?: Id;
  value: number;
  confidence?: number | null;
  comment?: string;
  createdAt?: string;
  checkInDate?: string;
  changedBy?: Id;
  [extra: string]: unknown;
}

/** Result of POST /v1/metrics/checkins, one entry per requested snapshot (GUESS). */
export interface BulkCheckInResult {
  metricId: Id;
  snapshot?: Snapshot;
  error?: string;
  [extra: string]: unknown;
}

export interface BulkCheckInResponse {
  results: BulkCheckInResult[];
  [extra: string]: unknown;
}

/** Body of PUT /v1/goals/{id}/status (GUESS). */
export interface GoalStatusRequest {
  status: 'achieved' | 'abandoned' | (string & {});
  reason?: string;
}

export interface User {
  id: Id;
  email?: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  [extra: string]: unknown;
}

/** v2 list envelope. */
export interface ListResponse<T> {
  items: T[];
  totalCount: number;
}

export type Formatting = 'mentionsMarkup' | 'plainText';

/** A MongoDB-style filter; a string is sent as is (relaxed JSON allowed). */
export type Filter = Record<string, unknown> | string;

export interface ListOptions {
  fields?: string | string[];
  /** Field names, `-` prefix for descending. */
  sort?: string | string[];
  filter?: Filter;
  skip?: number;
  limit?: number;
  formatting?: Formatting;
}

/** Body of POST /v1/metrics and PUT/PATCH /v1/metrics/{id}. */
export interface MetricInput {
  name?: string;
  description?: string;
  goalId?: Id;
  ownerIds?: Id[];
  initialValue?: number;
  target?: number;
  critical?: number | null;
  targetOperator?: TargetOperator;
  manualType?: string;
  format?: MetricFormat;
  dueDate?: string;
  dynamic?: boolean;
  [extra: string]: unknown;
}

/** "0001-01-01T00:00:00Z" (Go zero time) means "no due date". */
export function hasDueDate(dueDate: string | undefined | null): dueDate is string {
  return !!dueDate && !dueDate.startsWith('0001-01-01');
}

/** An objective (`GET /v2/goals`); the bot needs little more than its name for grouping. */
export interface Goal {
  id: Id;
  name: string;
  description?: string;
  sessionId?: Id;
  ownerIds?: Id[];
  /** Active / achieved / abandoned; public payloads show both names (GUESS which one v2 uses). */
  closedStatus?: GoalClosedStatus;
  goalClosedStatus?: GoalClosedStatus;
  attainment?: number;
  url?: string;
  [extra: string]: unknown;
}

/** An OKR period (`GET /v2/sessions`, `GET /v1/sessions`): `open`, `locked` (in progress) or `closed` (archived). */
export interface Session {
  id: Id;
  title?: string;
  name?: string;
  status?: 'open' | 'locked' | 'closed' | (string & {});
  start?: string;
  end?: string;
  [extra: string]: unknown;
}
