import { filterSessionsByTimeframe, V1_SESSION_STATUS_PARAM } from '../guesses.js';
import { parseListQuery, runListQuery, type EntityView } from '../list-query.js';
import type { Handler } from '../router.js';
import { ReadContext, assigneeView, sessionView, userView, type AssigneeDto } from '../views.js';

/** GET /v2/users — `fields` is required (API-NOTES). */
export const listUsers: Handler = (ctx) => {
  const query = parseListQuery(ctx.query, { fieldsRequired: true });
  return { status: 200, body: runListQuery(ctx.model.state.users, query, userView(new ReadContext(ctx.model, query.formatting))) };
};

/** GET /v2/sessions — the documented list: fields, filter, sort, skip/limit. */
export const listSessionsV2: Handler = (ctx) => {
  const query = parseListQuery(ctx.query);
  return { status: 200, body: runListQuery(ctx.model.state.sessions, query, sessionView()) };
};

/**
 * GET /v1/sessions — what Gtmhub's CLI calls: `filter` is a timeframe word (`current`), `status`
 * a session status; answered as `{items, totalCount}`.
 */
export const listSessionsV1: Handler = (ctx) => {
  const status = ctx.query.get(V1_SESSION_STATUS_PARAM);
  const timeframe = filterSessionsByTimeframe(ctx.model.state.sessions, ctx.query.get('filter'), ctx.model.now());
  const items = timeframe.filter((session) => !status || status.split(',').includes(session.status));
  const view = sessionView();
  return { status: 200, body: { items: items.map(view.toDto), totalCount: items.length } };
};

/** GET /v1/assignees — users and teams together, each with `type`; the v2 list parameters apply. */
export const listAssignees: Handler = (ctx) => {
  const read = new ReadContext(ctx.model);
  const query = parseListQuery(ctx.query);
  const all: AssigneeDto[] = [...ctx.model.state.users.map((user) => read.assignee(user.id)), ...ctx.model.state.teams.map((team) => read.assignee(team.id))];
  const view: EntityView<AssigneeDto> = assigneeView();
  return { status: 200, body: runListQuery(all, query, view) };
};
