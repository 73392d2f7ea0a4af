import { readGoalStatus } from '../guesses.js';
import { badRequest, notFound } from '../http-error.js';
import { parseListQuery, runListQuery } from '../list-query.js';
import { isObjectId } from '../object-id.js';
import type { Handler, RequestContext } from '../router.js';
import type { EmulatorGoal } from '../types.js';
import { ReadContext, goalView } from '../views.js';

function existingGoal(ctx: RequestContext): EmulatorGoal {
  const id = ctx.params.id!;
  if (!isObjectId(id)) throw badRequest(`invalid goal id "${id}": expected a 24-hex ObjectId`);
  const goal = ctx.model.goal(id);
  if (!goal) throw notFound(`goal ${id} not found`);
  return goal;
}

/** GET /v2/goals */
export const listGoals: Handler = (ctx) => {
  const query = parseListQuery(ctx.query);
  return { status: 200, body: runListQuery(ctx.model.state.goals, query, goalView(new ReadContext(ctx.model, query.formatting))) };
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
