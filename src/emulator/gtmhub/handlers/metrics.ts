import { readFormatting } from '../guesses.js';
import { badRequest } from '../http-error.js';
import { parseListQuery, runListQuery } from '../list-query.js';
import { createMetric, deleteMetric, existingMetric, patchMetric, replaceMetric } from '../metric-writes.js';
import { isObjectId } from '../object-id.js';
import type { Handler, RequestContext } from '../router.js';
import type { EmulatorMetric } from '../types.js';
import { ReadContext, metricView } from '../views.js';

function metricDto(ctx: RequestContext, metric: EmulatorMetric): Record<string, unknown> {
  return metricView(new ReadContext(ctx.model, readFormatting(ctx.query.get('formatting'))), 'v1').toDto(metric);
}

/** GET /v2/metrics */
export const listMetrics: Handler = (ctx) => {
  const query = parseListQuery(ctx.query);
  const view = metricView(new ReadContext(ctx.model, query.formatting));
  return { status: 200, body: runListQuery(ctx.model.state.metrics, query, view) };
};

/** GET /v1/metrics/owner/{ownerId} — deprecated by the seed in favour of the ownerIds filter. */
export const listMetricsOfOwner: Handler = (ctx) => {
  const ownerId = ctx.params.ownerId!;
  if (!isObjectId(ownerId)) throw badRequest(`invalid owner id "${ownerId}": expected a 24-hex ObjectId`);
  const view = metricView(new ReadContext(ctx.model, readFormatting(ctx.query.get('formatting'))), 'v1');
  const items = ctx.model.state.metrics.filter((metric) => metric.ownerIds.includes(ownerId)).map(view.toDto);
  return { status: 200, body: { items, totalCount: items.length } };
};

/** GET /v1/metrics/{metricId} */
export const getMetric: Handler = (ctx) => ({ status: 200, body: metricDto(ctx, existingMetric(ctx.model, ctx.params.metricId!)) });

/** POST /v1/metrics */
export const postMetric: Handler = (ctx) => ({ status: 201, body: metricDto(ctx, createMetric(ctx.model, ctx.body(), ctx.token.userId)) });

/** PUT /v1/metrics/{metricId} */
export const putMetric: Handler = (ctx) => {
  existingMetric(ctx.model, ctx.params.metricId!);
  return { status: 200, body: metricDto(ctx, replaceMetric(ctx.model, ctx.params.metricId!, ctx.body())) };
};

/** PATCH /v1/metrics/{metricId} */
export const patchMetricHandler: Handler = (ctx) => {
  existingMetric(ctx.model, ctx.params.metricId!);
  return { status: 200, body: metricDto(ctx, patchMetric(ctx.model, ctx.params.metricId!, ctx.body())) };
};

/** DELETE /v1/metrics/{metricId} */
export const deleteMetricHandler: Handler = (ctx) => {
  deleteMetric(ctx.model, ctx.params.metricId!);
  return { status: 204 };
};
