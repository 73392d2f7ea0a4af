import type { Migration } from './migration.js';

/** Dates are epoch milliseconds (INTEGER) everywhere, so comparisons never depend on string formats. */
export const ownersAndOutbox: Migration = {
  id: 1,
  name: 'owners-and-outbox',
  up: `
CREATE TABLE owner_links (
  slack_user_id   TEXT PRIMARY KEY,
  gtmhub_user_id  TEXT NOT NULL,
  email           TEXT,
  source          TEXT NOT NULL CHECK (source IN ('manual', 'email')),
  linked_by       TEXT,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER
);
CREATE INDEX owner_links_by_gtmhub_user ON owner_links (gtmhub_user_id);

CREATE TABLE slack_profiles (
  slack_user_id   TEXT PRIMARY KEY,
  email           TEXT,
  tz              TEXT,
  real_name       TEXT,
  fetched_at      INTEGER NOT NULL
);

CREATE TABLE checkin_outbox (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key   TEXT NOT NULL UNIQUE,
  slack_user_id     TEXT NOT NULL,
  gtmhub_user_id    TEXT NOT NULL,
  metric_id         TEXT NOT NULL,
  actual            REAL NOT NULL,
  confidence        REAL,
  comment           TEXT NOT NULL,
  submitted_at      INTEGER NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'in_flight', 'delivered', 'rejected')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,
  lease_until       INTEGER,
  last_error        TEXT,
  uncertain         INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),
  snapshot_id       TEXT,
  delivered_at      INTEGER,
  notify_channel_id TEXT,
  context           TEXT NOT NULL DEFAULT '{}',
  created_at        INTEGER NOT NULL,
  -- When the entry reached delivered or rejected (for pruning old entries).
  finished_at       INTEGER
);
-- The claim query scans only open entries in due order.
CREATE INDEX checkin_outbox_pending_due ON checkin_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX checkin_outbox_in_flight_lease ON checkin_outbox (lease_until) WHERE status = 'in_flight';
CREATE INDEX checkin_outbox_by_status ON checkin_outbox (status);
`,
};
