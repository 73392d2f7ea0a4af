import type { Migration } from './migration.js';

/**
 * Reminder state. Dates are epoch milliseconds (INTEGER) as in 001. The (slack_user_id, slot_key)
 * unique key is what makes "one reminder per person per period" hold across processes.
 */
export const reminders: Migration = {
  id: 2,
  name: 'reminders',
  up: `
CREATE TABLE reminder_settings (
  slack_user_id   TEXT PRIMARY KEY,
  enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  days            TEXT NOT NULL,
  minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1439),
  updated_at      INTEGER NOT NULL
);

CREATE TABLE reminders (
  id                      INTEGER PRIMARY KEY AUTOINCREMENT,
  slack_user_id           TEXT NOT NULL,
  gtmhub_user_id          TEXT NOT NULL,
  slot_key                TEXT NOT NULL,
  kind                    TEXT NOT NULL CHECK (kind IN ('period', 'wake')),
  period_key              TEXT NOT NULL,
  period_start            INTEGER NOT NULL,
  period_end              INTEGER NOT NULL,
  time_zone               TEXT NOT NULL,
  status                  TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
  claim_token             TEXT,
  lease_until             INTEGER,
  attempts                INTEGER NOT NULL DEFAULT 0,
  channel_id              TEXT,
  ts                      TEXT,
  sent_at                 INTEGER,
  last_error              TEXT,
  follow_up_at            INTEGER,
  follow_up_status        TEXT CHECK (follow_up_status IN ('claimed', 'sent', 'skipped')),
  follow_up_lease_until   INTEGER,
  follow_up_ts            TEXT,
  page_offset             INTEGER NOT NULL DEFAULT 0,
  created_at              INTEGER NOT NULL,
  UNIQUE (slack_user_id, slot_key)
);
CREATE INDEX reminders_open ON reminders (period_end);

CREATE TABLE reminder_items (
  reminder_id   INTEGER NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
  metric_id     TEXT NOT NULL,
  position      INTEGER NOT NULL,
  snapshot      TEXT NOT NULL,
  outcome       TEXT,
  acted_at      INTEGER,
  PRIMARY KEY (reminder_id, metric_id)
);
CREATE INDEX reminder_items_by_metric ON reminder_items (metric_id);

CREATE TABLE reminder_mutes (
  slack_user_id   TEXT NOT NULL,
  metric_id       TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('snooze', 'skip')),
  period_key      TEXT NOT NULL,
  until           INTEGER,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (slack_user_id, metric_id)
);

CREATE TABLE reminder_passes (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  trigger       TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER NOT NULL,
  report        TEXT NOT NULL
);

CREATE TABLE reminder_pass_state (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  next_pass_at    INTEGER,
  last_scan_at    INTEGER
);
INSERT INTO reminder_pass_state (id, next_pass_at, last_scan_at) VALUES (1, NULL, NULL);
`,
};
