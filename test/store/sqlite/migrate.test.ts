import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../src/store/migrations/index.js';
import { openSqliteDatabase } from '../../../src/store/sqlite/database.js';
import { applyMigrations, MigrationError, SchemaTooNewError } from '../../../src/store/sqlite/migrate.js';
import { tempDir } from '../support/temp-db.js';

const tables = (db: Database) =>
  db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all();

describe('applyMigrations', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Database;
  beforeEach(() => {
    dir = tempDir();
    db = openSqliteDatabase(dir.file());
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('lists migrations with unique ascending ids and names', () => {
    const ids = migrations.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe(1);
    for (const m of migrations) expect(m.name).toMatch(/^[a-z0-9-]+$/);
  });

  it('creates the schema and records each migration once; a second run applies nothing', () => {
    expect(applyMigrations(db, migrations)).toEqual(migrations.map((m) => m.id));
    expect(tables(db)).toEqual(expect.arrayContaining(['checkin_outbox', 'owner_links', 'schema_migrations', 'slack_profiles']));
    expect(applyMigrations(db, migrations)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
  });

  it('gives outbox entries of earlier versions their origin and reminder as data (migration 5)', () => {
    applyMigrations(db, migrations.filter((m) => m.id < 5));
    const insert = db.prepare(
      `INSERT INTO checkin_outbox (idempotency_key, slack_user_id, gtmhub_user_id, metric_id, actual, comment, submitted_at, status, next_attempt_at, notify_channel_id, created_at)
       VALUES (?, 'U1', 'G1', 'M1', 1, 'c', 0, 'pending', 0, 'C1', 0)`,
    );
    insert.run('view:V1:n1');
    insert.run('reminder:12:64c000000000000000000001:no-change:2026-W49');
    applyMigrations(db, migrations);
    const rows = db.prepare('SELECT idempotency_key AS key, origin, reminder_id AS reminderId FROM checkin_outbox ORDER BY id').all();
    expect(rows).toEqual([
      { key: 'view:V1:n1', origin: 'modal', reminderId: null },
      { key: 'reminder:12:64c000000000000000000001:no-change:2026-W49', origin: 'reminder', reminderId: 12 },
    ]);
    const columns = db.prepare(`SELECT name FROM pragma_table_info('checkin_outbox')`).pluck().all();
    expect(columns).not.toContain('notify_channel_id');
  });

  it('applies only the new migrations of a later version', () => {
    applyMigrations(db, migrations);
    const next = { id: 1000, name: 'later_feature', up: 'CREATE TABLE later_feature (id INTEGER PRIMARY KEY)' };
    expect(applyMigrations(db, [...migrations, next])).toEqual([1000]);
    expect(tables(db)).toContain('later_feature');
    expect(applyMigrations(db, [...migrations, next])).toEqual([]);
  });

  it('rolls a failing run back entirely, recording nothing', () => {
    const good = { id: 1, name: 'good', up: 'CREATE TABLE good (id INTEGER PRIMARY KEY)' };
    const bad = { id: 2, name: 'bad', up: 'CREATE TABLE bad (id INTEGER PRIMARY KEY); INSERT INTO missing VALUES (1);' };
    expect(() => applyMigrations(db, [good, bad])).toThrow(MigrationError);
    expect(() => applyMigrations(db, [good, bad])).toThrow(/Migration 2 \(bad\) failed: no such table: missing/);
    expect(tables(db)).toEqual(['schema_migrations']);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(0);
  });

  it('refuses a list out of order or with duplicate ids before touching the database', () => {
    const a = { id: 2, name: 'a', up: 'CREATE TABLE a (x)' };
    const b = { id: 1, name: 'b', up: 'CREATE TABLE b (x)' };
    expect(() => applyMigrations(db, [a, b])).toThrow(/ascending order/);
    expect(() => applyMigrations(db, [b, { ...b, name: 'again' }])).toThrow(/ascending order/);
    expect(tables(db)).toEqual([]);
  });

  it('two connections migrating the same file apply each migration once', () => {
    const other = openSqliteDatabase(dir.file());
    try {
      const first = applyMigrations(db, migrations);
      const second = applyMigrations(other, migrations);
      expect([first, second]).toEqual([migrations.map((m) => m.id), []]);
    } finally {
      other.close();
    }
  });

  it('refuses a database that a newer version migrated, naming both versions, and changes nothing', () => {
    const next = { id: 1000, name: 'later_feature', up: 'CREATE TABLE later_feature (id INTEGER PRIMARY KEY)' };
    applyMigrations(db, [...migrations, next]);
    const known = migrations.at(-1)!.id;
    expect(() => applyMigrations(db, migrations)).toThrow(SchemaTooNewError);
    expect(() => applyMigrations(db, migrations)).toThrow(`The database schema is at version 1000, but this kr-checkin knows versions up to ${known}`);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(migrations.length + 1);
  });
});
