/**
 * What `npm run db:copy` moves from SQLite to PostgreSQL: every table of the bot's state, in an order
 * that respects foreign keys, with each column's conversion. SQLite keeps dates as epoch milliseconds,
 * booleans as 0/1, JSON as text and reminder days as "1,4"; PostgreSQL as timestamptz, boolean, jsonb
 * and smallint[]. Job leases are not copied (they belong to running processes), nor is
 * schema_migrations (the target migrates itself). test/store/copy.test.ts checks that every column of
 * every SQLite table is listed here, so a new column cannot be forgotten.
 */
export type ColumnKind = 'value' | 'date' | 'boolean' | 'json' | 'day-list';

export interface CopiedTable {
  name: string;
  columns: Record<string, ColumnKind>;
  /** The identity column whose sequence continues after the copied ids. */
  identity?: string;
  /** A table of one fixed row (created by the migration) that is updated rather than inserted. */
  singleRow?: boolean;
}

export const copiedTables: readonly CopiedTable[] = [
  {
    name: 'owner_links',
    columns: { slack_user_id: 'value', gtmhub_user_id: 'value', email: 'value', source: 'value', linked_by: 'value', created_at: 'date', expires_at: 'date' },
  },
  {
    name: 'slack_profiles',
    columns: { slack_user_id: 'value', email: 'value', tz: 'value', real_name: 'value', fetched_at: 'date' },
  },
  {
    name: 'checkin_outbox',
    identity: 'id',
    columns: {
      id: 'value', idempotency_key: 'value', slack_user_id: 'value', gtmhub_user_id: 'value', metric_id: 'value', actual: 'value',
      confidence: 'value', comment: 'value', submitted_at: 'date', status: 'value', attempts: 'value', next_attempt_at: 'date',
      lease_until: 'date', last_error: 'value', uncertain: 'boolean', snapshot_id: 'value', delivered_at: 'date',
      context: 'json', created_at: 'date', finished_at: 'date', origin: 'value', reminder_id: 'value',
      notice: 'json', notice_status: 'value', notice_attempts: 'value', notice_due_at: 'date', notice_error: 'value',
    },
  },
  {
    name: 'reminder_settings',
    columns: { slack_user_id: 'value', enabled: 'boolean', days: 'day-list', minutes: 'value', updated_at: 'date' },
  },
  {
    name: 'reminders',
    identity: 'id',
    columns: {
      id: 'value', slack_user_id: 'value', gtmhub_user_id: 'value', slot_key: 'value', kind: 'value', period_key: 'value',
      period_start: 'date', period_end: 'date', time_zone: 'value', status: 'value', claim_token: 'value', lease_until: 'date',
      attempts: 'value', channel_id: 'value', ts: 'value', sent_at: 'date', last_error: 'value', follow_up_at: 'date',
      follow_up_status: 'value', follow_up_lease_until: 'date', follow_up_ts: 'value', page_offset: 'value', created_at: 'date',
    },
  },
  {
    name: 'reminder_items',
    columns: { reminder_id: 'value', metric_id: 'value', position: 'value', snapshot: 'json', outcome: 'json', acted_at: 'date' },
  },
  {
    name: 'reminder_mutes',
    columns: { slack_user_id: 'value', metric_id: 'value', kind: 'value', period_key: 'value', until: 'date', created_at: 'date' },
  },
  {
    name: 'reminder_passes',
    identity: 'id',
    columns: { id: 'value', trigger: 'value', started_at: 'date', finished_at: 'date', report: 'json' },
  },
  {
    name: 'reminder_pass_state',
    singleRow: true,
    columns: { id: 'value', next_pass_at: 'date', last_scan_at: 'date' },
  },
  {
    name: 'summary_subscriptions',
    identity: 'id',
    columns: {
      id: 'value', channel_id: 'value', created_by: 'value', frequency: 'value', day: 'value', time_of_day: 'value', time_zone: 'value',
      scope: 'value', anchor_date: 'value', status: 'value', paused_reason: 'value', created_at: 'date', last_period: 'value',
      last_posted_at: 'date',
    },
  },
  {
    name: 'summary_runs',
    columns: {
      subscription_id: 'value', period: 'value', status: 'value', attempts: 'value', lease_until: 'date', claimed_at: 'date',
      finished_at: 'date', message_ts: 'value', error: 'value',
    },
  },
  {
    name: 'summary_baselines',
    columns: { baseline_key: 'value', metric_id: 'value', attainment: 'value', actual: 'value', taken_at: 'date' },
  },
  {
    name: 'summary_progress',
    columns: { progress_key: 'value', taken_at: 'date', overall: 'value', expected: 'value', key_results: 'value' },
  },
  {
    name: 'summary_requests',
    columns: {
      id: 'value', channel_id: 'value', requested_by: 'value', scope: 'value', created_at: 'date', expires_at: 'date', posted_at: 'date',
      cancelled_at: 'date',
    },
  },
  {
    name: 'action_claims',
    columns: { key: 'value', claimed_at: 'date', result: 'value' },
  },
];

/** SQLite tables that are deliberately not copied. */
export const uncopiedTables: readonly string[] = ['schema_migrations', 'job_leases'];
