import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { copiedTables, uncopiedTables } from '../../src/store/copy/copied-tables.js';
import { copySqliteToPostgres, CopyRefusedError } from '../../src/store/copy/copy-database.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { postgresTestDatabase } from './postgres/support.js';
import { postgresAvailable } from './support/postgres-database.js';
import { newCheckIn, tempDir } from './support/temp-db.js';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const copyCli = fileURLToPath(new URL('../../src/store/copy/copy-cli.ts', import.meta.url));

function runCopyCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', copyCli, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A SQLite store with something in every copied table, in every interesting state. */
async function fill(store: Store): Promise<void> {
  await store.putOwnerLink({ slackUserId: 'U1', gtmhubUserId: 'g1', email: 'ana@example.com', source: 'email', linkedBy: null, createdAt: NOW, expiresAt: at(86_400_000) });
  await store.putOwnerLink({ slackUserId: 'U2', gtmhubUserId: 'g2', email: null, source: 'manual', linkedBy: 'UADMIN', createdAt: NOW, expiresAt: null });
  await store.putSlackProfile({ slackUserId: 'U1', email: 'ana@example.com', tz: 'Europe/Berlin', realName: 'Ana', fetchedAt: at(1) });
  for (let i = 0; i < 1200; i++) await store.enqueueCheckIn(newCheckIn({ idempotencyKey: `k${i}`, actual: i + 0.25 }), NOW); // more than one batch
  const first = await store.claimOutboxEntry(1, NOW, 30_000);
  await store.markOutboxUncertain(first!, NOW);
  await store.claimOutboxEntry(2, NOW, 30_000);
  await store.markOutboxDelivered(2, 'snap-2', at(5));
  await store.markOutboxRejected({ id: 3, attempts: 0 }, 'past due', at(6));
  await store.putReminderSettings({ slackUserId: 'U1', enabled: true, days: [1, 4], minutes: 570, updatedAt: NOW });
  await store.putReminderSettings({ slackUserId: 'U2', enabled: false, days: [], minutes: 0, updatedAt: NOW });
  const snapshot = { name: 'KR', goalName: 'Goal', url: null, initialValue: 0, target: 10, actual: 4, targetOperator: 'at_least', format: { suffix: '%' }, lastCheckInDate: null, dueDate: null, dueSoon: true };
  const claimed = await store.claimReminder(
    {
      slackUserId: 'U1', gtmhubUserId: 'g1', slotKey: 'p1', kind: 'period', periodKey: 'p1', periodStart: NOW, periodEnd: at(7 * 86_400_000),
      timeZone: 'Europe/Berlin', followUpAt: at(86_400_000), items: [{ metricId: 'm1', position: 0, snapshot }, { metricId: 'm2', position: 1, snapshot }],
    },
    NOW,
    60_000,
  );
  if (!claimed.claimed) throw new Error('expected a claim');
  await store.markReminderSent(claimed.reminder.id, claimed.reminder.claimToken!, 'D1', '1.1', NOW);
  await store.setReminderItemOutcome(claimed.reminder.id, 'm1', { kind: 'snoozed', until: '2026-12-02' }, at(10));
  await store.putReminderMute({ slackUserId: 'U1', metricId: 'm1', kind: 'snooze', periodKey: 'p1', until: at(86_400_000), createdAt: NOW });
  await store.recordReminderPass({ trigger: 'tick', startedAt: NOW, finishedAt: at(1000), report: { sent: 1, nested: { list: [1, 'two'] } } }, 5);
  await store.setNextReminderPass(at(300_000), false);
  await store.setReminderScanned(NOW);
  const subscription = await store.createSubscription({ channelId: 'C1', createdBy: 'U1', frequency: 'monthly', day: 31, timeOfDay: '09:00', timeZone: 'Europe/Berlin', scope: 'mine', anchorDate: '2026-11-30', createdAt: NOW });
  await store.claimSummaryRun(subscription.id, '2026-11-30', NOW, 60_000);
  await store.finishSummaryRun(subscription.id, '2026-11-30', { status: 'posted', messageTs: '9.9' }, at(20));
  await store.replaceSummaryBaseline(`sub:${subscription.id}`, [{ metricId: 'm1', attainment: 0.4, actual: 4 }, { metricId: 'm2', attainment: 0, actual: null }], NOW);
  await store.recordSummaryProgress(`sub:${subscription.id}`, { takenAt: at(-7 * 86_400_000), overall: 0.3, expected: null, keyResults: 2 });
  await store.recordSummaryProgress(`sub:${subscription.id}`, { takenAt: NOW, overall: 0.2, expected: 0.5, keyResults: 2 });
  await store.createSummaryRequest({ id: 'req-1', channelId: 'C1', requestedBy: 'U1', scope: 'mine', createdAt: NOW, expiresAt: at(600_000) });
  await store.tryAcquireJobLease('reminders', 'replica-a', NOW, 60_000);
  await store.claimAction('nudge:m1:U1:2026-11-30', NOW);
  await store.setActionResult('nudge:m1:U1:2026-11-30', 'sent');
}

/** Everything a store shows of the filled state, read through the Store contract. */
async function view(store: Store) {
  const reminder = await store.findReminder('U1', 'p1');
  const [subscription] = await store.listSubscriptions();
  return {
    links: [await store.getOwnerLink('U1'), await store.getOwnerLink('U2')],
    profile: await store.getSlackProfile('U1'),
    outbox: [await store.getOutboxEntry(1), await store.getOutboxEntry(2), await store.getOutboxEntry(3), await store.getOutboxEntry(1200)],
    outboxCounts: [await store.countOutbox(), await store.countOutbox('pending'), await store.countOutbox('in_flight')],
    settings: await store.listReminderSettings(),
    reminder,
    items: await store.listReminderItems(reminder!.id),
    mutes: await store.listReminderMutes(),
    pass: await store.lastReminderPass(),
    passState: await store.getReminderPassState(),
    subscription,
    run: await store.getSummaryRun(subscription!.id, '2026-11-30'),
    baseline: await store.getSummaryBaseline(`sub:${subscription!.id}`),
    progress: await store.listSummaryProgress(`sub:${subscription!.id}`, 20),
    request: await store.getSummaryRequest('req-1'),
    // Read without changing anything: the key is claimed already, so this only reports the claim.
    claim: await store.claimAction('nudge:m1:U1:2026-11-30', at(1)),
  };
}

describe('db:copy', () => {
  it('lists every column of every SQLite table, or names the table as deliberately left out', async () => {
    const store = SqliteStore.open(':memory:');
    try {
      const tables = store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
      expect([...copiedTables.map((t) => t.name), ...uncopiedTables].sort()).toEqual(tables);
      for (const table of copiedTables) {
        const columns = store.db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table.name);
        expect(Object.keys(table.columns), table.name).toEqual(columns);
      }
    } finally {
      await store.close();
    }
  });

  it('refuses URLs of the wrong kind before touching anything', async () => {
    await expect(copySqliteToPostgres('postgres://a/b', 'postgres://c/d')).rejects.toThrow(CopyRefusedError);
    await expect(copySqliteToPostgres('file:./x.db', 'file:./y.db')).rejects.toThrow(/--to must be a PostgreSQL DATABASE_URL/);
  });

  describe.skipIf(!postgresAvailable())('from a SQLite file to PostgreSQL', () => {
    const database = postgresTestDatabase(postgresAvailable());
    const dirs: Array<ReturnType<typeof tempDir>> = [];
    afterEach(() => {
      for (const dir of dirs.splice(0)) dir.remove();
    });
    async function filledSqlite(): Promise<{ url: string; expected: Awaited<ReturnType<typeof view>> }> {
      const dir = tempDir();
      dirs.push(dir);
      const store = SqliteStore.open(dir.file());
      store.db.pragma('synchronous = OFF'); // seeding speed only
      try {
        await fill(store);
        return { url: `file:${dir.file()}`, expected: await view(store) };
      } finally {
        await store.close();
      }
    }

    it('copies every table, with counts that match, and the PostgreSQL store shows the same state', async () => {
      const { url, expected } = await filledSqlite();
      const target = await database.freshUrl();
      const report = await copySqliteToPostgres(url, target);
      expect(Object.fromEntries(report.counts.map((c) => [c.table, c.rows]))).toEqual({
        owner_links: 2, slack_profiles: 1, checkin_outbox: 1200, reminder_settings: 2, reminders: 1, reminder_items: 2, reminder_mutes: 1,
        reminder_passes: 1, summary_subscriptions: 1, summary_runs: 1, summary_baselines: 2, summary_progress: 2, summary_requests: 1,
        action_claims: 1,
      });
      expect(report.to).toMatch(/^PostgreSQL 127\.0\.0\.1:5432, database "kr_test_\w+"/);

      const store = await PostgresStore.open(target, { poolSize: 2 });
      try {
        expect(await view(store)).toEqual(expected);
        // New rows continue after the copied ids.
        const next = await store.enqueueCheckIn(newCheckIn({ idempotencyKey: 'after-copy' }), NOW);
        expect(next.entry.id).toBe(1201);
        // Job leases belong to running processes and are not copied.
        expect(await store.tryAcquireJobLease('reminders', 'replica-b', NOW, 60_000)).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('refuses a target that holds data, changing nothing, and with --force replaces it: rerunning gives the same target', async () => {
      const { url, expected } = await filledSqlite();
      const target = await database.freshUrl();
      await copySqliteToPostgres(url, target);
      const store = await PostgresStore.open(target, { poolSize: 2 });
      try {
        await store.putOwnerLink({ slackUserId: 'U9', gtmhubUserId: 'g9', email: null, source: 'manual', linkedBy: 'UADMIN', createdAt: NOW, expiresAt: null });
        await expect(copySqliteToPostgres(url, target)).rejects.toThrow(
          /The target database is not empty \(owner_links: 3, slack_profiles: 1, checkin_outbox: 1200,.*\)\. .*add --force to replace/,
        );
        expect(await store.getOwnerLink('U9')).not.toBeNull();

        const first = await copySqliteToPostgres(url, target, { force: true });
        const second = await copySqliteToPostgres(url, target, { force: true });
        expect(second.counts).toEqual(first.counts);
        expect(await store.getOwnerLink('U9')).toBeNull();
        expect(await view(store)).toEqual(expected);
      } finally {
        await store.close();
      }
    });

    it('npm run db:copy prints the counts per table, and a refusal exits non-zero without the password', async () => {
      const { url } = await filledSqlite();
      const target = await database.freshUrl();
      const withPassword = new URL(target);
      withPassword.password = 'not-shown-anywhere';
      const copied = await runCopyCli('--from', url, '--to', withPassword.toString());
      expect(copied, copied.stderr).toMatchObject({ code: 0 });
      expect(copied.stdout).toMatch(/checkin_outbox\s+1200\n/);
      expect(copied.stdout).toMatch(/reminder_items\s+2\n/);
      expect(copied.stdout).toContain('Row counts checked');
      const refused = await runCopyCli('--from', url, '--to', withPassword.toString());
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/db:copy failed: The target database is not empty/);
      expect(copied.stdout + refused.stdout + refused.stderr).not.toContain('not-shown-anywhere');
      expect((await runCopyCli('--from', url)).stderr).toMatch(/usage: npm run db:copy -- --from file:PATH --to postgres:/);
    });
  });
});
