import { parseListQuery, runListQuery } from '../list-query.js';
import type { Handler } from '../router.js';
import { ReadContext, sessionView, userView } from '../views.js';

/** GET /v2/users — `fields` is required (API-NOTES). */
export const listUsers: Handler = (ctx) => {
  const query = parseListQuery(ctx.query, { fieldsRequired: true });
  return { status: 200, body: runListQuery(ctx.model.state.users, query, userView(new ReadContext(ctx.model, query.formatting))) };
};

/** GET /v1/sessions */
export const listSessions: Handler = (ctx) => {
  const query = parseListQuery(ctx.query);
  return { status: 200, body: runListQuery(ctx.model.state.sessions, query, sessionView()) };
};
