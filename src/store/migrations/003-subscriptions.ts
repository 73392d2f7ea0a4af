import type { Migration } from './migration.js';

/**
 * Channel summaries. `summary_runs` has one row per (subscription, period): the primary key is
 * what makes a period run once, whichever replica inserts first (INSERT … ON CONFLICT works the
 * same in PostgreSQL).
 */
export const subscriptions: Migration = {
  id: 3,
  name: 'subscriptions',
  up: `
CREATE TABLE summary_subscriptions (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  channel_id      TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  frequency       TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'biweekly', 'monthly')),
  day             INTEGER,
  time_of_day     TEXT NOT NULL,
  time_zone       TEXT NOT NULL,
  scope           TEXT NOT NULL,
  anchor_date     TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('active', 'paused')),
  paused_reason   TEXT,
  created_at      INTEGER NOT NULL,
  last_period     TEXT,
  last_posted_at  INTEGER
);
CREATE INDEX summary_subscriptions_by_channel ON summary_subscriptions (channel_id);
CREATE INDEX summary_subscriptions_by_status ON summary_subscriptions (status);

CREATE TABLE summary_runs (
  subscription_id INTEGER NOT NULL REFERENCES summary_subscriptions (id) ON DELETE CASCADE,
  period          TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('running', 'retry', 'posted', 'skipped', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 1,
  lease_until     INTEGER,
  claimed_at      INTEGER NOT NULL,
  finished_at     INTEGER,
  message_ts      TEXT,
  error           TEXT,
  PRIMARY KEY (subscription_id, period)
);

CREATE TABLE summary_baselines (
  baseline_key    TEXT NOT NULL,
  metric_id       TEXT NOT NULL,
  attainment      REAL NOT NULL,
  actual          REAL,
  taken_at        INTEGER NOT NULL,
  PRIMARY KEY (baseline_key, metric_id)
);

CREATE TABLE summary_requests (
  id              TEXT PRIMARY KEY,
  channel_id      TEXT NOT NULL,
  requested_by    TEXT NOT NULL,
  scope           TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  posted_at       INTEGER,
  cancelled_at    INTEGER
);
CREATE INDEX summary_requests_by_expiry ON summary_requests (expires_at);
`,
};
