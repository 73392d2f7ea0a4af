import type { Migration } from './migration.js';

/**
 * Outbox entries say where they were made (origin) and which reminder made them, as data; the
 * never-read notify_channel_id goes. Existing reminder entries are recognised once, here, by the
 * keys earlier versions gave them.
 */
export const outboxOrigin: Migration = {
  id: 5,
  name: 'outbox-origin',
  up: `
ALTER TABLE checkin_outbox ADD COLUMN origin TEXT NOT NULL DEFAULT 'modal' CHECK (origin IN ('modal', 'reminder', 'bulk'));
ALTER TABLE checkin_outbox ADD COLUMN reminder_id INTEGER;
UPDATE checkin_outbox
   SET origin = 'reminder',
       reminder_id = CAST(substr(idempotency_key, 10, instr(substr(idempotency_key, 10), ':') - 1) AS INTEGER)
 WHERE idempotency_key LIKE 'reminder:%';
ALTER TABLE checkin_outbox DROP COLUMN notify_channel_id;
`,
};
