/**
 * Defensive response parsers, one per type. Rules:
 * - the object is kept as Gtmhub sent it (unknown fields stay) and checked in place;
 * - an essential field (what identifies the entity) that is missing or of the wrong type is an
 *   error naming the field — unless a `fields` projection did not ask for it (a projected list
 *   item then carries only what was asked, whatever its static type says);
 * - a known optional field of the wrong type is dropped, so code typed `number | undefined` can
 *   trust what it gets; missing optional fields are fine.
 */
import type { BulkCheckInResponse, BulkCheckInResult, Goal, Metric, Session, Snapshot, User } from './types.js';
import type { Page } from './query.js';

/** Raised by parsers; the client adds method/path/status and turns it into GtmhubUnexpectedResponseError. */
export class ResponseShapeError extends Error {}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'object[]' | 'string|null' | 'number|null' | 'object|null';

type Record_ = Record<string, unknown>;

function isObject(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'object[]':
      return Array.isArray(value) && value.every(isObject);
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'number|null':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'object|null':
      return value === null || isObject(value);
  }
}

interface Shape {
  what: string;
  essential: Record<string, Kind>;
  optional: Record<string, Kind>;
}

/**
 * A shape is compiled once into code with the field names written out: on a list of 10,000
 * metrics, property reads through a loop variable (`entity[field]`) cost several times more than
 * `entity.name` reads, which V8 caches per place in the code. The names and kinds come from the
 * shapes in this file, never from a response.
 */
interface CompiledShape {
  what: string;
  essential: Array<[string, Kind]>;
  /** True when every essential field is present with its kind (the usual case). */
  essentialsPresent: (entity: Record_) => boolean;
  /** Drops each known optional field whose value has the wrong kind. */
  dropMistypedOptionals: (entity: Record_) => void;
}

function isString(value: unknown): boolean {
  return typeof value === 'string';
}

/** `hasKind` as a JavaScript expression over `v`. */
function kindCheck(kind: Kind): string {
  switch (kind) {
    case 'string':
      return "typeof v === 'string'";
    case 'number':
      return 'Number.isFinite(v)';
    case 'boolean':
      return "typeof v === 'boolean'";
    case 'object':
      return 'isObject(v)';
    case 'string[]':
      return 'Array.isArray(v) && v.every(isString)';
    case 'object[]':
      return 'Array.isArray(v) && v.every(isObject)';
    case 'string|null':
      return "v === null || typeof v === 'string'";
    case 'number|null':
      return 'v === null || Number.isFinite(v)';
    case 'object|null':
      return 'v === null || isObject(v)';
  }
}

function compile(shape: Shape): CompiledShape {
  const essential = Object.entries(shape.essential);
  const read = (field: string) => `v = entity[${JSON.stringify(field)}];`;
  const present = essential.map(([field, kind]) => `${read(field)} if (!(${kindCheck(kind)})) return false;`).join('\n');
  const drops = Object.entries(shape.optional)
    .map(([field, kind]) => `${read(field)} if (v !== undefined && !(${kindCheck(kind)})) delete entity[${JSON.stringify(field)}];`)
    .join('\n');
  const build = (body: string) => new Function('isObject', 'isString', `return function (entity) { let v;\n${body}\nreturn true; };`)(isObject, isString);
  return {
    what: shape.what,
    essential,
    essentialsPresent: build(present) as CompiledShape['essentialsPresent'],
    dropMistypedOptionals: build(drops) as CompiledShape['dropMistypedOptionals'],
  };
}

/**
 * Which fields a projection asked for (query.ts `projectedFieldNames`: top-level names, and
 * `parent.child` for sub-objects narrowed by a nested projection); undefined = the full entity.
 */
export type Projection = ReadonlySet<string> | undefined;

/**
 * Whether a sub-object must carry `child`: always in a full entity and when the projection took the
 * whole sub-object; when a nested projection narrowed it, only if it named `child`.
 */
function subFieldAsked(projection: Projection, parent: string, child: string): boolean {
  if (projection === undefined || projection.has(`${parent}.${child}`)) return true;
  const prefix = `${parent}.`;
  for (const name of projection) if (name.startsWith(prefix)) return false;
  return true;
}

/**
 * Validates in place: the value is a body this client just parsed from JSON and owns, so copying
 * 10,000 metrics to drop the odd field would only cost time.
 */
function readEntity(raw: unknown, shape: CompiledShape, projection: Projection, where: string): Record_ {
  if (!isObject(raw)) throw new ResponseShapeError(`${where}: expected a ${shape.what} object, got ${describe(raw)}`);
  const entity = raw;
  // Mongo-style APIs may name the id `_id`.
  if (entity.id === undefined && typeof entity._id === 'string') entity.id = entity._id;
  if (!shape.essentialsPresent(entity)) {
    for (const [field, kind] of shape.essential) {
      const value = entity[field];
      const required = projection === undefined || projection.has(field);
      if (value === undefined && !required) continue;
      if (!hasKind(value, kind)) {
        throw new ResponseShapeError(`${where}: ${shape.what}.${field} should be a ${kind}, got ${describe(value)}`);
      }
    }
  }
  shape.dropMistypedOptionals(entity);
  return entity;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

const METRIC = compile({
  what: 'metric',
  essential: { id: 'string', name: 'string', goalId: 'string' },
  optional: {
    accountId: 'string',
    description: 'string',
    goalName: 'string',
    sessionId: 'string',
    ownerId: 'string',
    ownerIds: 'string[]',
    assignee: 'object',
    assignees: 'object[]',
    initialValue: 'number',
    target: 'number',
    actual: 'number',
    critical: 'number|null',
    targetOperator: 'string',
    manualType: 'string',
    format: 'object',
    attainment: 'number',
    progressStatus: 'string',
    dynamic: 'boolean',
    insightName: 'string',
    dueDate: 'string',
    dateCreated: 'string',
    createdById: 'string',
    goalClosedStatus: 'object',
    confidence: 'object|null',
    lastCheckInDate: 'string|null',
    metricHistory: 'object[]',
    url: 'string',
  },
});

/** `requestedId`: a single-metric body may leave out its own id; the id the caller asked for then stands in. */
export function parseMetric(raw: unknown, projection?: Projection, where = 'metric', requestedId?: string): Metric {
  if (requestedId !== undefined && isObject(raw) && raw.id === undefined && raw._id === undefined) raw.id = requestedId;
  const metric = readEntity(raw, METRIC, projection, where);
  // A sub-object without what identifies it (or with it mistyped) is dropped; left out is fine only where a nested projection did not ask for it.
  if (isObject(metric.confidence) && !hasKind(metric.confidence.value, 'number') && (metric.confidence.value !== undefined || subFieldAsked(projection, 'confidence', 'value'))) delete metric.confidence;
  if (isObject(metric.goalClosedStatus) && typeof metric.goalClosedStatus.status !== 'string' && (metric.goalClosedStatus.status !== undefined || subFieldAsked(projection, 'goalClosedStatus', 'status'))) delete metric.goalClosedStatus;
  if (isObject(metric.assignee) && typeof metric.assignee.id !== 'string' && (metric.assignee.id !== undefined || subFieldAsked(projection, 'assignee', 'id'))) delete metric.assignee;
  return metric as Metric;
}

const SNAPSHOT = compile({
  what: 'check-in',
  essential: { value: 'number' },
  optional: {
    id: 'string',
    metricId: 'string',
    confidence: 'number|null',
    comment: 'string',
    createdAt: 'string',
    checkInDate: 'string',
    changedBy: 'string',
  },
});

export function parseSnapshot(raw: unknown, where = 'check-in'): Snapshot {
  if (isObject(raw)) {
    // The snapshot is known to carry `value`; some shapes call it `actual`.
    if (raw.value === undefined && typeof raw.actual === 'number') raw.value = raw.actual;
    // The confidence may come back as the metric's `{value, …}` object.
    if (isObject(raw.confidence) && typeof raw.confidence.value === 'number') raw.confidence = raw.confidence.value;
  }
  return readEntity(raw, SNAPSHOT, undefined, where) as Snapshot;
}

const USER = compile({
  what: 'user',
  essential: { id: 'string' },
  optional: { email: 'string', firstName: 'string', lastName: 'string', name: 'string' },
});

export function parseUser(raw: unknown, projection?: Projection, where = 'user'): User {
  return readEntity(raw, USER, projection, where) as User;
}

const GOAL = compile({
  what: 'goal',
  essential: { id: 'string', name: 'string' },
  optional: {
    description: 'string',
    sessionId: 'string',
    ownerIds: 'string[]',
    closedStatus: 'object',
    goalClosedStatus: 'object',
    attainment: 'number',
    url: 'string',
  },
});

export function parseGoal(raw: unknown, projection?: Projection, where = 'goal'): Goal {
  const goal = readEntity(raw, GOAL, projection, where);
  for (const field of ['closedStatus', 'goalClosedStatus'] as const) {
    const status = goal[field];
    if (isObject(status) && typeof status.status !== 'string') delete goal[field];
  }
  return goal as Goal;
}

const SESSION = compile({
  what: 'session',
  essential: { id: 'string' },
  optional: { title: 'string', name: 'string', status: 'string', start: 'string', end: 'string' },
});

export function parseSession(raw: unknown, projection?: Projection, where = 'session'): Session {
  return readEntity(raw, SESSION, projection, where) as Session;
}

/** The v2 envelope `{items, totalCount}`; a bare array is accepted too (totalCount then unknown). */
export function parseListEnvelope<T>(raw: unknown, parseItem: (item: unknown, where: string) => T, what: string): Page<T> {
  let items: unknown;
  let totalCount: unknown;
  if (Array.isArray(raw)) items = raw;
  else if (isObject(raw)) ({ items, totalCount } = raw);
  else throw new ResponseShapeError(`expected a ${what} list ({items, totalCount}), got ${describe(raw)}`);
  if (!Array.isArray(items)) throw new ResponseShapeError(`${what} list: items should be an array, got ${describe(items)}`);
  const parsed = items.map((item, index) => parseItem(item, `${what} list item ${index}`));
  const count = typeof totalCount === 'number' && Number.isFinite(totalCount) && totalCount >= 0 ? totalCount : undefined;
  return { items: parsed, totalCount: count };
}

/** `{results: [...]}` as the client types it; a bare array of results is accepted too. */
export function parseBulkCheckInResponse(raw: unknown): BulkCheckInResponse {
  const results: unknown = Array.isArray(raw) ? raw : isObject(raw) ? (raw.results ?? raw.items) : undefined;
  if (!Array.isArray(results)) throw new ResponseShapeError(`bulk check-in: expected {results: [...]}, got ${describe(raw)}`);
  const parsedResults = results.map((item, index): BulkCheckInResult => {
    const where = `bulk check-in result ${index}`;
    if (!isObject(item)) throw new ResponseShapeError(`${where}: expected an object, got ${describe(item)}`);
    const result = item;
    if (typeof result.metricId !== 'string') throw new ResponseShapeError(`${where}: metricId should be a string, got ${describe(result.metricId)}`);
    if (result.snapshot !== undefined && result.snapshot !== null) result.snapshot = parseSnapshot(result.snapshot, `${where} snapshot`);
    else delete result.snapshot;
    if (result.error !== undefined && typeof result.error !== 'string') {
      result.error = isObject(result.error) && typeof result.error.message === 'string' ? result.error.message : JSON.stringify(result.error);
    }
    return result as BulkCheckInResult;
  });
  return Object.assign(isObject(raw) ? raw : {}, { results: parsedResults }) as BulkCheckInResponse;
}
