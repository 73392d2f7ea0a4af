import type { PostgresMigration } from './migration.js';

/** A finished check-in's notice kept until Slack took it; indexes for the retention pass. */
export const outboxNoticesAndRetention: PostgresMigration = {
  id: 6,
  name: 'outbox-notices-and-retention',
  up: `
ALTER TABLE checkin_outbox ADD COLUMN notice jsonb;
ALTER TABLE checkin_outbox ADD COLUMN notice_status text CHECK (notice_status IN ('pending', 'sent'));
ALTER TABLE checkin_outbox ADD COLUMN notice_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE checkin_outbox ADD COLUMN notice_due_at timestamptz;
ALTER TABLE checkin_outbox ADD COLUMN notice_error text;
CREATE INDEX checkin_outbox_notice_due ON checkin_outbox (notice_due_at) WHERE notice_status = 'pending';
CREATE INDEX checkin_outbox_finished ON checkin_outbox (finished_at) WHERE status IN ('delivered', 'rejected');
CREATE INDEX reminder_passes_by_finish ON reminder_passes (finished_at);
`,
};
