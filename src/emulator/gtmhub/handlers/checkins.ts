import { checkIn, deleteCheckIn, findCheckIn, readCheckIn, updateCheckInComment } from '../checkins.js';
import { bulkCheckInResponse, bulkItemResult, readBulkCheckInItems, readCommentPatch, snapshotResponse } from '../guesses.js';
import { HttpError } from '../http-error.js';
import type { Handler } from '../router.js';

/** POST /v1/metrics/{metricId}/checkin */
export const postCheckIn: Handler = (ctx) => {
  const input = readCheckIn(ctx.body());
  return { status: 201, body: snapshotResponse(checkIn(ctx.model, ctx.params.metricId!, input, ctx.token.userId)) };
};

/** POST /v1/metrics/checkins — one result per item, in order; items succeed or fail independently. */
export const postBulkCheckIns: Handler = (ctx) => {
  const items = readBulkCheckInItems(ctx.body());
  const results = items.map((item) => {
    const metricId = typeof item === 'object' && item !== null && typeof (item as { metricId?: unknown }).metricId === 'string'
      ? (item as { metricId: string }).metricId
      : '';
    try {
      if (metricId === '') throw new HttpError(400, 'metricId is required');
      return bulkItemResult(metricId, { snapshot: checkIn(ctx.model, metricId, readCheckIn(item), ctx.token.userId) });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return bulkItemResult(metricId, { status: error.status, error: error.message });
    }
  });
  return { status: 200, body: bulkCheckInResponse(results) };
};

/** GET /v1/metrics/checkin/{checkinId} */
export const getCheckIn: Handler = (ctx) => ({ status: 200, body: snapshotResponse(findCheckIn(ctx.model, ctx.params.checkinId!)) });

/** PATCH /v1/metrics/checkin/{checkinId} — only the comment changes. */
export const patchCheckIn: Handler = (ctx) => {
  findCheckIn(ctx.model, ctx.params.checkinId!);
  updateCheckInComment(ctx.model, ctx.params.checkinId!, readCommentPatch(ctx.body()));
  return { status: 204 };
};

/** DELETE /v1/metrics/checkin/{checkinId} — account admins only. */
export const deleteCheckInHandler: Handler = (ctx) => {
  if (ctx.token.role !== 'admin') throw new HttpError(403, 'only account admins may delete check-ins');
  deleteCheckIn(ctx.model, ctx.params.checkinId!);
  return { status: 204 };
};
