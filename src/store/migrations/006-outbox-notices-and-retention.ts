import type { Migration } from './migration.js';

/**
 * What to tell the person about a finished check-in is kept with its entry until Slack took it, so a
 * failed or interrupted confirmation DM is sent again on its own; indexes for the retention pass.
 */
export const outboxNoticesAndRetention: Migration = {
  id: 6,
  name: 'outbox-notices-and-retention',
  up: `
ALTER TABLE checkin_outbox ADD COLUMN notice TEXT;
ALTER TABLE checkin_outbox ADD COLUMN notice_status TEXT CHECK (notice_status IN ('pending', 'sent'));
ALTER TABLE checkin_outbox ADD COLUMN notice_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkin_outbox ADD COLUMN notice_due_at INTEGER;
ALTER TABLE checkin_outbox ADD COLUMN notice_error TEXT;
CREATE INDEX checkin_outbox_notice_due ON checkin_outbox (notice_due_at) WHERE notice_status = 'pending';
CREATE INDEX checkin_outbox_finished ON checkin_outbox (finished_at) WHERE status IN ('delivered', 'rejected');
CREATE INDEX reminder_passes_by_finish ON reminder_passes (finished_at);
`,
};
