import type { ClientConfig } from 'pg';
import { parse, toClientConfig } from 'pg-connection-string';
import type { ConnectionOptions as TlsOptions } from 'node:tls';

export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUrlError';
  }
}

/** Where a store connects, for messages: everything but the password. */
export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

export interface ConnectionSettings {
  client: ClientConfig;
  target: DatabaseTarget;
}

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;
type SslMode = (typeof SSL_MODES)[number];

export function describeTarget(target: DatabaseTarget): string {
  return `${target.host}:${target.port}, database "${target.database}", user "${target.user}"`;
}

/**
 * `sslmode` with libpq's meaning (what Heroku, RDS, Cloud SQL and Neon document), not node-postgres 8's
 * own, which treats `require` as `verify-full` and so refuses the self-signed certificates of Heroku
 * Postgres: `require` encrypts without checking the certificate (unless `sslrootcert` names a CA, then
 * like `verify-ca`), `verify-ca` checks the chain, `verify-full` the chain and the host name,
 * `no-verify` (node-postgres' own) encrypts without any check, `disable` never encrypts. `prefer`
 * encrypts without checking, because node-postgres cannot fall back to a plain connection.
 */
function tlsFor(mode: SslMode | undefined, fromUrl: ClientConfig['ssl']): ClientConfig['ssl'] {
  const files: TlsOptions = typeof fromUrl === 'object' && fromUrl !== null ? fromUrl : {};
  switch (mode) {
    case undefined:
      return fromUrl;
    case 'disable':
      return false;
    case 'prefer':
    case 'no-verify':
      return { ...files, rejectUnauthorized: false };
    case 'require':
      return files.ca ? { ...files, checkServerIdentity: () => undefined } : { ...files, rejectUnauthorized: false };
    case 'verify-ca':
      if (!files.ca) throw new DatabaseUrlError('DATABASE_URL: sslmode=verify-ca needs sslrootcert=PATH (the CA to check the server against)');
      return { ...files, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...files };
  }
}

/**
 * Reads a `postgres://` / `postgresql://` URL into node-postgres client settings and a description of
 * the target without its password. Without `sslmode` in the URL, PGSSLMODE applies (for hosts whose
 * DATABASE_URL is managed for you, like Heroku's). Query options other than `sslmode` keep
 * node-postgres' meaning (`sslrootcert`, `sslcert`, `sslkey`, `application_name`, `options`, …).
 */
export function connectionSettings(databaseUrl: string, env: Record<string, string | undefined> = process.env): ConnectionSettings {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new DatabaseUrlError('DATABASE_URL is not a valid postgres://user:password@host:port/database URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new DatabaseUrlError('DATABASE_URL for PostgreSQL must start with postgres:// or postgresql://');
  }
  const fromUrl = url.searchParams.get('sslmode');
  const sslmode = fromUrl ?? (env.PGSSLMODE?.trim() || undefined);
  if (sslmode !== undefined && !(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw new DatabaseUrlError(`${fromUrl === null ? 'PGSSLMODE' : 'DATABASE_URL: sslmode'}=${sslmode} is not one of ${SSL_MODES.join(', ')}`);
  }
  url.searchParams.delete('sslmode');
  url.searchParams.delete('uselibpqcompat');
  const client = toClientConfig(parse(url.toString()));
  client.ssl = tlsFor(sslmode as SslMode | undefined, client.ssl);

  const user = client.user || env.PGUSER || env.USER || 'postgres';
  const target: DatabaseTarget = {
    host: client.host || env.PGHOST || 'localhost',
    port: client.port ?? (Number(env.PGPORT) || 5432),
    database: client.database || env.PGDATABASE || user,
    user,
  };
  return { client, target };
}
