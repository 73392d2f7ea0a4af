import type { Database } from 'better-sqlite3';
import type {
  BaselineValue,
  SubscriptionStatus,
  SubscriptionStore,
  SummaryFrequency,
  SummaryRequest,
  SummaryRun,
  SummaryRunStatus,
  SummarySubscription,
} from '../subscription-store.js';
import { fromMillis, fromMillisOrNull, toMillis } from './dates.js';

interface SubscriptionRow {
  id: number;
  channel_id: string;
  created_by: string;
  frequency: SummaryFrequency;
  day: number | null;
  time_of_day: string;
  time_zone: string;
  scope: string;
  anchor_date: string;
  status: SubscriptionStatus;
  paused_reason: string | null;
  created_at: number;
  last_period: string | null;
  last_posted_at: number | null;
}

interface RunRow {
  subscription_id: number;
  period: string;
  status: SummaryRunStatus;
  attempts: number;
  lease_until: number | null;
  claimed_at: number;
  finished_at: number | null;
  message_ts: string | null;
  error: string | null;
}

interface BaselineRow {
  metric_id: string;
  attainment: number;
  actual: number | null;
  taken_at: number;
}

interface RequestRow {
  id: string;
  channel_id: string;
  requested_by: string;
  scope: string;
  created_at: number;
  expires_at: number;
  posted_at: number | null;
  cancelled_at: number | null;
}

function subscriptionFromRow(row: SubscriptionRow): SummarySubscription {
  return {
    id: row.id,
    channelId: row.channel_id,
    createdBy: row.created_by,
    frequency: row.frequency,
    day: row.day,
    timeOfDay: row.time_of_day,
    timeZone: row.time_zone,
    scope: row.scope,
    anchorDate: row.anchor_date,
    status: row.status,
    pausedReason: row.paused_reason,
    createdAt: fromMillis(row.created_at),
    lastPeriod: row.last_period,
    lastPostedAt: fromMillisOrNull(row.last_posted_at),
  };
}

function runFromRow(row: RunRow): SummaryRun {
  return {
    subscriptionId: row.subscription_id,
    period: row.period,
    status: row.status,
    attempts: row.attempts,
    leaseUntil: fromMillisOrNull(row.lease_until),
    claimedAt: fromMillis(row.claimed_at),
    finishedAt: fromMillisOrNull(row.finished_at),
    messageTs: row.message_ts,
    error: row.error,
  };
}

function requestFromRow(row: RequestRow): SummaryRequest {
  return {
    id: row.id,
    channelId: row.channel_id,
    requestedBy: row.requested_by,
    scope: row.scope,
    createdAt: fromMillis(row.created_at),
    expiresAt: fromMillis(row.expires_at),
    postedAt: fromMillisOrNull(row.posted_at),
    cancelledAt: fromMillisOrNull(row.cancelled_at),
  };
}

/** Summary subscriptions, runs, baselines and requests (migration 003). Every state change is one conditional statement. */
export function sqliteSubscriptionStore(db: Database): SubscriptionStore {
  const insertSubscription = db.prepare<Record<string, unknown>, SubscriptionRow>(
    `INSERT INTO summary_subscriptions
       (channel_id, created_by, frequency, day, time_of_day, time_zone, scope, anchor_date, status, created_at)
     VALUES (@channelId, @createdBy, @frequency, @day, @timeOfDay, @timeZone, @scope, @anchorDate, 'active', @createdAt)
     RETURNING *`,
  );
  const subscriptionById = db.prepare<[number], SubscriptionRow>('SELECT * FROM summary_subscriptions WHERE id = ?');
  const allSubscriptions = db.prepare<[], SubscriptionRow>('SELECT * FROM summary_subscriptions ORDER BY id');
  const subscriptionsByChannel = db.prepare<[string], SubscriptionRow>('SELECT * FROM summary_subscriptions WHERE channel_id = ? ORDER BY id');
  const subscriptionsByStatus = db.prepare<[string], SubscriptionRow>('SELECT * FROM summary_subscriptions WHERE status = ? ORDER BY id');
  const deleteSubscription = db.prepare('DELETE FROM summary_subscriptions WHERE id = ? AND channel_id = ?');
  const pause = db.prepare(`UPDATE summary_subscriptions SET status = 'paused', paused_reason = ? WHERE id = ? AND status = 'active'`);
  const resume = db.prepare(
    `UPDATE summary_subscriptions SET status = 'active', paused_reason = NULL WHERE id = ? AND channel_id = ? AND status = 'paused'`,
  );

  // The compare-and-set: a new period inserts; an existing row is taken over only when its holder's
  // lease ran out (the process died) or its retry time came. Posted/skipped/failed rows never match.
  const claimRun = db.prepare<{ id: number; period: string; now: number; leaseUntil: number }, RunRow>(
    `INSERT INTO summary_runs (subscription_id, period, status, attempts, lease_until, claimed_at)
     VALUES (@id, @period, 'running', 1, @leaseUntil, @now)
     ON CONFLICT (subscription_id, period) DO UPDATE SET
       status = 'running', attempts = summary_runs.attempts + 1, lease_until = excluded.lease_until, claimed_at = excluded.claimed_at
     WHERE summary_runs.status IN ('running', 'retry') AND summary_runs.lease_until <= @now
     RETURNING *`,
  );
  const finishRun = db.prepare(
    `UPDATE summary_runs SET status = @status, finished_at = @now, lease_until = NULL, message_ts = @messageTs, error = @error
     WHERE subscription_id = @id AND period = @period AND status = 'running'`,
  );
  const recordLastPeriod = db.prepare(
    `UPDATE summary_subscriptions
     SET last_period = @period, last_posted_at = CASE WHEN @posted = 1 THEN @now ELSE last_posted_at END
     WHERE id = @id AND (last_period IS NULL OR last_period < @period)`,
  );
  const finish = db.transaction((params: { id: number; period: string; status: string; now: number; messageTs: string | null; error: string | null }) => {
    if (finishRun.run(params).changes === 0) return;
    recordLastPeriod.run({ id: params.id, period: params.period, now: params.now, posted: params.status === 'posted' ? 1 : 0 });
  });
  const retryRun = db.prepare(
    `UPDATE summary_runs SET status = 'retry', lease_until = @retryAt, error = @error
     WHERE subscription_id = @id AND period = @period AND status = 'running'`,
  );
  const runByKey = db.prepare<[number, string], RunRow>('SELECT * FROM summary_runs WHERE subscription_id = ? AND period = ?');

  const baselineRows = db.prepare<[string], BaselineRow>('SELECT metric_id, attainment, actual, taken_at FROM summary_baselines WHERE baseline_key = ?');
  const deleteBaseline = db.prepare('DELETE FROM summary_baselines WHERE baseline_key = ?');
  const insertBaseline = db.prepare(
    'INSERT INTO summary_baselines (baseline_key, metric_id, attainment, actual, taken_at) VALUES (?, ?, ?, ?, ?)',
  );
  const replaceBaseline = db.transaction((key: string, values: BaselineValue[], takenAt: number) => {
    deleteBaseline.run(key);
    for (const value of values) insertBaseline.run(key, value.metricId, value.attainment, value.actual, takenAt);
  });

  const insertRequest = db.prepare<Record<string, unknown>, RequestRow>(
    `INSERT INTO summary_requests (id, channel_id, requested_by, scope, created_at, expires_at)
     VALUES (@id, @channelId, @requestedBy, @scope, @createdAt, @expiresAt) RETURNING *`,
  );
  const requestById = db.prepare<[string], RequestRow>('SELECT * FROM summary_requests WHERE id = ?');
  const claimRequest = db.prepare<[number, string, number], RequestRow>(
    `UPDATE summary_requests SET posted_at = ?
     WHERE id = ? AND posted_at IS NULL AND cancelled_at IS NULL AND expires_at > ? RETURNING *`,
  );
  const releaseRequest = db.prepare('UPDATE summary_requests SET posted_at = NULL WHERE id = ?');
  const cancelRequest = db.prepare('UPDATE summary_requests SET cancelled_at = ? WHERE id = ? AND posted_at IS NULL AND cancelled_at IS NULL');
  // Old requests are of no use to anyone; each new one sweeps what expired a day ago.
  const pruneRequests = db.prepare('DELETE FROM summary_requests WHERE expires_at < ?');

  return {
    async createSubscription(s) {
      const row = insertSubscription.get({
        channelId: s.channelId,
        createdBy: s.createdBy,
        frequency: s.frequency,
        day: s.day,
        timeOfDay: s.timeOfDay,
        timeZone: s.timeZone,
        scope: s.scope,
        anchorDate: s.anchorDate,
        createdAt: toMillis(s.createdAt),
      });
      if (!row) throw new Error('summary subscription insert returned nothing');
      return subscriptionFromRow(row);
    },
    async getSubscription(id) {
      const row = subscriptionById.get(id);
      return row ? subscriptionFromRow(row) : null;
    },
    async listSubscriptions(options = {}) {
      let rows: SubscriptionRow[];
      if (options.channelId !== undefined) rows = subscriptionsByChannel.all(options.channelId);
      else if (options.status !== undefined) rows = subscriptionsByStatus.all(options.status);
      else rows = allSubscriptions.all();
      if (options.status !== undefined) rows = rows.filter((row) => row.status === options.status);
      return rows.map(subscriptionFromRow);
    },
    async deleteSubscription(id, channelId) {
      return deleteSubscription.run(id, channelId).changes > 0;
    },
    async pauseSubscription(id, reason) {
      return pause.run(reason, id).changes > 0;
    },
    async resumeSubscription(id, channelId) {
      return resume.run(id, channelId).changes > 0;
    },
    async claimSummaryRun(subscriptionId, period, now, leaseMs) {
      if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be positive, got ${leaseMs}`);
      const row = claimRun.get({ id: subscriptionId, period, now: toMillis(now), leaseUntil: toMillis(now) + Math.ceil(leaseMs) });
      return row ? runFromRow(row) : null;
    },
    async finishSummaryRun(subscriptionId, period, outcome, now) {
      finish.immediate({
        id: subscriptionId,
        period,
        status: outcome.status,
        now: toMillis(now),
        messageTs: outcome.status === 'posted' ? outcome.messageTs : null,
        error: outcome.status === 'skipped' ? outcome.reason : outcome.status === 'failed' ? outcome.error : null,
      });
    },
    async retrySummaryRun(subscriptionId, period, retryAt, error) {
      retryRun.run({ id: subscriptionId, period, retryAt: toMillis(retryAt), error });
    },
    async getSummaryRun(subscriptionId, period) {
      const row = runByKey.get(subscriptionId, period);
      return row ? runFromRow(row) : null;
    },
    async getSummaryBaseline(key) {
      const rows = baselineRows.all(key);
      if (rows.length === 0) return null;
      const values = new Map<string, BaselineValue>();
      let takenAt = 0;
      for (const row of rows) {
        values.set(row.metric_id, { metricId: row.metric_id, attainment: row.attainment, actual: row.actual });
        takenAt = Math.max(takenAt, row.taken_at);
      }
      return { takenAt: fromMillis(takenAt), values };
    },
    async replaceSummaryBaseline(key, values, takenAt) {
      replaceBaseline.immediate(key, values, toMillis(takenAt));
    },
    async createSummaryRequest(request) {
      pruneRequests.run(toMillis(request.createdAt) - 24 * 3600_000);
      const row = insertRequest.get({
        id: request.id,
        channelId: request.channelId,
        requestedBy: request.requestedBy,
        scope: request.scope,
        createdAt: toMillis(request.createdAt),
        expiresAt: toMillis(request.expiresAt),
      });
      if (!row) throw new Error('summary request insert returned nothing');
      return requestFromRow(row);
    },
    async getSummaryRequest(id) {
      const row = requestById.get(id);
      return row ? requestFromRow(row) : null;
    },
    async claimSummaryRequest(id, now) {
      const row = claimRequest.get(toMillis(now), id, toMillis(now));
      return row ? requestFromRow(row) : null;
    },
    async releaseSummaryRequest(id) {
      releaseRequest.run(id);
    },
    async cancelSummaryRequest(id, now) {
      return cancelRequest.run(toMillis(now), id).changes > 0;
    },
  };
}
