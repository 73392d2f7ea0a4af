/** `npm run sandbox` with SANDBOX_DATABASE_URL: the app on PostgreSQL, and reset empties it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { connectionSettings } from '../../src/store/postgres/connection-settings.js';
import { eventually } from '../support/harness.js';
import { createTestPostgresDatabase, postgresAvailable, type TestPostgresDatabase } from '../store/support/postgres-database.js';

let database: TestPostgresDatabase | undefined;
let sandbox: Sandbox | undefined;
beforeAll(async () => {
  if (postgresAvailable()) database = await createTestPostgresDatabase();
});
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});
afterAll(async () => {
  await database?.drop();
});

const quietLogger = () => createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });

async function outboxRows(url: string): Promise<number> {
  const client = new pg.Client(connectionSettings(url).client);
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM checkin_outbox')).rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresAvailable())('the sandbox on PostgreSQL', () => {
  it('runs the app on the PostgreSQL URL it is given, and reset starts that database afresh', async () => {
    const url = await database!.freshSchema();
    sandbox = await startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'kr-sandbox-')), startScheduler: false, logger: quietLogger(), databaseUrl: url });
    expect(sandbox.runtime.config.databaseUrl).toBe(url);
    const { slack, gtmhub } = sandbox.runtime;
    const metric = gtmhub.state.metrics.find((m) => m.name === 'Engineers hired')!;
    await slack.slashCommand('UANA00001', 'CGENERAL01', '/kr', 'checkin');
    const showing = (blockId: string) => {
      const view = slack.openViews('UANA00001').at(-1);
      return view?.blocks.some((b) => b.block_id === blockId) ? view : undefined;
    };
    const form = await eventually(() => showing('kr'));
    await slack.selectInView('UANA00001', form.id, 'kr_select', { value: metric.id });
    const details = await eventually(() => showing('value'));
    slack.setViewValue('UANA00001', details.id, 'value', 'value_input', '12');
    await slack.submitView('UANA00001', details.id);
    await eventually(() => gtmhub.state.metrics.find((m) => m.id === metric.id)!.actual === 12);
    expect(await outboxRows(url)).toBe(1);

    await sandbox.runtime.reset();
    expect(await outboxRows(url)).toBe(0);
    expect(sandbox.runtime.config.databaseUrl).toBe(url);
  });

  it('refuses a database URL that is not PostgreSQL, saying which variable', async () => {
    await expect(startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'kr-sandbox-')), startScheduler: false, logger: quietLogger(), databaseUrl: 'mysql://x' })).rejects.toThrow(
      /SANDBOX_DATABASE_URL must be a postgres/,
    );
  });
});
