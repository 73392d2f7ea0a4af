import type { PostgresMigration } from './migration.js';

/** Outbox entries say where they were made and which reminder made them; the never-read notify_channel_id goes. */
export const outboxOrigin: PostgresMigration = {
  id: 5,
  name: 'outbox-origin',
  up: `
ALTER TABLE checkin_outbox ADD COLUMN origin text NOT NULL DEFAULT 'modal' CHECK (origin IN ('modal', 'reminder', 'bulk'));
ALTER TABLE checkin_outbox ADD COLUMN reminder_id bigint;
UPDATE checkin_outbox
   SET origin = 'reminder', reminder_id = split_part(idempotency_key, ':', 2)::bigint
 WHERE idempotency_key LIKE 'reminder:%' AND split_part(idempotency_key, ':', 2) ~ '^[0-9]+$';
ALTER TABLE checkin_outbox DROP COLUMN notify_channel_id;
`,
};
