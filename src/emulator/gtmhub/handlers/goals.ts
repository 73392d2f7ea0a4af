import { V1_GOALS_OWNER_FILTER_NESTS_ONLY_OWNED_METRICS, goalMetricSummary, readGoalStatus } from '../guesses.js';
import { badRequest, notFound } from '../http-error.js';
import { parseFields, parseListQuery, project, runListQuery, type EntityView } from '../list-query.js';
import { isObjectId } from '../object-id.js';
import type { Handler, RequestContext } from '../router.js';
import type { EmulatorGoal, EmulatorMetric } from '../types.js';
import { ReadContext, goalView } from '../views.js';

function existingGoal(ctx: RequestContext): EmulatorGoal {
  const id = ctx.params.id!;
  if (!isObjectId(id)) throw badRequest(`invalid goal id "${id}": expected a 24-hex ObjectId`);
  const goal = ctx.model.goal(id);
  if (!goal) throw notFound(`goal ${id} not found`);
  return goal;
}

function flag(ctx: RequestContext, name: string): boolean {
  const value = ctx.query.get(name);
  if (value === null || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw badRequest(`${name} must be true or false, got "${value}"`);
}

function optionalId(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.query.get(name);
  if (value === null || value === '') return undefined;
  if (!isObjectId(value)) throw badRequest(`${name} must be a 24-hex ObjectId, got "${value}"`);
  return value;
}

/** GET /v2/goals — `metrics` only when the projection asks for it. */
export const listGoals: Handler = (ctx) => {
  const query = parseListQuery(ctx.query);
  return { status: 200, body: runListQuery(ctx.model.state.goals, query, goalView(new ReadContext(ctx.model, query.formatting))) };
};

/**
 * GET /v1/goals — what public clients call: `sessionId`, `metricOwnerId` and `includeMetrics`
 * (nested metrics carrying `ownerId`), plus the list parameters; `{items, totalCount}`.
 */
export const listGoalsV1: Handler = (ctx) => {
  const query = parseListQuery(ctx.query);
  const sessionId = optionalId(ctx, 'sessionId');
  const ownerId = optionalId(ctx, 'metricOwnerId');
  const includeMetrics = flag(ctx, 'includeMetrics');
  const read = new ReadContext(ctx.model, query.formatting);
  const base = goalView(read);
  const nested = (goal: EmulatorGoal): EmulatorMetric[] => {
    const metrics = read.metricsOfGoal(goal.id);
    return ownerId && V1_GOALS_OWNER_FILTER_NESTS_ONLY_OWNED_METRICS ? metrics.filter((m) => m.ownerIds.includes(ownerId)) : metrics;
  };
  const view: EntityView<EmulatorGoal> = {
    readField: base.readField,
    toDto: (goal) => (includeMetrics ? { ...base.toDto(goal), metrics: nested(goal).map(goalMetricSummary) } : base.toDto(goal)),
  };
  const goals = ctx.model.state.goals.filter(
    (goal) => (!sessionId || goal.sessionId === sessionId) && (!ownerId || read.metricsOfGoal(goal.id).some((m) => m.ownerIds.includes(ownerId))),
  );
  return { status: 200, body: runListQuery(goals, query, view) };
};

/** GET /v1/goals/{id} — the goal with its key results; `fields` projects it (id always kept). */
export const getGoal: Handler = (ctx) => {
  const goal = existingGoal(ctx);
  const view = goalView(new ReadContext(ctx.model));
  const dto = { ...view.toDto(goal), metrics: view.readField(goal, 'metrics') };
  const fields = ctx.query.get('fields');
  return { status: 200, body: fields && fields.trim() !== '' ? project(dto, parseFields(fields)) : dto };
};

/** PUT /v1/goals/{id}/status */
export const putGoalStatus: Handler = (ctx) => {
  const goal = existingGoal(ctx);
  goal.closedStatus = readGoalStatus(ctx.body(), ctx.model.now(), ctx.token.userId);
  return { status: 204 };
};

/** DELETE /v1/goals/{id}/status — the goal is active again. */
export const deleteGoalStatus: Handler = (ctx) => {
  existingGoal(ctx).closedStatus = null;
  return { status: 204 };
};
