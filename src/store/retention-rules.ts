/**
 * What the retention pass deletes, as one WHERE clause per table over a cutoff (`:before`): rows that
 * only grew with use and that nothing reads once they are this old. Both stores run the same rules;
 * the PostgreSQL store binds `:before` as timestamptz, SQLite as epoch milliseconds.
 */
export const RETENTION_RULES: ReadonlyArray<{ table: string; where: string }> = [
  // Finished check-ins, kept for support until then; one whose notice is still to be sent stays.
  { table: 'checkin_outbox', where: `status IN ('delivered', 'rejected') AND finished_at < :before AND (notice_status IS NULL OR notice_status = 'sent')` },
  { table: 'summary_runs', where: `status IN ('posted', 'skipped', 'failed') AND finished_at < :before` },
  { table: 'summary_requests', where: `expires_at < :before` },
  { table: 'reminder_passes', where: `finished_at < :before` },
  // Reminders of periods long over (their items go with them); no pass plans those periods again.
  { table: 'reminders', where: `period_end < :before` },
  { table: 'reminder_mutes', where: `until IS NOT NULL AND until < :before` },
  // Caches: read again from Slack when needed.
  { table: 'slack_profiles', where: `fetched_at < :before` },
  { table: 'owner_links', where: `source = 'email' AND expires_at IS NOT NULL AND expires_at < :before` },
  // Once-per-key actions: a form's creation and a day's nudge matter for minutes and a day; an old check-in
  // reference only offers Edit comment / Delete in a history, which then says it has no record of it.
  { table: 'action_claims', where: `claimed_at < :before` },
];
