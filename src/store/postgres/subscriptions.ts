import type pg from 'pg';
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
import { inTransaction } from './transaction.js';
import { leaseEnd, validDate } from './values.js';

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
  created_at: Date;
  last_period: string | null;
  last_posted_at: Date | null;
}

interface RunRow {
  subscription_id: number;
  period: string;
  status: SummaryRunStatus;
  attempts: number;
  lease_until: Date | null;
  claimed_at: Date;
  finished_at: Date | null;
  message_ts: string | null;
  error: string | null;
}

interface RequestRow {
  id: string;
  channel_id: string;
  requested_by: string;
  scope: string;
  created_at: Date;
  expires_at: Date;
  posted_at: Date | null;
  cancelled_at: Date | null;
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
    createdAt: row.created_at,
    lastPeriod: row.last_period,
    lastPostedAt: row.last_posted_at,
  };
}

function runFromRow(row: RunRow): SummaryRun {
  return {
    subscriptionId: row.subscription_id,
    period: row.period,
    status: row.status,
    attempts: row.attempts,
    leaseUntil: row.lease_until,
    claimedAt: row.claimed_at,
    finishedAt: row.finished_at,
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
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    postedAt: row.posted_at,
    cancelledAt: row.cancelled_at,
  };
}

const changed = (result: pg.QueryResult) => (result.rowCount ?? 0) > 0;

/** Summary subscriptions, runs, baselines and requests (migration 003). Every state change is one conditional statement. */
export function postgresSubscriptionStore(pool: pg.Pool): SubscriptionStore {
  return {
    async createSubscription(s) {
      const { rows } = await pool.query<SubscriptionRow>(
        `INSERT INTO summary_subscriptions
           (channel_id, created_by, frequency, day, time_of_day, time_zone, scope, anchor_date, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9)
         RETURNING *`,
        [s.channelId, s.createdBy, s.frequency, s.day, s.timeOfDay, s.timeZone, s.scope, s.anchorDate, validDate(s.createdAt)],
      );
      if (!rows[0]) throw new Error('summary subscription insert returned nothing');
      return subscriptionFromRow(rows[0]);
    },
    async getSubscription(id) {
      const { rows } = await pool.query<SubscriptionRow>('SELECT * FROM summary_subscriptions WHERE id = $1', [id]);
      return rows[0] ? subscriptionFromRow(rows[0]) : null;
    },
    async listSubscriptions(options = {}) {
      const { rows } = await pool.query<SubscriptionRow>(
        `SELECT * FROM summary_subscriptions
         WHERE ($1::text IS NULL OR channel_id = $1) AND ($2::text IS NULL OR status = $2)
         ORDER BY id`,
        [options.channelId ?? null, options.status ?? null],
      );
      return rows.map(subscriptionFromRow);
    },
    async deleteSubscription(id, channelId) {
      return changed(await pool.query('DELETE FROM summary_subscriptions WHERE id = $1 AND channel_id = $2', [id, channelId]));
    },
    async pauseSubscription(id, reason) {
      return changed(await pool.query(`UPDATE summary_subscriptions SET status = 'paused', paused_reason = $2 WHERE id = $1 AND status = 'active'`, [id, reason]));
    },
    async resumeSubscription(id, channelId) {
      return changed(
        await pool.query(
          `UPDATE summary_subscriptions SET status = 'active', paused_reason = NULL WHERE id = $1 AND channel_id = $2 AND status = 'paused'`,
          [id, channelId],
        ),
      );
    },

    async claimSummaryRun(subscriptionId, period, now, leaseMs) {
      // The compare-and-set: a new period inserts; an existing row is taken over only when its holder's
      // lease ran out (the process died) or its retry time came. Posted/skipped/failed rows never match.
      const { rows } = await pool.query<RunRow>(
        `INSERT INTO summary_runs (subscription_id, period, status, attempts, lease_until, claimed_at)
         VALUES ($1, $2, 'running', 1, $4, $3)
         ON CONFLICT (subscription_id, period) DO UPDATE SET
           status = 'running', attempts = summary_runs.attempts + 1, lease_until = excluded.lease_until, claimed_at = excluded.claimed_at
         WHERE summary_runs.status IN ('running', 'retry') AND summary_runs.lease_until <= $3
         RETURNING *`,
        [subscriptionId, period, validDate(now), leaseEnd(now, leaseMs)],
      );
      return rows[0] ? runFromRow(rows[0]) : null;
    },
    async finishSummaryRun(subscriptionId, period, outcome, now) {
      const messageTs = outcome.status === 'posted' ? outcome.messageTs : null;
      const error = outcome.status === 'skipped' ? outcome.reason : outcome.status === 'failed' ? outcome.error : null;
      validDate(now);
      await inTransaction(pool, async (client) => {
        const finished = await client.query(
          `UPDATE summary_runs SET status = $3, finished_at = $4, lease_until = NULL, message_ts = $5, error = $6
           WHERE subscription_id = $1 AND period = $2 AND status = 'running'`,
          [subscriptionId, period, outcome.status, now, messageTs, error],
        );
        if (!changed(finished)) return;
        await client.query(
          `UPDATE summary_subscriptions
           SET last_period = $2, last_posted_at = CASE WHEN $4 THEN $3 ELSE last_posted_at END
           WHERE id = $1 AND (last_period IS NULL OR last_period < $2 COLLATE "C")`,
          [subscriptionId, period, now, outcome.status === 'posted'],
        );
      });
    },
    async retrySummaryRun(subscriptionId, period, retryAt, error) {
      await pool.query(
        `UPDATE summary_runs SET status = 'retry', lease_until = $3, error = $4
         WHERE subscription_id = $1 AND period = $2 AND status = 'running'`,
        [subscriptionId, period, validDate(retryAt), error],
      );
    },
    async getSummaryRun(subscriptionId, period) {
      const { rows } = await pool.query<RunRow>('SELECT * FROM summary_runs WHERE subscription_id = $1 AND period = $2', [subscriptionId, period]);
      return rows[0] ? runFromRow(rows[0]) : null;
    },

    async getSummaryBaseline(key) {
      const { rows } = await pool.query<{ metric_id: string; attainment: number; actual: number | null; taken_at: Date }>(
        'SELECT metric_id, attainment, actual, taken_at FROM summary_baselines WHERE baseline_key = $1',
        [key],
      );
      if (rows.length === 0) return null;
      const values = new Map<string, BaselineValue>();
      let takenAt = 0;
      for (const row of rows) {
        values.set(row.metric_id, { metricId: row.metric_id, attainment: row.attainment, actual: row.actual });
        takenAt = Math.max(takenAt, row.taken_at.getTime());
      }
      return { takenAt: new Date(takenAt), values };
    },
    async replaceSummaryBaseline(key, values, takenAt) {
      validDate(takenAt);
      await inTransaction(pool, async (client) => {
        await client.query('DELETE FROM summary_baselines WHERE baseline_key = $1', [key]);
        if (values.length === 0) return;
        await client.query(
          `INSERT INTO summary_baselines (baseline_key, metric_id, attainment, actual, taken_at)
           SELECT $1, metric_id, attainment, actual, $5 FROM unnest($2::text[], $3::float8[], $4::float8[]) AS v (metric_id, attainment, actual)`,
          [key, values.map((v) => v.metricId), values.map((v) => v.attainment), values.map((v) => v.actual), takenAt],
        );
      });
    },

    async createSummaryRequest(request) {
      // Old requests are of no use to anyone; each new one sweeps what expired a day ago.
      await pool.query('DELETE FROM summary_requests WHERE expires_at < $1', [new Date(validDate(request.createdAt).getTime() - 24 * 3600_000)]);
      const { rows } = await pool.query<RequestRow>(
        `INSERT INTO summary_requests (id, channel_id, requested_by, scope, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [request.id, request.channelId, request.requestedBy, request.scope, request.createdAt, validDate(request.expiresAt)],
      );
      if (!rows[0]) throw new Error('summary request insert returned nothing');
      return requestFromRow(rows[0]);
    },
    async getSummaryRequest(id) {
      const { rows } = await pool.query<RequestRow>('SELECT * FROM summary_requests WHERE id = $1', [id]);
      return rows[0] ? requestFromRow(rows[0]) : null;
    },
    async claimSummaryRequest(id, now) {
      const { rows } = await pool.query<RequestRow>(
        `UPDATE summary_requests SET posted_at = $2
         WHERE id = $1 AND posted_at IS NULL AND cancelled_at IS NULL AND expires_at > $2 RETURNING *`,
        [id, validDate(now)],
      );
      return rows[0] ? requestFromRow(rows[0]) : null;
    },
    async releaseSummaryRequest(id) {
      await pool.query('UPDATE summary_requests SET posted_at = NULL WHERE id = $1', [id]);
    },
    async cancelSummaryRequest(id, now) {
      return changed(
        await pool.query('UPDATE summary_requests SET cancelled_at = $2 WHERE id = $1 AND posted_at IS NULL AND cancelled_at IS NULL', [id, validDate(now)]),
      );
    },
  };
}
