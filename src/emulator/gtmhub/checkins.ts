/** Check-ins ("snapshots"): the seed's rules for recording one and what it does to the metric. */
import { attainmentOf } from './attainment.js';
import { isIsoDate } from './dates.js';
import {
  CHECKIN_WITHOUT_CONFIDENCE_KEEPS_METRIC_CONFIDENCE,
  CONFIDENCE_RANGE,
  GOAL_STATUSES_REFUSING_CHECKINS,
  SESSION_STATUSES_REFUSING_CHECKINS,
  checkInDateOf,
  isPastDue,
  lastCheckInDateAfter,
  valueAfterHistoryChange,
} from './guesses.js';
import { refuseWrappedBody } from './bare-body.js';
import { badRequest, notFound } from './http-error.js';
import type { EmulatorModel } from './model.js';
import { isObjectId } from './object-id.js';
import type { EmulatorSnapshot, ObjectId } from './types.js';

export interface CheckInInput {
  actual: number;
  comment: string;
  confidence: number | null;
  checkInDate: string | null;
  customFields?: Record<string, unknown>;
}

/** Validates a check-in body: `{actual, comment?, confidence?, checkInDate?, customFields?}`. */
export function readCheckIn(body: unknown): CheckInInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body must be a JSON object with "actual"');
  refuseWrappedBody(body, 'checkIn', 'check-in object {"actual": …, "comment"?: …}');
  const record = body as Record<string, unknown>;
  const { actual, comment, confidence, checkInDate, customFields } = record;
  if (actual === undefined || actual === null) throw badRequest('actual is required');
  if (typeof actual !== 'number' || !Number.isFinite(actual)) throw badRequest(`actual must be a number, got ${JSON.stringify(actual)}`);
  if (comment !== undefined && comment !== null && typeof comment !== 'string') throw badRequest('comment must be a string');
  if (confidence !== undefined && confidence !== null) {
    if (typeof confidence !== 'number' || !Number.isFinite(confidence)) throw badRequest('confidence must be a number');
    if (confidence < CONFIDENCE_RANGE.min || confidence > CONFIDENCE_RANGE.max) {
      throw badRequest(`confidence must be between ${CONFIDENCE_RANGE.min} and ${CONFIDENCE_RANGE.max}, got ${confidence}`);
    }
  }
  if (checkInDate !== undefined && checkInDate !== null && (typeof checkInDate !== 'string' || !isIsoDate(checkInDate))) {
    throw badRequest(`checkInDate must be an ISO-8601 date, got ${JSON.stringify(checkInDate)}`);
  }
  if (customFields !== undefined && customFields !== null && (typeof customFields !== 'object' || Array.isArray(customFields))) {
    throw badRequest('customFields must be an object');
  }
  return {
    actual,
    comment: typeof comment === 'string' ? comment : '',
    confidence: typeof confidence === 'number' ? confidence : null,
    checkInDate: typeof checkInDate === 'string' ? new Date(checkInDate).toISOString() : null,
    ...(customFields ? { customFields: customFields as Record<string, unknown> } : {}),
  };
}

/** Records a check-in and updates the metric; throws HttpError 400/404 when the seed's rules refuse it. */
export function checkIn(model: EmulatorModel, metricId: string, input: CheckInInput, userId: ObjectId): EmulatorSnapshot {
  if (!isObjectId(metricId)) throw badRequest(`invalid metric id "${metricId}": expected a 24-hex ObjectId`);
  const metric = model.metric(metricId);
  if (!metric) throw notFound(`metric ${metricId} not found`);
  if (metric.dynamic) throw badRequest(`metric ${metricId} is dynamic (fed by ${metric.insightName || 'an insight'}); it cannot be checked in manually`);
  const goal = model.goal(metric.goalId);
  const goalStatus = goal?.closedStatus?.status;
  if (goalStatus && GOAL_STATUSES_REFUSING_CHECKINS.has(goalStatus)) throw badRequest(`the goal of metric ${metricId} is ${goalStatus}; it cannot be updated`);
  const session = model.session(metric.sessionId || goal?.sessionId || '');
  if (session && SESSION_STATUSES_REFUSING_CHECKINS.has(session.status)) {
    throw badRequest(`the session "${session.title}" of metric ${metricId} is ${session.status}; it cannot be updated`);
  }
  const now = model.now();
  if (isPastDue(metric.dueDate, now)) throw badRequest(`metric ${metricId} cannot be updated after its due date ${metric.dueDate}`);

  const createdAt = now.toISOString();
  const snapshot: EmulatorSnapshot = {
    id: model.ids.next(),
    metricId,
    value: input.actual,
    confidence: input.confidence,
    comment: input.comment,
    createdAt,
    checkInDate: checkInDateOf(input.checkInDate, now),
    changedBy: userId,
    ...(input.customFields ? { customFields: input.customFields } : {}),
  };
  model.state.snapshots.push(snapshot);

  metric.actual = input.actual;
  metric.attainment = attainmentOf(metric);
  if (input.confidence !== null || !CHECKIN_WITHOUT_CONFIDENCE_KEEPS_METRIC_CONFIDENCE) {
    metric.confidence = input.confidence === null ? null : { value: input.confidence, date: createdAt, userId };
  }
  metric.lastCheckInDate = lastCheckInDateAfter(metric.lastCheckInDate, snapshot.checkInDate);
  metric.metricHistory.push({
    changedBy: userId,
    comment: input.comment,
    createdAt,
    value: input.actual,
    confidence: input.confidence,
    snapshotId: snapshot.id,
  });
  return snapshot;
}

export function findCheckIn(model: EmulatorModel, checkinId: string): EmulatorSnapshot {
  if (!isObjectId(checkinId)) throw badRequest(`invalid checkin id "${checkinId}": expected a 24-hex ObjectId`);
  const snapshot = model.snapshot(checkinId);
  if (!snapshot) throw notFound(`checkin ${checkinId} not found`);
  return snapshot;
}

/** Only the comment changes, on the snapshot and on the metric's history entry. */
export function updateCheckInComment(model: EmulatorModel, checkinId: string, comment: string): void {
  const snapshot = findCheckIn(model, checkinId);
  snapshot.comment = comment;
  const entry = model.metric(snapshot.metricId)?.metricHistory.find((item) => item.snapshotId === checkinId);
  if (entry) entry.comment = comment;
}

export function deleteCheckIn(model: EmulatorModel, checkinId: string): void {
  const snapshot = findCheckIn(model, checkinId);
  model.removeSnapshot(checkinId);
  const metric = model.metric(snapshot.metricId);
  if (!metric) return;
  metric.metricHistory = metric.metricHistory.filter((entry) => entry.snapshotId !== checkinId);
  const after = valueAfterHistoryChange(metric);
  metric.actual = after.actual;
  metric.lastCheckInDate = after.lastCheckInDate;
  metric.attainment = attainmentOf(metric);
}
