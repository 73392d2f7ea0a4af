import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
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
import { fromMillis, fromMillisOrNull, toMillis, toMillisOrNull } from './dates.js';

interface ReminderRow {
  id: number;
  slack_user_id: string;
  gtmhub_user_id: string;
  slot_key: string;
  kind: ReminderKind;
  period_key: string;
  period_start: number;
  period_end: number;
  time_zone: string;
  status: ReminderStatus;
  claim_token: string | null;
  lease_until: number | null;
  attempts: number;
  channel_id: string | null;
  ts: string | null;
  sent_at: number | null;
  last_error: string | null;
  follow_up_at: number | null;
  follow_up_status: FollowUpStatus | null;
  follow_up_lease_until: number | null;
  follow_up_ts: string | null;
  page_offset: number;
  created_at: number;
  item_count: number;
  acted_count: number;
}

interface ItemRow {
  reminder_id: number;
  metric_id: string;
  position: number;
  snapshot: string;
  outcome: string | null;
  acted_at: number | null;
}

interface SettingsRow {
  slack_user_id: string;
  enabled: 0 | 1;
  days: string;
  minutes: number;
  updated_at: number;
}

interface MuteRow {
  slack_user_id: string;
  metric_id: string;
  kind: MuteKind;
  period_key: string;
  until: number | null;
  created_at: number;
}

function reminderFromRow(row: ReminderRow): Reminder {
  return {
    id: row.id,
    slackUserId: row.slack_user_id,
    gtmhubUserId: row.gtmhub_user_id,
    slotKey: row.slot_key,
    kind: row.kind,
    periodKey: row.period_key,
    periodStart: fromMillis(row.period_start),
    periodEnd: fromMillis(row.period_end),
    timeZone: row.time_zone,
    status: row.status,
    claimToken: row.claim_token,
    leaseUntil: fromMillisOrNull(row.lease_until),
    attempts: row.attempts,
    channelId: row.channel_id,
    ts: row.ts,
    sentAt: fromMillisOrNull(row.sent_at),
    lastError: row.last_error,
    followUpAt: fromMillisOrNull(row.follow_up_at),
    followUpStatus: row.follow_up_status,
    followUpLeaseUntil: fromMillisOrNull(row.follow_up_lease_until),
    followUpTs: row.follow_up_ts,
    pageOffset: row.page_offset,
    createdAt: fromMillis(row.created_at),
    itemCount: row.item_count,
    actedCount: row.acted_count,
  };
}

function itemFromRow(row: ItemRow): ReminderItem {
  return {
    reminderId: row.reminder_id,
    metricId: row.metric_id,
    position: row.position,
    snapshot: JSON.parse(row.snapshot) as ReminderItem['snapshot'],
    outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as ReminderOutcome),
    actedAt: fromMillisOrNull(row.acted_at),
  };
}

function settingsFromRow(row: SettingsRow): ReminderSettings {
  return {
    slackUserId: row.slack_user_id,
    enabled: row.enabled === 1,
    days: row.days ? row.days.split(',').map(Number) : [],
    minutes: row.minutes,
    updatedAt: fromMillis(row.updated_at),
  };
}

function muteFromRow(row: MuteRow): ReminderMute {
  return {
    slackUserId: row.slack_user_id,
    metricId: row.metric_id,
    kind: row.kind,
    periodKey: row.period_key,
    until: fromMillisOrNull(row.until),
    createdAt: fromMillis(row.created_at),
  };
}

function leaseEnd(now: Date, leaseMs: number): number {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be a positive number of milliseconds, got ${leaseMs}`);
  return toMillis(now) + Math.ceil(leaseMs);
}

const WITH_COUNTS = `SELECT r.*,
  (SELECT COUNT(*) FROM reminder_items i WHERE i.reminder_id = r.id) AS item_count,
  (SELECT COUNT(*) FROM reminder_items i WHERE i.reminder_id = r.id AND i.outcome IS NOT NULL) AS acted_count
FROM reminders r`;

/**
 * Reminders, their rows, mutes and pass bookkeeping (migration 002). Claims are single statements
 * that only succeed on a row that is free (new, or claimed with an expired lease), which is the
 * same compare-and-set a PostgreSQL implementation runs with `ON CONFLICT … DO UPDATE … WHERE`.
 */
export function sqliteReminderStore(db: Database): ReminderStore {
  const getSettings = db.prepare<[string], SettingsRow>('SELECT * FROM reminder_settings WHERE slack_user_id = ?');
  const allSettings = db.prepare<[], SettingsRow>('SELECT * FROM reminder_settings');
  const putSettings = db.prepare(
    `INSERT INTO reminder_settings (slack_user_id, enabled, days, minutes, updated_at)
     VALUES (@slackUserId, @enabled, @days, @minutes, @updatedAt)
     ON CONFLICT (slack_user_id) DO UPDATE SET
       enabled = excluded.enabled, days = excluded.days, minutes = excluded.minutes, updated_at = excluded.updated_at`,
  );

  const claim = db.prepare<Record<string, unknown>, { id: number; claim_token: string }>(
    `INSERT INTO reminders (
       slack_user_id, gtmhub_user_id, slot_key, kind, period_key, period_start, period_end, time_zone,
       status, claim_token, lease_until, attempts, follow_up_at, created_at)
     VALUES (
       @slackUserId, @gtmhubUserId, @slotKey, @kind, @periodKey, @periodStart, @periodEnd, @timeZone,
       'claimed', @token, @leaseUntil, 1, @followUpAt, @now)
     ON CONFLICT (slack_user_id, slot_key) DO UPDATE SET
       claim_token = excluded.claim_token, lease_until = excluded.lease_until, attempts = reminders.attempts + 1,
       gtmhub_user_id = excluded.gtmhub_user_id, time_zone = excluded.time_zone, follow_up_at = excluded.follow_up_at
     WHERE reminders.status = 'claimed' AND reminders.lease_until <= @now
     RETURNING id, claim_token`,
  );
  const bySlot = db.prepare<[string, string], ReminderRow>(`${WITH_COUNTS} WHERE r.slack_user_id = ? AND r.slot_key = ?`);
  const byId = db.prepare<[number], ReminderRow>(`${WITH_COUNTS} WHERE r.id = ?`);
  const openReminders = db.prepare<[number], ReminderRow>(`${WITH_COUNTS} WHERE r.period_end > ?`);
  const deleteItems = db.prepare('DELETE FROM reminder_items WHERE reminder_id = ?');
  const insertItem = db.prepare(
    'INSERT INTO reminder_items (reminder_id, metric_id, position, snapshot) VALUES (@reminderId, @metricId, @position, @snapshot)',
  );
  const claimTx = db.transaction((request: NewReminderClaim, now: number, leaseUntil: number): ClaimResult => {
    const token = randomUUID();
    const claimed = claim.get({
      slackUserId: request.slackUserId,
      gtmhubUserId: request.gtmhubUserId,
      slotKey: request.slotKey,
      kind: request.kind,
      periodKey: request.periodKey,
      periodStart: toMillis(request.periodStart),
      periodEnd: toMillis(request.periodEnd),
      timeZone: request.timeZone,
      token,
      leaseUntil,
      followUpAt: toMillisOrNull(request.followUpAt),
      now,
    });
    if (claimed?.claim_token === token) {
      deleteItems.run(claimed.id);
      for (const item of request.items) {
        insertItem.run({ reminderId: claimed.id, metricId: item.metricId, position: item.position, snapshot: JSON.stringify(item.snapshot) });
      }
      return { claimed: true, reminder: reminderFromRow(byId.get(claimed.id)!) };
    }
    const existing = bySlot.get(request.slackUserId, request.slotKey);
    if (!existing) throw new Error(`reminder ${request.slackUserId}/${request.slotKey} vanished during its claim`);
    return { claimed: false, existing: reminderFromRow(existing) };
  });

  const claimManyTx = db.transaction((requests: NewReminderClaim[], now: number, leaseUntil: number): ClaimResult[] =>
    requests.map((request) => claimTx(request, now, leaseUntil)),
  );

  const markSent = db.prepare(
    `UPDATE reminders SET status = 'sent', channel_id = @channelId, ts = @ts, sent_at = @now, lease_until = NULL, last_error = NULL
     WHERE id = @id AND status = 'claimed' AND claim_token = @token`,
  );
  const markManySent = db.transaction((entries: Array<{ id: number; claimToken: string; channelId: string; ts: string }>, now: number) =>
    entries.map((e) => markSent.run({ id: e.id, token: e.claimToken, channelId: e.channelId, ts: e.ts, now }).changes > 0),
  );
  const release = db.prepare(
    `UPDATE reminders SET lease_until = @now, last_error = @error WHERE id = @id AND status = 'claimed' AND claim_token = @token`,
  );
  const markFailed = db.prepare(
    `UPDATE reminders SET status = 'failed', lease_until = NULL, last_error = @error WHERE id = @id AND status = 'claimed' AND claim_token = @token`,
  );
  const itemsOf = db.prepare<[number], ItemRow>('SELECT * FROM reminder_items WHERE reminder_id = ? ORDER BY position, metric_id');
  const openItems = db.prepare<[string, string, number], ItemRow>(
    `SELECT i.* FROM reminder_items i JOIN reminders r ON r.id = i.reminder_id
     WHERE r.slack_user_id = ? AND i.metric_id = ? AND r.status = 'sent' AND r.period_end > ?
     ORDER BY r.id`,
  );
  const openItemsOfKeyResult = db.prepare<[string, number], ItemRow & { slack_user_id: string }>(
    `SELECT i.*, r.slack_user_id FROM reminder_items i JOIN reminders r ON r.id = i.reminder_id
     WHERE i.metric_id = ? AND r.status = 'sent' AND r.period_end > ?
     ORDER BY r.id`,
  );
  const setOutcome = db.prepare('UPDATE reminder_items SET outcome = @outcome, acted_at = @now WHERE reminder_id = @reminderId AND metric_id = @metricId');
  const setPage = db.prepare('UPDATE reminders SET page_offset = ? WHERE id = ?');
  const claimFollowUp = db.prepare(
    `UPDATE reminders SET follow_up_status = 'claimed', follow_up_lease_until = @leaseUntil
     WHERE id = @id AND status = 'sent'
       AND (follow_up_status IS NULL OR (follow_up_status = 'claimed' AND follow_up_lease_until <= @now))`,
  );
  const finishFollowUp = db.prepare(
    `UPDATE reminders SET follow_up_status = @status, follow_up_ts = @ts, follow_up_lease_until = NULL
     WHERE id = @id AND follow_up_status = 'claimed'`,
  );
  const releaseFollowUp = db.prepare(
    `UPDATE reminders SET follow_up_lease_until = @now WHERE id = @id AND follow_up_status = 'claimed'`,
  );
  const pruneReminders = db.prepare('DELETE FROM reminders WHERE period_end < ?');
  const pruneMutes = db.prepare(
    `DELETE FROM reminder_mutes WHERE (kind = 'snooze' AND until < @before) OR (kind = 'skip' AND created_at < @before)`,
  );

  const putMute = db.prepare(
    `INSERT INTO reminder_mutes (slack_user_id, metric_id, kind, period_key, until, created_at)
     VALUES (@slackUserId, @metricId, @kind, @periodKey, @until, @createdAt)
     ON CONFLICT (slack_user_id, metric_id) DO UPDATE SET
       kind = excluded.kind, period_key = excluded.period_key, until = excluded.until, created_at = excluded.created_at`,
  );
  const deleteMute = db.prepare('DELETE FROM reminder_mutes WHERE slack_user_id = ? AND metric_id = ?');
  const allMutes = db.prepare<[], MuteRow>('SELECT * FROM reminder_mutes');
  const settingsOfMany = db.prepare<[string], SettingsRow>('SELECT * FROM reminder_settings WHERE slack_user_id IN (SELECT value FROM json_each(?))');
  const mutesOfMany = db.prepare<[string], MuteRow>('SELECT * FROM reminder_mutes WHERE slack_user_id IN (SELECT value FROM json_each(?))');
  const openRemindersOfMany = db.prepare<[string, number], ReminderRow>(`${WITH_COUNTS} WHERE r.slack_user_id IN (SELECT value FROM json_each(?)) AND r.period_end > ?`);
  const stateOf = db.transaction((ids: string, now: number) => ({
    settings: settingsOfMany.all(ids).map(settingsFromRow),
    mutes: mutesOfMany.all(ids).map(muteFromRow),
    open: openRemindersOfMany.all(ids, now).map(reminderFromRow),
  }));
  const mutesOf = db.prepare<[string], MuteRow>('SELECT * FROM reminder_mutes WHERE slack_user_id = ?');
  const deleteEndedSnooze = db.prepare(
    `DELETE FROM reminder_mutes WHERE slack_user_id = ? AND metric_id = ? AND kind = 'snooze' AND until <= ?`,
  );
  const deleteEndedSnoozes = db.transaction((slackUserId: string, metricIds: string[], now: number) =>
    metricIds.reduce((sum, metricId) => sum + deleteEndedSnooze.run(slackUserId, metricId, now).changes, 0),
  );

  const insertPass = db.prepare('INSERT INTO reminder_passes (trigger, started_at, finished_at, report) VALUES (?, ?, ?, ?)');
  const trimPasses = db.prepare('DELETE FROM reminder_passes WHERE id <= (SELECT MAX(id) FROM reminder_passes) - ?');
  const lastPass = db.prepare<[], { id: number; trigger: string; started_at: number; finished_at: number; report: string }>(
    'SELECT * FROM reminder_passes ORDER BY id DESC LIMIT 1',
  );
  const passState = db.prepare<[], { next_pass_at: number | null; last_scan_at: number | null }>(
    'SELECT next_pass_at, last_scan_at FROM reminder_pass_state WHERE id = 1',
  );
  const setNextPass = db.prepare(
    `UPDATE reminder_pass_state SET next_pass_at =
       CASE WHEN @onlyEarlier = 1 AND next_pass_at IS NOT NULL AND next_pass_at <= @at THEN next_pass_at ELSE @at END
     WHERE id = 1`,
  );
  const setScanned = db.prepare('UPDATE reminder_pass_state SET last_scan_at = ? WHERE id = 1');

  return {
    async getReminderSettings(slackUserId) {
      const row = getSettings.get(slackUserId);
      return row ? settingsFromRow(row) : null;
    },
    async listReminderSettings() {
      return allSettings.all().map(settingsFromRow);
    },
    async reminderStateOf(slackUserIds, now) {
      if (slackUserIds.length === 0) return { settings: [], mutes: [], open: [] };
      return stateOf.deferred(JSON.stringify(slackUserIds), toMillis(now));
    },
    async putReminderSettings(settings) {
      putSettings.run({
        slackUserId: settings.slackUserId,
        enabled: settings.enabled ? 1 : 0,
        days: [...new Set(settings.days)].sort((a, b) => a - b).join(','),
        minutes: settings.minutes,
        updatedAt: toMillis(settings.updatedAt),
      });
    },

    async claimReminder(request, now, leaseMs) {
      return claimTx.immediate(request, toMillis(now), leaseEnd(now, leaseMs));
    },
    async claimReminders(requests, now, leaseMs) {
      return requests.length === 0 ? [] : claimManyTx.immediate(requests, toMillis(now), leaseEnd(now, leaseMs));
    },
    async markReminderSent(id, claimToken, channelId, ts, now) {
      return markSent.run({ id, token: claimToken, channelId, ts, now: toMillis(now) }).changes > 0;
    },
    async markRemindersSent(entries, now) {
      return entries.length === 0 ? [] : markManySent.immediate(entries, toMillis(now));
    },
    async releaseReminderClaim(id, claimToken, error, now) {
      release.run({ id, token: claimToken, error, now: toMillis(now) });
    },
    async markReminderFailed(id, claimToken, error) {
      markFailed.run({ id, token: claimToken, error });
    },
    async getReminder(id) {
      const row = byId.get(id);
      return row ? reminderFromRow(row) : null;
    },
    async findReminder(slackUserId, slotKey) {
      const row = bySlot.get(slackUserId, slotKey);
      return row ? reminderFromRow(row) : null;
    },
    async listOpenReminders(now) {
      return openReminders.all(toMillis(now)).map(reminderFromRow);
    },
    async listReminderItems(reminderId) {
      return itemsOf.all(reminderId).map(itemFromRow);
    },
    async findOpenReminderItems(slackUserId, metricId, now) {
      return openItems.all(slackUserId, metricId, toMillis(now)).map(itemFromRow);
    },
    async findOpenReminderItemsOfKeyResult(metricId, now) {
      return openItemsOfKeyResult.all(metricId, toMillis(now)).map((row) => ({ ...itemFromRow(row), slackUserId: row.slack_user_id }));
    },
    async setReminderItemOutcome(reminderId, metricId, outcome, now) {
      setOutcome.run({ reminderId, metricId, outcome: outcome === null ? null : JSON.stringify(outcome), now: outcome === null ? null : toMillis(now) });
    },
    async setReminderPage(reminderId, pageOffset) {
      setPage.run(Math.max(0, Math.floor(pageOffset)), reminderId);
    },
    async claimFollowUp(id, now, leaseMs) {
      return claimFollowUp.run({ id, now: toMillis(now), leaseUntil: leaseEnd(now, leaseMs) }).changes > 0;
    },
    async finishFollowUp(id, status, ts) {
      finishFollowUp.run({ id, status, ts });
    },
    async releaseFollowUp(id, now) {
      releaseFollowUp.run({ id, now: toMillis(now) });
    },
    async pruneReminders(before) {
      const removed = pruneReminders.run(toMillis(before)).changes;
      pruneMutes.run({ before: toMillis(before) });
      return removed;
    },

    async putReminderMute(mute) {
      putMute.run({
        slackUserId: mute.slackUserId,
        metricId: mute.metricId,
        kind: mute.kind,
        periodKey: mute.periodKey,
        until: toMillisOrNull(mute.until),
        createdAt: toMillis(mute.createdAt),
      });
    },
    async deleteReminderMute(slackUserId, metricId) {
      return deleteMute.run(slackUserId, metricId).changes > 0;
    },
    async listReminderMutes(slackUserId) {
      return (slackUserId === undefined ? allMutes.all() : mutesOf.all(slackUserId)).map(muteFromRow);
    },
    async deleteEndedSnoozes(slackUserId, metricIds, now) {
      return metricIds.length === 0 ? 0 : deleteEndedSnoozes.immediate(slackUserId, metricIds, toMillis(now));
    },

    async recordReminderPass(pass, keep) {
      insertPass.run(pass.trigger, toMillis(pass.startedAt), toMillis(pass.finishedAt), JSON.stringify(pass.report));
      trimPasses.run(Math.max(1, keep));
    },
    async lastReminderPass() {
      const row = lastPass.get();
      if (!row) return null;
      return {
        id: row.id,
        trigger: row.trigger,
        startedAt: fromMillis(row.started_at),
        finishedAt: fromMillis(row.finished_at),
        report: JSON.parse(row.report) as Record<string, unknown>,
      };
    },
    async getReminderPassState() {
      const row = passState.get();
      return { nextPassAt: fromMillisOrNull(row?.next_pass_at ?? null), lastScanAt: fromMillisOrNull(row?.last_scan_at ?? null) };
    },
    async setNextReminderPass(at, onlyEarlier) {
      setNextPass.run({ at: toMillis(at), onlyEarlier: onlyEarlier ? 1 : 0 });
    },
    async setReminderScanned(at) {
      setScanned.run(toMillis(at));
    },
  };
}
