import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionSettings, DatabaseUrlError } from '../../../src/store/postgres/connection-settings.js';
import { PostgresStore } from '../../../src/store/postgres/index.js';
import { DatabaseConnectionError } from '../../../src/store/postgres/wait-for-database.js';
import { postgresAvailable } from '../support/postgres-database.js';
import { TEST_DATABASE_URL, urlForDatabase } from '../support/postgres-server.js';
import { postgresTestDatabase } from './support.js';

describe('connection settings from DATABASE_URL', () => {
  const ssl = (query: string, env: Record<string, string> = {}) => connectionSettings(`postgres://bot:pw@db.example.com:6543/kr${query}`, env).client.ssl;

  it('reads host, port, database and user, and keeps the password out of the description', () => {
    const { client, target } = connectionSettings('postgresql://bot:s3cret@db.example.com:6543/kr');
    expect(target).toEqual({ host: 'db.example.com', port: 6543, database: 'kr', user: 'bot' });
    expect(client).toMatchObject({ host: 'db.example.com', port: 6543, database: 'kr', user: 'bot', password: 's3cret' });
    expect(JSON.stringify(target)).not.toContain('s3cret');
  });

  it('gives sslmode its libpq meaning, plus no-verify', () => {
    expect(ssl('')).toBeUndefined();
    expect(ssl('?sslmode=disable')).toBe(false);
    expect(ssl('?sslmode=require')).toEqual({ rejectUnauthorized: false });
    expect(ssl('?sslmode=prefer')).toEqual({ rejectUnauthorized: false });
    expect(ssl('?sslmode=no-verify')).toEqual({ rejectUnauthorized: false });
    expect(ssl('?sslmode=verify-full')).toEqual({});
    expect(ssl('?sslmode=require&uselibpqcompat=true')).toEqual({ rejectUnauthorized: false });
  });

  it('takes PGSSLMODE when the URL has no sslmode (a DATABASE_URL managed by the host)', () => {
    expect(ssl('', { PGSSLMODE: 'require' })).toEqual({ rejectUnauthorized: false });
    expect(ssl('?sslmode=disable', { PGSSLMODE: 'require' })).toBe(false);
    expect(() => ssl('', { PGSSLMODE: 'always' })).toThrow(/PGSSLMODE=always is not one of/);
  });

  it('refuses an unknown sslmode and verify-ca without a CA, naming the problem', () => {
    expect(() => ssl('?sslmode=requir')).toThrow(DatabaseUrlError);
    expect(() => ssl('?sslmode=requir')).toThrow(/sslmode=requir is not one of disable, prefer, require, verify-ca, verify-full, no-verify/);
    expect(() => ssl('?sslmode=verify-ca')).toThrow(/verify-ca needs sslrootcert/);
    expect(() => connectionSettings('mysql://db/kr')).toThrow(/must start with postgres:\/\/ or postgresql:\/\//);
  });
});

describe('connecting at start', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('gives up on an unreachable server after its retries, naming host, port and database but not the password', async () => {
    const started = Date.now();
    const failure = await PostgresStore.open('postgres://bot:hunter2-secret@127.0.0.1:1/krdb', { connect: { attempts: 3, firstDelayMs: 50 } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DatabaseConnectionError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:1, database "krdb", user "bot": .*ECONNREFUSED.*gave up after 3 attempts/);
    expect(message).not.toContain('hunter2');
    expect(JSON.stringify(failure)).not.toContain('hunter2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150); // waited 50 + 100 ms between the attempts
  });

  describe.skipIf(!postgresAvailable())('on the test server', () => {
    const server = new URL(TEST_DATABASE_URL);
    // The file's own database: the server's shared databases are never migrated by a test.
    const database = postgresTestDatabase(postgresAvailable());

    /** A TCP server that forwards every connection to the test server. */
    const forwarder = () => {
      const proxy = createServer((client) => {
        const upstream = connect(Number(server.port || 5432), server.hostname);
        sockets.push(client, upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      servers.push(proxy);
      return proxy;
    };

    it('waits for a database that comes up late', async () => {
      // Find a free port, leave it closed (connections are refused), and open it 400 ms later.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as { port: number }).port;
      await new Promise((resolve) => probe.close(resolve));

      const url = new URL(await database.freshUrl());
      url.hostname = '127.0.0.1';
      url.port = String(port);
      let opened = false;
      const opening = PostgresStore.open(url.toString(), { poolSize: 1, connect: { attempts: 8, firstDelayMs: 100 } }).then((store) => {
        opened = true;
        return store;
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(opened).toBe(false);
      await new Promise<void>((resolve) => forwarder().listen(port, '127.0.0.1', resolve));
      const store = await opening;
      expect(await store.countOutbox()).toBe(0);
      await store.close();
    });

    it('fails at once, without retrying, for a database that does not exist', async () => {
      const started = Date.now();
      const failure = await PostgresStore.open(urlForDatabase('kr_no_such_database'), { connect: { attempts: 5, firstDelayMs: 2000 } }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DatabaseConnectionError);
      expect((failure as Error).message).toMatch(/at 127\.0\.0\.1:5432, database "kr_no_such_database", user "\w+": database "kr_no_such_database" does not exist \(3D000\)/);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('applies sslmode to the connection: disable never encrypts; require encrypts or fails at once', async () => {
      const sslOfConnection = async (url: string) => {
        const client = new pg.Client(connectionSettings(url).client);
        await client.connect();
        try {
          return (await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]?.ssl;
        } finally {
          await client.end();
        }
      };
      expect(await sslOfConnection(urlForDatabase('postgres', { sslmode: 'disable' }))).toBe(false);
      const required = await sslOfConnection(urlForDatabase('postgres', { sslmode: 'require' })).catch((e: unknown) => e);
      // The test server may or may not offer TLS; either way `require` asked for it.
      if (required instanceof Error) {
        expect(required.message).toMatch(/does not support SSL/);
        const started = Date.now();
        const failure = await PostgresStore.open(urlForDatabase('postgres', { sslmode: 'require' }), { connect: { attempts: 3, firstDelayMs: 2000 } }).catch((e: unknown) => e);
        expect((failure as Error).message).toMatch(/^Cannot connect to PostgreSQL at .*does not support SSL/);
        expect(Date.now() - started).toBeLessThan(2000);
      } else {
        expect(required).toBe(true);
      }
    });
  });
});
