import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { CheckInNotice, CheckInOrigin, NewOutboxEntry, OutboxEntry, OutboxStatus, OutboxStore } from '../store.js';
import { leaseEnd, validDate } from './values.js';

interface OutboxRow {
  id: number;
  idempotency_key: string;
  slack_user_id: string;
  gtmhub_user_id: string;
  metric_id: string;
  actual: number;
  confidence: number | null;
  comment: string;
  submitted_at: Date;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
  uncertain: boolean;
  snapshot_id: string | null;
  delivered_at: Date | null;
  origin: CheckInOrigin;
  reminder_id: number | null;
  context: unknown;
  notice: unknown;
  notice_attempts: number;
}

function outboxEntryFromRow(row: OutboxRow): OutboxEntry {
  const context = row.context;
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    slackUserId: row.slack_user_id,
    gtmhubUserId: row.gtmhub_user_id,
    metricId: row.metric_id,
    actual: row.actual,
    confidence: row.confidence,
    comment: row.comment,
    submittedAt: row.submitted_at,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    uncertain: row.uncertain,
    snapshotId: row.snapshot_id,
    deliveredAt: row.delivered_at,
    origin: row.origin,
    reminderId: row.reminder_id,
    context: context !== null && typeof context === 'object' && !Array.isArray(context) ? (context as Record<string, unknown>) : {},
  };
}

function checkNumber(name: string, value: number | null): void {
  if (value !== null && Number.isNaN(value)) throw new RangeError(`${name} must be a number, got NaN`);
}

/**
 * The check-in outbox (migration 001). Every state change is one conditional UPDATE; a batch claim
 * locks its rows with FOR UPDATE SKIP LOCKED, so replicas claiming at once take disjoint entries and
 * none waits for another. A claim whose lease ran out (its worker died) is claimable again.
 */
export function postgresOutboxStore(pool: pg.Pool, logger?: Logger): OutboxStore {
  const byId = async (id: number) => (await pool.query<OutboxRow>('SELECT * FROM checkin_outbox WHERE id = $1', [id])).rows[0];
  const refused = async (id: number, change: string) => {
    const row = await byId(id);
    logger?.warn({ outboxId: id, status: row?.status ?? 'missing' }, `outbox: ${change} ignored`);
  };
  const changed = (result: pg.QueryResult) => (result.rowCount ?? 0) > 0;

  return {
    async enqueueCheckIn(entry: NewOutboxEntry, now) {
      checkNumber('actual', entry.actual);
      checkNumber('confidence', entry.confidence);
      const inserted = await pool.query<OutboxRow>(
        `INSERT INTO checkin_outbox (
           idempotency_key, slack_user_id, gtmhub_user_id, metric_id, actual, confidence, comment, submitted_at,
           status, attempts, next_attempt_at, origin, reminder_id, context, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $10, $11, $12::jsonb, $9)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING *`,
        [
          entry.idempotencyKey, entry.slackUserId, entry.gtmhubUserId, entry.metricId, entry.actual, entry.confidence, entry.comment,
          validDate(entry.submittedAt), validDate(now), entry.origin, entry.reminderId, JSON.stringify(entry.context ?? {}),
        ],
      );
      if (inserted.rows[0]) return { entry: outboxEntryFromRow(inserted.rows[0]), created: true };
      const { rows } = await pool.query<OutboxRow>('SELECT * FROM checkin_outbox WHERE idempotency_key = $1', [entry.idempotencyKey]);
      if (!rows[0]) throw new Error(`Outbox entry ${entry.idempotencyKey} vanished right after its insert`);
      return { entry: outboxEntryFromRow(rows[0]), created: false };
    },
    async getOutboxEntry(id) {
      const row = await byId(id);
      return row ? outboxEntryFromRow(row) : null;
    },
    async claimOutboxEntries(now, limit, leaseMs) {
      const leaseUntil = leaseEnd(now, leaseMs);
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number, got ${limit}`);
      if (limit === 0) return [];
      // Due pending entries and in_flight entries whose lease ran out (their worker died), oldest first.
      const { rows } = await pool.query<OutboxRow>(
        `WITH due AS (
           SELECT id FROM checkin_outbox
           WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'in_flight' AND lease_until <= $1)
           ORDER BY CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END, id
           LIMIT $3
           FOR UPDATE SKIP LOCKED
         )
         UPDATE checkin_outbox o
         SET status = 'in_flight', lease_until = $2, attempts = o.attempts + 1
         FROM due WHERE o.id = due.id
         RETURNING o.*`,
        [now, leaseUntil, limit],
      );
      return rows.sort((a, b) => a.id - b.id).map(outboxEntryFromRow);
    },
    async claimOutboxEntry(id, now, leaseMs) {
      const { rows } = await pool.query<OutboxRow>(
        `UPDATE checkin_outbox
         SET status = 'in_flight', lease_until = $3, attempts = attempts + 1
         WHERE id = $1 AND ((status = 'pending' AND next_attempt_at <= $2) OR (status = 'in_flight' AND lease_until <= $2))
         RETURNING *`,
        [id, validDate(now), leaseEnd(now, leaseMs)],
      );
      return rows[0] ? outboxEntryFromRow(rows[0]) : null;
    },
    // Writes of a claimed entry present the claim's token (attempts): a holder whose entry was claimed again is refused.
    async markOutboxUncertain(claim, holdUntil) {
      const result = await pool.query(
        `UPDATE checkin_outbox SET uncertain = true
         WHERE id = $1 AND attempts = $2 AND status = 'in_flight' AND lease_until >= $3`,
        [claim.id, claim.attempts, validDate(holdUntil)],
      );
      if (!changed(result)) await refused(claim.id, 'marking uncertain');
      return changed(result);
    },
    async markOutboxDelivered(id, snapshotId, now) {
      // Delivery is the truth about Gtmhub, so it is recorded whatever the state or claim, except twice.
      const result = await pool.query(
        `UPDATE checkin_outbox
         SET status = 'delivered', snapshot_id = $2, delivered_at = $3, finished_at = $3, lease_until = NULL, uncertain = false
         WHERE id = $1 AND status <> 'delivered'`,
        [id, snapshotId, validDate(now)],
      );
      if (!changed(result)) await refused(id, 'marking delivered');
    },
    async markOutboxRejected(claim, reason, now) {
      const result = await pool.query(
        `UPDATE checkin_outbox SET status = 'rejected', last_error = $3, finished_at = $4, lease_until = NULL
         WHERE id = $1 AND attempts = $2 AND status IN ('pending', 'in_flight')`,
        [claim.id, claim.attempts, reason, validDate(now)],
      );
      if (!changed(result)) await refused(claim.id, 'marking rejected');
      return changed(result);
    },
    async rescheduleOutboxEntry(claim, nextAttemptAt, error, uncertain) {
      // An uncertain mark once set stays set: a stale copy of the entry never clears it.
      const result = await pool.query(
        `UPDATE checkin_outbox
         SET status = 'pending', next_attempt_at = $3, last_error = $4, uncertain = (uncertain OR $5), lease_until = NULL
         WHERE id = $1 AND attempts = $2 AND status = 'in_flight'`,
        [claim.id, claim.attempts, validDate(nextAttemptAt), error, uncertain],
      );
      if (!changed(result)) await refused(claim.id, 'rescheduling');
      return changed(result);
    },
    async queueNotice(id, notice, heldUntil) {
      await pool.query(
        `UPDATE checkin_outbox SET notice = $2::jsonb, notice_status = 'pending', notice_due_at = $3, notice_error = NULL WHERE id = $1`,
        [id, JSON.stringify(notice), validDate(heldUntil)],
      );
    },
    async claimNotices(now, limit, leaseMs) {
      if (limit <= 0) return [];
      const { rows } = await pool.query<OutboxRow>(
        `WITH due AS (
           SELECT id FROM checkin_outbox WHERE notice_status = 'pending' AND notice_due_at <= $1
           ORDER BY notice_due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED
         )
         UPDATE checkin_outbox o SET notice_due_at = $2 FROM due WHERE o.id = due.id
         RETURNING o.*`,
        [validDate(now), leaseEnd(now, leaseMs), limit],
      );
      return rows
        .sort((a, b) => a.id - b.id)
        .map((row) => ({ entry: outboxEntryFromRow(row), notice: row.notice as CheckInNotice, attempts: row.notice_attempts }));
    },
    async finishNotice(id) {
      await pool.query(`UPDATE checkin_outbox SET notice_status = 'sent', notice_due_at = NULL WHERE id = $1`, [id]);
    },
    async retryNotice(id, nextAttemptAt, error) {
      await pool.query(
        `UPDATE checkin_outbox SET notice_due_at = $2, notice_error = $3, notice_attempts = notice_attempts + 1
         WHERE id = $1 AND notice_status = 'pending'`,
        [id, validDate(nextAttemptAt), error],
      );
    },
    async countPendingNotices() {
      const { rows } = await pool.query<{ count: number }>(`SELECT COUNT(*)::int AS count FROM checkin_outbox WHERE notice_status = 'pending'`);
      return rows[0]?.count ?? 0;
    },
    async countOutbox(status) {
      const { rows } =
        status === undefined
          ? await pool.query<{ count: number }>('SELECT COUNT(*) AS count FROM checkin_outbox')
          : await pool.query<{ count: number }>('SELECT COUNT(*) AS count FROM checkin_outbox WHERE status = $1', [status]);
      return rows[0]?.count ?? 0;
    },
  };
}
