/**
 * Every emulator behaviour that ../shared/gtmhub/API-NOTES.md marks GUESS, and every choice that
 * neither the seed nor the notes settle, lives in this file — so that when the real API shows
 * otherwise there is exactly one place to correct. Everything else in the emulator follows the
 * seed (../shared/seeds/gtmhub-key-results-endpoints.txt) or the facts in API-NOTES.
 */
import { hasDueDate } from './dates.js';
import type { Formatting } from './formatting.js';
import { refuseWrappedBody } from './bare-body.js';
import { badRequest } from './http-error.js';
import type { EmulatorGoal, EmulatorGoalClosedStatus, EmulatorHistoryEntry, EmulatorMetric, EmulatorSession, EmulatorSnapshot, ObjectId } from './types.js';

// --- Auth ------------------------------------------------------------------------------------

/** A known token sent with another account's id: 401 (not 403). */
export const WRONG_ACCOUNT_STATUS = 401;
/**
 * The seed's own examples for PUT/DELETE /goals/{id}/status send no gtmhub-accountId header.
 * We still require it everywhere (the client always sends it); set to false to follow the examples.
 */
export const GOAL_STATUS_REQUIRES_ACCOUNT_HEADER = true;
/** An unpaid account is reported (402) only to authenticated callers; anonymous ones get 401 first. */
export const UNPAID_CHECKED_AFTER_AUTH = true;

// --- Lists -----------------------------------------------------------------------------------

/** The seed documents default 100 but no maximum; above this a list answers 400 rather than silently fewer items. */
export const MAX_LIST_LIMIT = 1000;
/** `limit=0`: no items, only totalCount (useful for counting). */
export const LIMIT_ZERO_RETURNS_COUNT_ONLY = true;

/** The seed's own example sends `formatting=string`; anything but `plainText` is treated as the default. */
export function readFormatting(value: string | null): Formatting {
  return value === 'plainText' ? 'plainText' : 'mentionsMarkup';
}

/**
 * `fields` projections. The notes document a comma list with nested projections (`metrics{id,name}`
 * on goals); the rest is a guess, modelled on the MongoDB projection that Gtmhub's Mongo-style
 * `filter` suggests:
 * - `id` is always sent, asked for or not;
 * - a nested projection works on any sub-object of the entity (`assignee{id,name}`,
 *   `confidence{value}`, `metricHistory{createdAt,value}`), and on an array of objects element by element;
 * - a name the entity does not have is left out, not refused;
 * - a nested projection of a field that is not an object leaves the field out (a scalar has no
 *   `{…}` to pick from), and in an array it keeps only the object elements; an object without any
 *   of the named sub-fields is sent as `{}`.
 */
export const PROJECTION_KEEPS_ID = true;
export const NESTED_PROJECTIONS = true;

/** `GET /v1/sessions?status=open` (Gtmhub's CLI): a comma list of session statuses. */
export const V1_SESSION_STATUS_PARAM = 'status';

/**
 * `GET /v1/sessions?filter=current` (Gtmhub's CLI): on v1 the filter is a timeframe word —
 * `current` (running now), `past`, `future`; none = all. Other words, and Mongo expressions
 * (those belong to `GET /v2/sessions`), are a 400.
 */
export function filterSessionsByTimeframe(sessions: readonly EmulatorSession[], filter: string | null, now: Date): EmulatorSession[] {
  const at = now.getTime();
  switch ((filter ?? '').trim()) {
    case '':
      return [...sessions];
    case 'current':
      return sessions.filter((s) => Date.parse(s.start) <= at && at <= Date.parse(s.end));
    case 'past':
      return sessions.filter((s) => Date.parse(s.end) < at);
    case 'future':
      return sessions.filter((s) => Date.parse(s.start) > at);
    default:
      throw badRequest(`filter on /v1/sessions is a timeframe: current, past or future (got ${JSON.stringify(filter)}; filter expressions go to /v2/sessions)`);
  }
}

/**
 * `GET /v1/goals?metricOwnerId=…`: goals with at least one key result that person owns; with
 * `includeMetrics=true` the nested metrics are that person's only.
 */
export const V1_GOALS_OWNER_FILTER_NESTS_ONLY_OWNED_METRICS = true;

/** `GET /v1/accounts/{id}` for another account's id: 403 (the token is not theirs). */
export const OTHER_ACCOUNT_STATUS = 403;

/** An account that never changed its confidence settings answers the default numeric scale. */
export const DEFAULT_CONFIDENCE_SETTINGS: Readonly<Record<string, unknown>> = { confidenceType: 'numeric', confidenceMapping: [] };

// --- Check-ins -------------------------------------------------------------------------------

/** The account's confidence scale; the default (numeric 0..1) is assumed. */
export const CONFIDENCE_RANGE = { min: 0, max: 1 } as const;

/** "After its due date" is read strictly: a check-in one millisecond after dueDate is refused. */
export function isPastDue(dueDate: string, now: Date): boolean {
  return hasDueDate(dueDate) && now.getTime() > Date.parse(dueDate);
}

/** Objectives that refuse check-ins (Achieved still accepts them, per API-NOTES). */
export const GOAL_STATUSES_REFUSING_CHECKINS: ReadonlySet<string> = new Set(['abandoned']);
/** Sessions that refuse check-ins; `locked` means "in progress" and accepts them. */
export const SESSION_STATUSES_REFUSING_CHECKINS: ReadonlySet<string> = new Set(['closed']);

/** Body of GET /v1/metrics/checkin/{id} and of the 201 answer to a check-in: the snapshot as stored. */
export function snapshotResponse(snapshot: EmulatorSnapshot): Record<string, unknown> {
  return { ...snapshot };
}

/** Bulk check-in body: the bare JSON array of snapshots (bodies are bare; see bare-body.ts). */
export function readBulkCheckInItems(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  refuseWrappedBody(body, 'snapshots', 'JSON array of check-ins');
  throw badRequest(`body must be a JSON array of check-ins [{"metricId": "…", "actual": 1}, …], got ${body === null ? 'null' : typeof body}`);
}

/** One result per requested item, in request order; `status` says what the single endpoint would have answered. */
export function bulkItemResult(
  metricId: string,
  outcome: { snapshot: EmulatorSnapshot } | { status: number; error: string },
): Record<string, unknown> {
  if ('snapshot' in outcome) return { metricId, status: 201, snapshot: snapshotResponse(outcome.snapshot) };
  return { metricId, status: outcome.status, error: outcome.error };
}

export function bulkCheckInResponse(results: Array<Record<string, unknown>>): Record<string, unknown> {
  return { results };
}

/** PATCH /v1/metrics/checkin/{id} body: `{"comment": "..."}`; other attributes are ignored (the seed: only the comment can change). */
export function readCommentPatch(body: unknown): string {
  refuseWrappedBody(body, 'snapshot', 'object {"comment": "<text>"}');
  const comment = typeof body === 'object' && body !== null ? (body as { comment?: unknown }).comment : undefined;
  if (typeof comment !== 'string') throw badRequest('body must be {"comment": "<text>"}');
  return comment;
}

/** The check-in's effective date: the one given, else now. */
export function checkInDateOf(given: string | null, now: Date): string {
  return given ?? now.toISOString();
}

/** lastCheckInDate never moves backwards when someone back-dates a check-in. */
export function lastCheckInDateAfter(previous: string | null, checkInDate: string): string {
  if (!previous) return checkInDate;
  return Date.parse(checkInDate) >= Date.parse(previous) ? checkInDate : previous;
}

/** A check-in without confidence keeps the metric's confidence; the snapshot records null. */
export const CHECKIN_WITHOUT_CONFIDENCE_KEEPS_METRIC_CONFIDENCE = true;

/** After a check-in is deleted, the metric's value falls back to the latest remaining history entry, else to initialValue. */
export function valueAfterHistoryChange(metric: EmulatorMetric): { actual: number; lastCheckInDate: string | null } {
  const latest = latestEntry(metric.metricHistory);
  return latest ? { actual: latest.value, lastCheckInDate: latest.createdAt } : { actual: metric.initialValue, lastCheckInDate: null };
}

function latestEntry(history: EmulatorHistoryEntry[]): EmulatorHistoryEntry | undefined {
  let latest: EmulatorHistoryEntry | undefined;
  for (const entry of history) if (!latest || Date.parse(entry.createdAt) >= Date.parse(latest.createdAt)) latest = entry;
  return latest;
}

// --- Goals -----------------------------------------------------------------------------------

/** PUT /v1/goals/{id}/status body: `{"status": "achieved" | "abandoned", "reason"?: "..."}`. */
export const GOAL_CLOSED_STATUSES: readonly string[] = ['achieved', 'abandoned'];

export function readGoalStatus(body: unknown, now: Date, userId: ObjectId): EmulatorGoalClosedStatus {
  const record = typeof body === 'object' && body !== null ? (body as { status?: unknown; reason?: unknown }) : {};
  if (typeof record.status !== 'string' || !GOAL_CLOSED_STATUSES.includes(record.status)) {
    throw badRequest(`body must be {"status": ${GOAL_CLOSED_STATUSES.map((s) => `"${s}"`).join(' | ')}, "reason"?: "..."}`);
  }
  if (record.reason !== undefined && typeof record.reason !== 'string') throw badRequest('reason must be a string');
  return { status: record.status, reason: record.reason ?? '', date: now.toISOString(), userId };
}

/** The key results nested in a goal (`fields=metrics{id,name}`, v1 `includeMetrics=true`); public clients read `ownerId` there. */
export function goalMetricSummary(metric: EmulatorMetric): Record<string, unknown> {
  const { id, name, ownerIds, actual, target, attainment, dynamic } = metric;
  return { id, name, ownerId: ownerIds[0] ?? '', ownerIds, actual, target, attainment, dynamic };
}

/**
 * A metricHistory entry as served: the public fields `changedBy, comment, createdAt` (API-NOTES)
 * plus the entry's `value` and `confidence` (when one was given) — those two are a guess; the
 * emulator's link to its snapshot stays internal.
 */
export function publicHistoryEntry(entry: EmulatorHistoryEntry): Record<string, unknown> {
  const { changedBy, comment, createdAt, value, confidence } = entry;
  return { changedBy, comment, createdAt, value, ...(typeof confidence === 'number' ? { confidence } : {}) };
}

/** A goal's attainment: the mean of its key results' attainment (0 without key results). */
export function goalAttainment(metrics: readonly EmulatorMetric[]): number {
  if (metrics.length === 0) return 0;
  return metrics.reduce((sum, metric) => sum + metric.attainment, 0) / metrics.length;
}

// --- Metrics ---------------------------------------------------------------------------------

/** POST /v1/metrics: defaults where a zero value would make no sense; owner defaults to the token's user. */
export const METRIC_CREATE_DEFAULTS: Readonly<Record<string, unknown>> = { targetOperator: 'at_least', manualType: 'double' };

/** PUT /v1/metrics/{id} without goalId keeps the metric's goal (a zero goal id would orphan it). */
export const PUT_WITHOUT_GOAL_KEEPS_GOAL = true;

/**
 * A metric's `url` has the real shape `https://<account>.gtmhub.com/#/goals/<id>/all/<goalId>/metrics/metric/<metricId>/`
 * (a public 2022 body), pointing at the emulator's own page instead of the account's domain. That the
 * first `<id>` is the session is a guess.
 */
export function metricUrl(webBaseUrl: string, metric: Pick<EmulatorMetric, 'id' | 'goalId' | 'sessionId'>): string {
  return `${webBaseUrl}/#/goals/${metric.sessionId}/all/${metric.goalId}/metrics/metric/${metric.id}/`;
}

/** A goal's `url`: the metric link's goal part (guess). */
export function goalUrl(webBaseUrl: string, goal: Pick<EmulatorGoal, 'id' | 'sessionId'>): string {
  return `${webBaseUrl}/#/goals/${goal.sessionId}/all/${goal.id}/`;
}
