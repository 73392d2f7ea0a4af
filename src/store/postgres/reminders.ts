import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type {
  ClaimResult,
  FollowUpStatus,
  MuteKind,
  NewReminderClaim,
  Reminder,
  ReminderItem,
  ReminderKind,
  ReminderMute,
  ReminderOutcome,
  ReminderSettings,
  ReminderStatus,
  ReminderStore,
} from '../reminder-store.js';
import { inTransaction, type Queryable } from './transaction.js';
import { leaseEnd, validDate, validDateOrNull } from './values.js';

interface ReminderRow {
  id: number;
  slack_user_id: string;
  gtmhub_user_id: string;
  slot_key: string;
  kind: ReminderKind;
  period_key: string;
  period_start: Date;
  period_end: Date;
  time_zone: string;
  status: ReminderStatus;
  claim_token: string | null;
  lease_until: Date | null;
  attempts: number;
  channel_id: string | null;
  ts: string | null;
  sent_at: Date | null;
  last_error: string | null;
  follow_up_at: Date | null;
  follow_up_status: FollowUpStatus | null;
  follow_up_lease_until: Date | null;
  follow_up_ts: string | null;
  page_offset: number;
  created_at: Date;
  item_count: number;
  acted_count: number;
}

interface ItemRow {
  reminder_id: number;
  metric_id: string;
  position: number;
  snapshot: ReminderItem['snapshot'];
  outcome: ReminderOutcome | null;
  acted_at: Date | null;
}

interface SettingsRow {
  slack_user_id: string;
  enabled: boolean;
  days: number[];
  minutes: number;
  updated_at: Date;
}

interface MuteRow {
  slack_user_id: string;
  metric_id: string;
  kind: MuteKind;
  period_key: string;
  until: Date | null;
  created_at: Date;
}

function reminderFromRow(row: ReminderRow): Reminder {
  return {
    id: row.id,
    slackUserId: row.slack_user_id,
    gtmhubUserId: row.gtmhub_user_id,
    slotKey: row.slot_key,
    kind: row.kind,
    periodKey: row.period_key,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    timeZone: row.time_zone,
    status: row.status,
    claimToken: row.claim_token,
    leaseUntil: row.lease_until,
    attempts: row.attempts,
    channelId: row.channel_id,
    ts: row.ts,
    sentAt: row.sent_at,
    lastError: row.last_error,
    followUpAt: row.follow_up_at,
    followUpStatus: row.follow_up_status,
    followUpLeaseUntil: row.follow_up_lease_until,
    followUpTs: row.follow_up_ts,
    pageOffset: row.page_offset,
    createdAt: row.created_at,
    itemCount: row.item_count,
    actedCount: row.acted_count,
  };
}

function itemFromRow(row: ItemRow): ReminderItem {
  return { reminderId: row.reminder_id, metricId: row.metric_id, position: row.position, snapshot: row.snapshot, outcome: row.outcome, actedAt: row.acted_at };
}

function settingsFromRow(row: SettingsRow): ReminderSettings {
  return { slackUserId: row.slack_user_id, enabled: row.enabled, days: row.days, minutes: row.minutes, updatedAt: row.updated_at };
}

function muteFromRow(row: MuteRow): ReminderMute {
  return { slackUserId: row.slack_user_id, metricId: row.metric_id, kind: row.kind, periodKey: row.period_key, until: row.until, createdAt: row.created_at };
}

const WITH_COUNTS = `SELECT r.*,
  (SELECT COUNT(*) FROM reminder_items i WHERE i.reminder_id = r.id) AS item_count,
  (SELECT COUNT(*) FROM reminder_items i WHERE i.reminder_id = r.id AND i.outcome IS NOT NULL) AS acted_count
FROM reminders r`;

async function reminderById(db: Queryable, id: number): Promise<ReminderRow | undefined> {
  return (await db.query<ReminderRow>(`${WITH_COUNTS} WHERE r.id = $1`, [id])).rows[0];
}

async function reminderBySlot(db: Queryable, slackUserId: string, slotKey: string): Promise<ReminderRow | undefined> {
  return (await db.query<ReminderRow>(`${WITH_COUNTS} WHERE r.slack_user_id = $1 AND r.slot_key = $2`, [slackUserId, slotKey])).rows[0];
}

/**
 * The compare-and-set of a reminder claim, inside the caller's transaction: inserts the (person, slot)
 * row, or takes it over only when it is claimed with an expired lease. The conflicting row stays
 * locked until the transaction ends, so the items written next belong to this claim.
 */
async function claimOne(client: pg.PoolClient, request: NewReminderClaim, now: Date, leaseUntil: Date): Promise<ClaimResult> {
  const token = randomUUID();
  const { rows } = await client.query<{ id: number; claim_token: string }>(
    `INSERT INTO reminders (
       slack_user_id, gtmhub_user_id, slot_key, kind, period_key, period_start, period_end, time_zone,
       status, claim_token, lease_until, attempts, follow_up_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'claimed', $9, $10, 1, $11, $12)
     ON CONFLICT (slack_user_id, slot_key) DO UPDATE SET
       claim_token = excluded.claim_token, lease_until = excluded.lease_until, attempts = reminders.attempts + 1,
       gtmhub_user_id = excluded.gtmhub_user_id, time_zone = excluded.time_zone, follow_up_at = excluded.follow_up_at
     WHERE reminders.status = 'claimed' AND reminders.lease_until <= $12
     RETURNING id, claim_token`,
    [
      request.slackUserId, request.gtmhubUserId, request.slotKey, request.kind, request.periodKey, validDate(request.periodStart),
      validDate(request.periodEnd), request.timeZone, token, leaseUntil, validDateOrNull(request.followUpAt), now,
    ],
  );
  const claimed = rows[0];
  if (claimed?.claim_token === token) {
    await client.query('DELETE FROM reminder_items WHERE reminder_id = $1', [claimed.id]);
    if (request.items.length > 0) {
      await client.query(
        `INSERT INTO reminder_items (reminder_id, metric_id, position, snapshot)
         SELECT $1, metric_id, position, snapshot FROM unnest($2::text[], $3::integer[], $4::jsonb[]) AS item (metric_id, position, snapshot)`,
        [claimed.id, request.items.map((i) => i.metricId), request.items.map((i) => i.position), request.items.map((i) => JSON.stringify(i.snapshot))],
      );
    }
    return { claimed: true, reminder: reminderFromRow((await reminderById(client, claimed.id))!) };
  }
  const existing = await reminderBySlot(client, request.slackUserId, request.slotKey);
  if (!existing) throw new Error(`reminder ${request.slackUserId}/${request.slotKey} vanished during its claim`);
  return { claimed: false, existing: reminderFromRow(existing) };
}

/**
 * Reminders, their rows, mutes and pass bookkeeping (migration 002). Claims are the same single
 * compare-and-set statements as in SQLite (INSERT … ON CONFLICT DO UPDATE … WHERE, UPDATE … WHERE),
 * atomic across replicas under PostgreSQL's row locks.
 */
export function postgresReminderStore(pool: pg.Pool): ReminderStore {
  const markSent = (db: Queryable, e: { id: number; claimToken: string; channelId: string; ts: string }, now: Date) =>
    db.query(
      `UPDATE reminders SET status = 'sent', channel_id = $3, ts = $4, sent_at = $5, lease_until = NULL, last_error = NULL
       WHERE id = $1 AND status = 'claimed' AND claim_token = $2`,
      [e.id, e.claimToken, e.channelId, e.ts, now],
    );

  return {
    async getReminderSettings(slackUserId) {
      const { rows } = await pool.query<SettingsRow>('SELECT * FROM reminder_settings WHERE slack_user_id = $1', [slackUserId]);
      return rows[0] ? settingsFromRow(rows[0]) : null;
    },
    async listReminderSettings() {
      return (await pool.query<SettingsRow>('SELECT * FROM reminder_settings')).rows.map(settingsFromRow);
    },
    async reminderStateOf(slackUserIds, now) {
      if (slackUserIds.length === 0) return { settings: [], mutes: [], open: [] };
      const ids = [...slackUserIds];
      const [settings, mutes, open] = await Promise.all([
        pool.query<SettingsRow>('SELECT * FROM reminder_settings WHERE slack_user_id = ANY($1::text[])', [ids]),
        pool.query<MuteRow>('SELECT * FROM reminder_mutes WHERE slack_user_id = ANY($1::text[])', [ids]),
        pool.query<ReminderRow>(`${WITH_COUNTS} WHERE r.slack_user_id = ANY($1::text[]) AND r.period_end > $2`, [ids, validDate(now)]),
      ]);
      return { settings: settings.rows.map(settingsFromRow), mutes: mutes.rows.map(muteFromRow), open: open.rows.map(reminderFromRow) };
    },
    async putReminderSettings(settings) {
      await pool.query(
        `INSERT INTO reminder_settings (slack_user_id, enabled, days, minutes, updated_at)
         VALUES ($1, $2, $3::smallint[], $4, $5)
         ON CONFLICT (slack_user_id) DO UPDATE SET
           enabled = excluded.enabled, days = excluded.days, minutes = excluded.minutes, updated_at = excluded.updated_at`,
        [settings.slackUserId, settings.enabled, [...new Set(settings.days)].sort((a, b) => a - b), settings.minutes, validDate(settings.updatedAt)],
      );
    },

    async claimReminder(request, now, leaseMs) {
      const leaseUntil = leaseEnd(now, leaseMs);
      return inTransaction(pool, (client) => claimOne(client, request, now, leaseUntil));
    },
    async claimReminders(requests, now, leaseMs) {
      if (requests.length === 0) return [];
      const leaseUntil = leaseEnd(now, leaseMs);
      // Rows are locked in one global order, so two replicas claiming overlapping batches cannot deadlock.
      const order = requests
        .map((request, index) => ({ request, index }))
        .sort((a, b) => compareText(a.request.slackUserId, b.request.slackUserId) || compareText(a.request.slotKey, b.request.slotKey));
      return inTransaction(pool, async (client) => {
        const results: ClaimResult[] = new Array(requests.length);
        for (const { request, index } of order) results[index] = await claimOne(client, request, now, leaseUntil);
        return results;
      });
    },
    async markReminderSent(id, claimToken, channelId, ts, now) {
      return ((await markSent(pool, { id, claimToken, channelId, ts }, validDate(now))).rowCount ?? 0) > 0;
    },
    async markRemindersSent(entries, now) {
      if (entries.length === 0) return [];
      validDate(now);
      return inTransaction(pool, async (client) => {
        const results: boolean[] = [];
        for (const entry of entries) results.push(((await markSent(client, entry, now)).rowCount ?? 0) > 0);
        return results;
      });
    },
    async releaseReminderClaim(id, claimToken, error, now) {
      await pool.query(`UPDATE reminders SET lease_until = $4, last_error = $3 WHERE id = $1 AND status = 'claimed' AND claim_token = $2`, [
        id, claimToken, error, validDate(now),
      ]);
    },
    async markReminderFailed(id, claimToken, error) {
      await pool.query(
        `UPDATE reminders SET status = 'failed', lease_until = NULL, last_error = $3 WHERE id = $1 AND status = 'claimed' AND claim_token = $2`,
        [id, claimToken, error],
      );
    },
    async getReminder(id) {
      const row = await reminderById(pool, id);
      return row ? reminderFromRow(row) : null;
    },
    async findReminder(slackUserId, slotKey) {
      const row = await reminderBySlot(pool, slackUserId, slotKey);
      return row ? reminderFromRow(row) : null;
    },
    async listOpenReminders(now) {
      return (await pool.query<ReminderRow>(`${WITH_COUNTS} WHERE r.period_end > $1`, [validDate(now)])).rows.map(reminderFromRow);
    },
    async listReminderItems(reminderId) {
      const { rows } = await pool.query<ItemRow>('SELECT * FROM reminder_items WHERE reminder_id = $1 ORDER BY position, metric_id COLLATE "C"', [reminderId]);
      return rows.map(itemFromRow);
    },
    async findOpenReminderItems(slackUserId, metricId, now) {
      const { rows } = await pool.query<ItemRow>(
        `SELECT i.* FROM reminder_items i JOIN reminders r ON r.id = i.reminder_id
         WHERE r.slack_user_id = $1 AND i.metric_id = $2 AND r.status = 'sent' AND r.period_end > $3
         ORDER BY r.id`,
        [slackUserId, metricId, validDate(now)],
      );
      return rows.map(itemFromRow);
    },
    async findOpenReminderItemsOfKeyResult(metricId, now) {
      const { rows } = await pool.query<ItemRow & { slack_user_id: string }>(
        `SELECT i.*, r.slack_user_id FROM reminder_items i JOIN reminders r ON r.id = i.reminder_id
         WHERE i.metric_id = $1 AND r.status = 'sent' AND r.period_end > $2
         ORDER BY r.id`,
        [metricId, validDate(now)],
      );
      return rows.map((row) => ({ ...itemFromRow(row), slackUserId: row.slack_user_id }));
    },
    async setReminderItemOutcome(reminderId, metricId, outcome, now) {
      await pool.query('UPDATE reminder_items SET outcome = $3::jsonb, acted_at = $4 WHERE reminder_id = $1 AND metric_id = $2', [
        reminderId, metricId, outcome === null ? null : JSON.stringify(outcome), outcome === null ? null : validDate(now),
      ]);
    },
    async setReminderPage(reminderId, pageOffset) {
      await pool.query('UPDATE reminders SET page_offset = $2 WHERE id = $1', [reminderId, Math.max(0, Math.floor(pageOffset))]);
    },
    async claimFollowUp(id, now, leaseMs) {
      const result = await pool.query(
        `UPDATE reminders SET follow_up_status = 'claimed', follow_up_lease_until = $3
         WHERE id = $1 AND status = 'sent'
           AND (follow_up_status IS NULL OR (follow_up_status = 'claimed' AND follow_up_lease_until <= $2))`,
        [id, validDate(now), leaseEnd(now, leaseMs)],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async finishFollowUp(id, status, ts) {
      await pool.query(
        `UPDATE reminders SET follow_up_status = $2, follow_up_ts = $3, follow_up_lease_until = NULL WHERE id = $1 AND follow_up_status = 'claimed'`,
        [id, status, ts],
      );
    },
    async releaseFollowUp(id, now) {
      await pool.query(`UPDATE reminders SET follow_up_lease_until = $2 WHERE id = $1 AND follow_up_status = 'claimed'`, [id, validDate(now)]);
    },
    async pruneReminders(before) {
      validDate(before);
      return inTransaction(pool, async (client) => {
        const removed = (await client.query('DELETE FROM reminders WHERE period_end < $1', [before])).rowCount ?? 0;
        await client.query(`DELETE FROM reminder_mutes WHERE (kind = 'snooze' AND until < $1) OR (kind = 'skip' AND created_at < $1)`, [before]);
        return removed;
      });
    },

    async putReminderMute(mute) {
      await pool.query(
        `INSERT INTO reminder_mutes (slack_user_id, metric_id, kind, period_key, until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (slack_user_id, metric_id) DO UPDATE SET
           kind = excluded.kind, period_key = excluded.period_key, until = excluded.until, created_at = excluded.created_at`,
        [mute.slackUserId, mute.metricId, mute.kind, mute.periodKey, validDateOrNull(mute.until), validDate(mute.createdAt)],
      );
    },
    async deleteReminderMute(slackUserId, metricId) {
      return ((await pool.query('DELETE FROM reminder_mutes WHERE slack_user_id = $1 AND metric_id = $2', [slackUserId, metricId])).rowCount ?? 0) > 0;
    },
    async listReminderMutes(slackUserId) {
      const { rows } =
        slackUserId === undefined
          ? await pool.query<MuteRow>('SELECT * FROM reminder_mutes')
          : await pool.query<MuteRow>('SELECT * FROM reminder_mutes WHERE slack_user_id = $1', [slackUserId]);
      return rows.map(muteFromRow);
    },
    async deleteEndedSnoozes(slackUserId, metricIds, now) {
      if (metricIds.length === 0) return 0;
      const result = await pool.query(
        `DELETE FROM reminder_mutes WHERE slack_user_id = $1 AND metric_id = ANY($2::text[]) AND kind = 'snooze' AND until <= $3`,
        [slackUserId, metricIds, validDate(now)],
      );
      return result.rowCount ?? 0;
    },

    async recordReminderPass(pass, keep) {
      await inTransaction(pool, async (client) => {
        await client.query('INSERT INTO reminder_passes (trigger, started_at, finished_at, report) VALUES ($1, $2, $3, $4::jsonb)', [
          pass.trigger, validDate(pass.startedAt), validDate(pass.finishedAt), JSON.stringify(pass.report),
        ]);
        await client.query('DELETE FROM reminder_passes WHERE id <= (SELECT MAX(id) FROM reminder_passes) - $1', [Math.max(1, keep)]);
      });
    },
    async lastReminderPass() {
      const { rows } = await pool.query<{ id: number; trigger: string; started_at: Date; finished_at: Date; report: Record<string, unknown> }>(
        'SELECT * FROM reminder_passes ORDER BY id DESC LIMIT 1',
      );
      const row = rows[0];
      return row ? { id: row.id, trigger: row.trigger, startedAt: row.started_at, finishedAt: row.finished_at, report: row.report } : null;
    },
    async getReminderPassState() {
      const { rows } = await pool.query<{ next_pass_at: Date | null; last_scan_at: Date | null }>(
        'SELECT next_pass_at, last_scan_at FROM reminder_pass_state WHERE id = 1',
      );
      return { nextPassAt: rows[0]?.next_pass_at ?? null, lastScanAt: rows[0]?.last_scan_at ?? null };
    },
    async setNextReminderPass(at, onlyEarlier) {
      await pool.query(
        `UPDATE reminder_pass_state SET next_pass_at =
           CASE WHEN $2 AND next_pass_at IS NOT NULL AND next_pass_at <= $1 THEN next_pass_at ELSE $1 END
         WHERE id = 1`,
        [validDate(at), onlyEarlier],
      );
    },
    async setReminderScanned(at) {
      await pool.query('UPDATE reminder_pass_state SET last_scan_at = $1 WHERE id = 1', [validDate(at)]);
    },
  };
}

/** Binary order, like SQLite's and PostgreSQL's COLLATE "C". */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
