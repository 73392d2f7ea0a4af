/** Every path the emulator serves below /api: the 14 endpoints of the seed, plus what public clients call (README). */
import { getAccount } from './handlers/account.js';
import { deleteCheckInHandler, getCheckIn, patchCheckIn, postBulkCheckIns, postCheckIn } from './handlers/checkins.js';
import { listAssignees, listSessionsV1, listSessionsV2, listUsers } from './handlers/directory.js';
import { deleteGoalStatus, getGoal, listGoals, listGoalsV1, putGoalStatus } from './handlers/goals.js';
import {
  deleteMetricHandler,
  getMetric,
  listMetrics,
  listMetricsOfOwner,
  patchMetricHandler,
  postMetric,
  putMetric,
} from './handlers/metrics.js';
import type { Route } from './router.js';

/** Order matters: literal segments (`checkin`, `checkins`, `owner`) come before `:metricId`. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/v2/metrics', handler: listMetrics },
  { method: 'GET', pattern: '/v1/metrics/checkin/:checkinId', handler: getCheckIn },
  { method: 'PATCH', pattern: '/v1/metrics/checkin/:checkinId', handler: patchCheckIn },
  { method: 'DELETE', pattern: '/v1/metrics/checkin/:checkinId', handler: deleteCheckInHandler },
  { method: 'GET', pattern: '/v1/metrics/owner/:ownerId', handler: listMetricsOfOwner },
  { method: 'POST', pattern: '/v1/metrics/checkins', handler: postBulkCheckIns },
  { method: 'POST', pattern: '/v1/metrics', handler: postMetric },
  { method: 'POST', pattern: '/v1/metrics/:metricId/checkin', handler: postCheckIn },
  { method: 'GET', pattern: '/v1/metrics/:metricId', handler: getMetric },
  { method: 'PUT', pattern: '/v1/metrics/:metricId', handler: putMetric },
  { method: 'PATCH', pattern: '/v1/metrics/:metricId', handler: patchMetricHandler },
  { method: 'DELETE', pattern: '/v1/metrics/:metricId', handler: deleteMetricHandler },
  { method: 'PUT', pattern: '/v1/goals/:id/status', handler: putGoalStatus },
  { method: 'DELETE', pattern: '/v1/goals/:id/status', handler: deleteGoalStatus },
  { method: 'GET', pattern: '/v1/goals', handler: listGoalsV1 },
  { method: 'GET', pattern: '/v1/goals/:id', handler: getGoal },
  { method: 'GET', pattern: '/v2/goals', handler: listGoals },
  { method: 'GET', pattern: '/v2/users', handler: listUsers },
  { method: 'GET', pattern: '/v1/assignees', handler: listAssignees },
  { method: 'GET', pattern: '/v2/sessions', handler: listSessionsV2 },
  { method: 'GET', pattern: '/v1/sessions', handler: listSessionsV1 },
  { method: 'GET', pattern: '/v1/accounts/:id', handler: getAccount },
];
