/**
 * Create (POST), replace (PUT: a missing attribute becomes its zero value, as the seed says) and
 * patch (PATCH: only what is given) of metrics. Read-only attributes in a body (id, actual,
 * attainment, history, ...) are ignored: values change through check-ins only.
 */
import { attainmentOf } from './attainment.js';
import { NO_DUE_DATE, isIsoDate } from './dates.js';
import { METRIC_CREATE_DEFAULTS, PUT_WITHOUT_GOAL_KEEPS_GOAL } from './guesses.js';
import { refuseWrappedBody } from './bare-body.js';
import { badRequest, notFound } from './http-error.js';
import type { EmulatorModel } from './model.js';
import { isObjectId } from './object-id.js';
import type { EmulatorMetric, EmulatorMetricFormat, ObjectId } from './types.js';

interface WritableAttribute {
  /** Go's zero value of the attribute's type. */
  zero: () => unknown;
  /** Validates a given value and returns what is stored; throws HttpError 400. */
  read: (value: unknown, model: EmulatorModel) => unknown;
}

const text = (name: string): WritableAttribute => ({
  zero: () => '',
  read: (value) => {
    if (typeof value !== 'string') throw badRequest(`${name} must be a string`);
    return value;
  },
});

const number = (name: string): WritableAttribute => ({
  zero: () => 0,
  read: (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`${name} must be a number`);
    return value;
  },
});

export const WRITABLE_METRIC_ATTRIBUTES: Record<string, WritableAttribute> = {
  name: text('name'),
  description: text('description'),
  initialValue: number('initialValue'),
  target: number('target'),
  targetOperator: text('targetOperator'),
  manualType: text('manualType'),
  insightName: text('insightName'),
  critical: {
    zero: () => null,
    read: (value) => {
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) throw badRequest('critical must be a number or null');
      return value;
    },
  },
  dynamic: {
    zero: () => false,
    read: (value) => {
      if (typeof value !== 'boolean') throw badRequest('dynamic must be true or false');
      return value;
    },
  },
  dueDate: {
    zero: () => NO_DUE_DATE,
    read: (value) => {
      if (typeof value !== 'string' || !(value.startsWith('0001-01-01') || isIsoDate(value))) {
        throw badRequest(`dueDate must be an ISO-8601 date, got ${JSON.stringify(value)}`);
      }
      return value.startsWith('0001-01-01') ? NO_DUE_DATE : new Date(value).toISOString();
    },
  },
  ownerIds: {
    zero: () => [],
    read: (value, model) => {
      if (!Array.isArray(value) || !value.every(isObjectId)) throw badRequest('ownerIds must be an array of 24-hex ids');
      const unknown = value.filter((id) => !model.isOwner(id));
      if (unknown.length > 0) throw badRequest(`ownerIds: no user or team with id ${unknown.join(', ')}`);
      return [...value];
    },
  },
  format: {
    zero: (): EmulatorMetricFormat => ({ prefix: '', suffix: '', fractionSize: 0 }),
    read: (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('format must be an object');
      const { prefix = '', suffix = '', fractionSize = 0 } = value as Record<string, unknown>;
      if (typeof prefix !== 'string' || typeof suffix !== 'string') throw badRequest('format.prefix and format.suffix must be strings');
      if (typeof fractionSize !== 'number' || !Number.isInteger(fractionSize) || fractionSize < 0 || fractionSize > 10) {
        throw badRequest('format.fractionSize must be an integer between 0 and 10');
      }
      return { prefix, suffix, fractionSize } satisfies EmulatorMetricFormat;
    },
  },
  customFields: {
    zero: () => ({}),
    read: (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('customFields must be an object');
      return { ...value };
    },
  },
};

export function createMetric(model: EmulatorModel, body: unknown, userId: ObjectId): EmulatorMetric {
  const input = bodyObject(body);
  if (typeof input.name !== 'string' || input.name.trim() === '') throw badRequest('name is required');
  if (input.goalId === undefined) throw badRequest('goalId is required');
  const goalId = readGoalId(model, input.goalId);
  const now = model.now().toISOString();
  const metric = {
    id: model.ids.next(),
    goalId,
    sessionId: sessionForNewGoal(model, goalId),
    actual: 0,
    attainment: 0,
    dateCreated: now,
    createdById: userId,
    confidence: null,
    lastCheckInDate: null,
    metricHistory: [],
  } as unknown as EmulatorMetric;
  Object.assign(metric, readAttributes(model, { ...METRIC_CREATE_DEFAULTS, ownerIds: [userId], ...input }, 'replace'));
  metric.actual = metric.initialValue;
  metric.attainment = attainmentOf(metric);
  model.state.metrics.push(metric);
  return metric;
}

export function replaceMetric(model: EmulatorModel, metricId: string, body: unknown): EmulatorMetric {
  const metric = existingMetric(model, metricId);
  const input = bodyObject(body);
  const updates = readAttributes(model, input, 'replace');
  moveToGoal(model, metric, input.goalId === undefined && PUT_WITHOUT_GOAL_KEEPS_GOAL ? undefined : input.goalId);
  Object.assign(metric, updates);
  metric.attainment = attainmentOf(metric);
  return metric;
}

export function patchMetric(model: EmulatorModel, metricId: string, body: unknown): EmulatorMetric {
  const metric = existingMetric(model, metricId);
  const input = bodyObject(body);
  const updates = readAttributes(model, input, 'patch');
  moveToGoal(model, metric, input.goalId);
  Object.assign(metric, updates);
  metric.attainment = attainmentOf(metric);
  return metric;
}

export function deleteMetric(model: EmulatorModel, metricId: string): void {
  existingMetric(model, metricId);
  model.removeMetric(metricId);
}

export function existingMetric(model: EmulatorModel, metricId: string): EmulatorMetric {
  if (!isObjectId(metricId)) throw badRequest(`invalid metric id "${metricId}": expected a 24-hex ObjectId`);
  const metric = model.metric(metricId);
  if (!metric) throw notFound(`metric ${metricId} not found`);
  return metric;
}

/** Validates every attribute before anything is written, so a 400 leaves the metric untouched. */
function readAttributes(model: EmulatorModel, input: Record<string, unknown>, mode: 'replace' | 'patch'): Partial<EmulatorMetric> {
  const updates: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(WRITABLE_METRIC_ATTRIBUTES)) {
    if (input[name] !== undefined) updates[name] = attribute.read(input[name], model);
    else if (mode === 'replace') updates[name] = attribute.zero();
  }
  return updates as Partial<EmulatorMetric>;
}

function moveToGoal(model: EmulatorModel, metric: EmulatorMetric, goalIdInput: unknown): void {
  if (goalIdInput === undefined) return;
  const goalId = readGoalId(model, goalIdInput);
  if (goalId === metric.goalId) return;
  metric.sessionId = sessionForNewGoal(model, goalId);
  metric.goalId = goalId;
}

function readGoalId(model: EmulatorModel, value: unknown): ObjectId {
  if (!isObjectId(value)) throw badRequest(`goalId must be a 24-hex ObjectId, got ${JSON.stringify(value)}`);
  if (!model.goal(value)) throw badRequest(`goal ${value} does not exist`);
  return value;
}

/** The seed: attaching a metric to a goal in a closed session is a 400. */
function sessionForNewGoal(model: EmulatorModel, goalId: ObjectId): ObjectId {
  const goal = model.goal(goalId)!;
  const session = model.session(goal.sessionId);
  if (session?.status === 'closed') throw badRequest(`goal ${goalId} belongs to the closed session "${session.title}"`);
  return goal.sessionId;
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body must be a JSON object (the metric)');
  refuseWrappedBody(body, 'metric', 'metric object {"name": …, "goalId": …}');
  return body as Record<string, unknown>;
}
