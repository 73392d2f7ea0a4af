import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/open-store.js';
import { DatabaseConnectionError } from '../../src/store/postgres/wait-for-database.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { newCheckIn, tempDir } from './support/temp-db.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const manualLink = {
  slackUserId: 'U0001',
  gtmhubUserId: '64b000000000000000000001',
  email: 'ana@example.com',
  source: 'manual' as const,
  linkedBy: 'UADMIN',
  createdAt: T0,
  expiresAt: null,
};

describe('openStore', () => {
  let dir: ReturnType<typeof tempDir>;
  const opened: Store[] = [];
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    dir.remove();
  });
  const open = async (url: string) => {
    const store = await openStore(url);
    opened.push(store);
    return store;
  };

  it('file:PATH opens a SQLite file in WAL mode, creating missing parent directories', async () => {
    const file = join(dir.path, 'nested', 'deeper', 'kr-checkin.db');
    const store = await open(`file:${file}`);
    expect(store).toBeInstanceOf(SqliteStore);
    expect(existsSync(file)).toBe(true);
    const db = (store as SqliteStore).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  });

  it('accepts a path relative to the working directory and a file:// URL', async () => {
    const relativeFile = relative(process.cwd(), join(dir.path, 'rel', 'a.db'));
    await open(`file:${relativeFile}`);
    expect(existsSync(join(dir.path, 'rel', 'a.db'))).toBe(true);
    await open(pathToFileURL(join(dir.path, 'url', 'b.db')).href);
    expect(existsSync(join(dir.path, 'url', 'b.db'))).toBe(true);
  });

  it('file::memory: is a private in-memory database', async () => {
    const a = await open('file::memory:');
    const b = await open('file::memory:');
    await a.putOwnerLink(manualLink);
    expect(await a.getOwnerLink('U0001')).toEqual(manualLink);
    expect(await b.getOwnerLink('U0001')).toBeNull();
  });

  it('a postgres:// or postgresql:// URL selects PostgreSQL, and its errors never show the password', async () => {
    const refused = { connect: { attempts: 1 } };
    await expect(openStore('postgres://bot:secret@127.0.0.1:1/kr', refused)).rejects.toThrow(DatabaseConnectionError);
    await expect(openStore('postgresql://bot:secret@127.0.0.1:1/kr', refused)).rejects.toThrow(/PostgreSQL at 127\.0\.0\.1:1, database "kr"/);
    await expect(openStore('postgres://bot:secret@127.0.0.1:1/kr', refused)).rejects.not.toThrow(/secret/);
  });

  it('other URLs are refused with the accepted forms named', async () => {
    await expect(openStore('mysql://db/kr')).rejects.toThrow(/file:PATH .* postgres:\/\//);
    await expect(openStore('file:')).rejects.toThrow(/needs a path/);
  });

  it('keeps owner links and the outbox across a restart, and re-opening does not migrate again', async () => {
    const url = `file:${dir.file()}`;
    const before = await openStore(url);
    await before.putOwnerLink(manualLink);
    const { entry } = await before.enqueueCheckIn(newCheckIn(), T0);
    const claim = await before.claimOutboxEntry(entry.id, T0, 30_000);
    await before.markOutboxUncertain(claim!, T0);
    await before.close();

    const after = await open(url);
    expect(await after.getOwnerLink('U0001')).toEqual(manualLink);
    expect(await after.getOutboxEntry(entry.id)).toMatchObject({ ...newCheckIn(), status: 'in_flight', uncertain: true, attempts: 1 });
    expect(await after.enqueueCheckIn(newCheckIn(), T0)).toMatchObject({ created: false, entry: { id: entry.id } });
    const applied = (after as SqliteStore).db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all();
    expect(applied).toEqual(migrations.map(({ id, name }) => ({ id, name })));
    expect(applied[0]).toEqual({ id: 1, name: 'owners-and-outbox' });
  });

  it('close can be called twice', async () => {
    const store = await openStore('file::memory:');
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});
