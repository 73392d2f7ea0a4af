import type { Database } from 'better-sqlite3';
import type { Logger } from '../../logger.js';
import type { CheckInNotice, CheckInOrigin, NewOutboxEntry, OutboxEntry, OutboxStatus, OutboxStore } from '../store.js';
import { fromMillis, fromMillisOrNull, toMillis } from './dates.js';
import { durably } from './database.js';

interface OutboxRow {
  id: number;
  idempotency_key: string;
  slack_user_id: string;
  gtmhub_user_id: string;
  metric_id: string;
  actual: number;
  confidence: number | null;
  comment: string;
  submitted_at: number;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  uncertain: 0 | 1;
  snapshot_id: string | null;
  delivered_at: number | null;
  origin: CheckInOrigin;
  reminder_id: number | null;
  context: string;
  notice: string | null;
  notice_attempts: number;
}

function parseContext(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function outboxEntryFromRow(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    slackUserId: row.slack_user_id,
    gtmhubUserId: row.gtmhub_user_id,
    metricId: row.metric_id,
    actual: row.actual,
    confidence: row.confidence,
    comment: row.comment,
    submittedAt: fromMillis(row.submitted_at),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: fromMillis(row.next_attempt_at),
    leaseUntil: fromMillisOrNull(row.lease_until),
    lastError: row.last_error,
    uncertain: row.uncertain === 1,
    snapshotId: row.snapshot_id,
    deliveredAt: fromMillisOrNull(row.delivered_at),
    origin: row.origin,
    reminderId: row.reminder_id,
    context: parseContext(row.context),
  };
}

function checkLease(now: Date, leaseMs: number): number {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be a positive number of milliseconds, got ${leaseMs}`);
  return toMillis(now) + Math.ceil(leaseMs);
}

/**
 * The check-in outbox (migration 001). Every state change is one conditional UPDATE, so it is atomic
 * across processes sharing the file: a claim only takes entries that are still claimable, and a late
 * worker cannot move a delivered entry back to pending.
 */
export function sqliteOutboxStore(db: Database, logger?: Logger): OutboxStore {
  const insert = db.prepare(
    `INSERT INTO checkin_outbox (
       idempotency_key, slack_user_id, gtmhub_user_id, metric_id, actual, confidence, comment, submitted_at,
       status, attempts, next_attempt_at, origin, reminder_id, context, created_at)
     VALUES (
       @idempotencyKey, @slackUserId, @gtmhubUserId, @metricId, @actual, @confidence, @comment, @submittedAt,
       'pending', 0, @now, @origin, @reminderId, @context, @now)
     ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  const byKey = db.prepare<[string], OutboxRow>('SELECT * FROM checkin_outbox WHERE idempotency_key = ?');
  const byId = db.prepare<[number], OutboxRow>('SELECT * FROM checkin_outbox WHERE id = ?');
  const enqueue = db.transaction((entry: NewOutboxEntry, now: number) => {
    const created = insert.run({
      idempotencyKey: entry.idempotencyKey,
      slackUserId: entry.slackUserId,
      gtmhubUserId: entry.gtmhubUserId,
      metricId: entry.metricId,
      actual: entry.actual,
      confidence: entry.confidence,
      comment: entry.comment,
      submittedAt: toMillis(entry.submittedAt),
      origin: entry.origin,
      reminderId: entry.reminderId,
      context: JSON.stringify(entry.context ?? {}),
      now,
    }).changes > 0;
    const row = byKey.get(entry.idempotencyKey);
    if (!row) throw new Error(`Outbox entry ${entry.idempotencyKey} vanished right after its insert`);
    return { entry: outboxEntryFromRow(row), created };
  });

  // Due pending entries and in_flight entries whose lease ran out (their worker died), oldest first.
  const claimDue = db.prepare<{ now: number; leaseUntil: number; limit: number }, OutboxRow>(
    `UPDATE checkin_outbox
     SET status = 'in_flight', lease_until = @leaseUntil, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM (
         SELECT id, next_attempt_at AS due FROM checkin_outbox WHERE status = 'pending' AND next_attempt_at <= @now
         UNION ALL
         SELECT id, lease_until AS due FROM checkin_outbox WHERE status = 'in_flight' AND lease_until <= @now
       ) ORDER BY due, id LIMIT @limit
     )
     RETURNING *`,
  );
  const claimOne = db.prepare<{ id: number; now: number; leaseUntil: number }, OutboxRow>(
    `UPDATE checkin_outbox
     SET status = 'in_flight', lease_until = @leaseUntil, attempts = attempts + 1
     WHERE id = @id AND (
       (status = 'pending' AND next_attempt_at <= @now) OR (status = 'in_flight' AND lease_until <= @now))
     RETURNING *`,
  );
  // Writes of a claimed entry present the claim's token (attempts): a holder whose entry was claimed again is refused.
  const markUncertain = db.prepare(
    `UPDATE checkin_outbox SET uncertain = 1
     WHERE id = @id AND attempts = @attempts AND status = 'in_flight' AND lease_until >= @holdUntil`,
  );
  // Delivery is the truth about Gtmhub, so it is recorded whatever the state or claim, except twice.
  const markDelivered = db.prepare(
    `UPDATE checkin_outbox
     SET status = 'delivered', snapshot_id = @snapshotId, delivered_at = @now, finished_at = @now,
         lease_until = NULL, uncertain = 0
     WHERE id = @id AND status <> 'delivered'`,
  );
  const markRejected = db.prepare(
    `UPDATE checkin_outbox
     SET status = 'rejected', last_error = @reason, finished_at = @now, lease_until = NULL
     WHERE id = @id AND attempts = @attempts AND status IN ('pending', 'in_flight')`,
  );
  // An uncertain mark once set stays set: a stale copy of the entry never clears it.
  const reschedule = db.prepare(
    `UPDATE checkin_outbox
     SET status = 'pending', next_attempt_at = @nextAttemptAt, last_error = @error, uncertain = MAX(uncertain, @uncertain),
         lease_until = NULL
     WHERE id = @id AND attempts = @attempts AND status = 'in_flight'`,
  );
  const queueNotice = db.prepare(
    `UPDATE checkin_outbox SET notice = @notice, notice_status = 'pending', notice_due_at = @heldUntil, notice_error = NULL
     WHERE id = @id`,
  );
  const claimNotices = db.prepare<{ now: number; heldUntil: number; limit: number }, OutboxRow>(
    `UPDATE checkin_outbox SET notice_due_at = @heldUntil
     WHERE id IN (
       SELECT id FROM checkin_outbox WHERE notice_status = 'pending' AND notice_due_at <= @now ORDER BY notice_due_at, id LIMIT @limit
     )
     RETURNING *`,
  );
  const finishNotice = db.prepare(`UPDATE checkin_outbox SET notice_status = 'sent', notice_due_at = NULL WHERE id = ?`);
  const retryNotice = db.prepare(
    `UPDATE checkin_outbox SET notice_due_at = @nextAttemptAt, notice_error = @error, notice_attempts = notice_attempts + 1
     WHERE id = @id AND notice_status = 'pending'`,
  );
  const countNotices = db.prepare(`SELECT COUNT(*) FROM checkin_outbox WHERE notice_status = 'pending'`).pluck();
  const countAll = db.prepare('SELECT COUNT(*) FROM checkin_outbox').pluck();
  const countByStatus = db.prepare('SELECT COUNT(*) FROM checkin_outbox WHERE status = ?').pluck();

  const refused = (id: number, change: string) => {
    const row = byId.get(id);
    logger?.warn({ outboxId: id, status: row?.status ?? 'missing' }, `outbox: ${change} ignored`);
  };

  return {
    async enqueueCheckIn(entry, now) {
      return durably(db, () => enqueue.immediate(entry, toMillis(now)));
    },
    async getOutboxEntry(id) {
      const row = byId.get(id);
      return row ? outboxEntryFromRow(row) : null;
    },
    async claimOutboxEntries(now, limit, leaseMs) {
      const leaseUntil = checkLease(now, leaseMs);
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number, got ${limit}`);
      if (limit === 0) return [];
      return claimDue
        .all({ now: toMillis(now), leaseUntil, limit })
        .sort((a, b) => a.id - b.id)
        .map(outboxEntryFromRow);
    },
    async claimOutboxEntry(id, now, leaseMs) {
      const row = claimOne.get({ id, now: toMillis(now), leaseUntil: checkLease(now, leaseMs) });
      return row ? outboxEntryFromRow(row) : null;
    },
    async markOutboxUncertain(claim, holdUntil) {
      const marked = durably(db, () => markUncertain.run({ id: claim.id, attempts: claim.attempts, holdUntil: toMillis(holdUntil) })).changes > 0;
      if (!marked) refused(claim.id, 'marking uncertain');
      return marked;
    },
    async markOutboxDelivered(id, snapshotId, now) {
      if (markDelivered.run({ id, snapshotId, now: toMillis(now) }).changes === 0) refused(id, 'marking delivered');
    },
    async markOutboxRejected(claim, reason, now) {
      const rejected = markRejected.run({ id: claim.id, attempts: claim.attempts, reason, now: toMillis(now) }).changes > 0;
      if (!rejected) refused(claim.id, 'marking rejected');
      return rejected;
    },
    async rescheduleOutboxEntry(claim, nextAttemptAt, error, uncertain) {
      const changes = reschedule.run({ id: claim.id, attempts: claim.attempts, nextAttemptAt: toMillis(nextAttemptAt), error, uncertain: uncertain ? 1 : 0 }).changes;
      if (changes === 0) refused(claim.id, 'rescheduling');
      return changes > 0;
    },
    async queueNotice(id, notice, heldUntil) {
      durably(db, () => queueNotice.run({ id, notice: JSON.stringify(notice), heldUntil: toMillis(heldUntil) }));
    },
    async claimNotices(now, limit, leaseMs) {
      if (limit <= 0) return [];
      return claimNotices
        .all({ now: toMillis(now), heldUntil: checkLease(now, leaseMs), limit })
        .sort((a, b) => a.id - b.id)
        .map((row) => ({ entry: outboxEntryFromRow(row), notice: JSON.parse(row.notice ?? 'null') as CheckInNotice, attempts: row.notice_attempts }));
    },
    async finishNotice(id) {
      finishNotice.run(id);
    },
    async retryNotice(id, nextAttemptAt, error) {
      retryNotice.run({ id, nextAttemptAt: toMillis(nextAttemptAt), error });
    },
    async countPendingNotices() {
      return countNotices.get() as number;
    },
    async countOutbox(status) {
      return (status === undefined ? countAll.get() : countByStatus.get(status)) as number;
    },
  };
}
