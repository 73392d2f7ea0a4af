/**
 * `npm run bench:replicas` — the app as one SQLite process, one PostgreSQL replica and two PostgreSQL
 * replicas behind a round-robin front, measured in the same run on the same machine:
 *
 *   - a 10,000-person reminder pass against the rate floor (people ÷ chat.postMessage per second),
 *     with duplicates and missed DMs counted from the Slack emulator (both replicas are asked to run
 *     it at once; the job lease lets one);
 *   - `/kr` ack p50/p99 under a burst of 200 `/kr checkin` commands sent at once;
 *   - database round trips per check-in (queries sent by the replicas while 50 people submit the
 *     modal and the check-ins land) and pool checkouts that had to wait for a connection;
 *   - outbox throughput: 1,000 check-ins waiting in the outbox, Gtmhub answering every call after
 *     200 ms, every replica working the outbox; check-ins delivered per second.
 *
 * Goals (issue 12): one PostgreSQL replica's ack p99 ≤ 1.2 × SQLite's; two replicas ≥ 1.8 × one
 * replica's outbox throughput; the pass within 1.1 × the floor with two replicas and 0 duplicates.
 *
 * Each app process is a real replica (test/replicas/support/replica-main.ts: the production
 * composition root in its own Node process); the emulators, the front and the load run here.
 * PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL when it is postgres://…, else
 * postgres://postgres@127.0.0.1:5432/postgres; each target runs in a schema of its own that is
 * dropped afterwards.
 *
 * Options: --people N (reminder pass, default 10000), --rate N (chat.postMessage per second, default
 * 100), --checkins N (outbox, default 1000), --burst N (default 200), --latency MS (Gtmhub, default 200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { newSubmissionRef, signComment } from '../src/domain/checkin-signature.js';
import { generateEmulatorData, startGtmhubEmulator } from '../src/emulator/gtmhub/index.js';
import { startSlackEmulator } from '../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../src/slack/ids.js';
import { openStore } from '../src/store/open-store.js';
import { ReplicaProcess } from '../test/replicas/support/replica-process.js';
import { startRoundRobinFront } from '../test/replicas/support/round-robin-front.js';
import { benchPostgresUrl, freshPostgresSchema } from './support/bench-database.js';
import { percentile } from './support/percentiles.js';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const PEOPLE = argument('people', 10_000);
const RATE = argument('rate', 100);
const CHECKINS = argument('checkins', 1000);
const BURST = argument('burst', 200);
const LATENCY_MS = argument('latency', 200);
const ROUND_TRIP_PEOPLE = 50;
const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench';
/** Monday 30 November 2026, 10:30 in Berlin: everyone's weekly reminder is due. */
const MONDAY_MORNING = Date.parse('2026-11-30T09:30:00.000Z');
const PERIOD_START = Date.parse('2026-11-29T23:00:00.000Z');
const slackId = (n: number) => `U${String(n).padStart(8, '0')}`;

const postgresBase = benchPostgresUrl() ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Target {
  name: string;
  store: 'sqlite' | 'postgres';
  replicas: number;
}

interface Figures {
  target: string;
  pass: { ms: number; floorMs: number; expected: number; duplicates: number; missed: number };
  ack: { p50: number; p99: number; max: number; failed: number; expiredTriggers: number };
  roundTripsPerCheckIn: number | null;
  outbox: { delivered: number; ms: number; perSecond: number };
  pool: { checkouts: number; waits: number } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function runTarget(target: Target): Promise<Figures> {
  const offsetMs = MONDAY_MORNING - Date.now();
  const people = Math.max(PEOPLE, BURST + CHECKINS);
  const data = generateEmulatorData({ people, metricsPerPerson: 1, seed: 1 });
  const gtmhub = await startGtmhubEmulator({ port: 0, data, now: () => new Date(Date.now() + offsetMs) });
  const slack = await startSlackEmulator({
    port: 0,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    users: data.users.map((u, i) => ({ id: slackId(i + 1), name: `person${i + 1}`, realName: `Person ${i + 1}`, email: u.email!, tz: 'Europe/Berlin' })),
    channels: [{ id: 'CGENERAL01', name: 'general', members: data.users.map((_, i) => slackId(i + 1)) }],
  });
  slack.rateLimit('chat.postMessage', { perSecond: RATE });
  const sqliteDir = mkdtempSync(join(tmpdir(), 'kr-bench-replicas-'));
  const schema = target.store === 'postgres' ? await freshPostgresSchema(postgresBase) : null;
  const databaseUrl = schema?.url ?? `file:${join(sqliteDir, 'bench.db')}`;
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    GTMHUB_API_URL: gtmhub.url,
    GTMHUB_API_TOKEN: gtmhub.adminToken,
    GTMHUB_ACCOUNT_ID: gtmhub.accountId,
    GTMHUB_TIMEOUT_MS: '10000',
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'warn',
    REPLICA_COUNT_QUERIES: '1',
  };
  const replicas: ReplicaProcess[] = [];
  for (let i = 0; i < target.replicas; i++) replicas.push(await ReplicaProcess.start(`${target.name}-${i}`, env, { startScheduler: false }, offsetMs));
  const front = await startRoundRobinFront(() => replicas.map((r) => r.port));
  slack.setAppUrl(front.url);
  const stats = async (reset: boolean) => {
    const all = await Promise.all(replicas.map((r) => r.stats(reset)));
    return all.reduce((a, b) => ({ queries: a.queries + b.queries, checkouts: a.checkouts + b.checkouts, poolWaits: a.poolWaits + b.poolWaits }));
  };

  try {
    // ── the reminder pass: every replica is asked at once; the job lease lets one run it ──
    const expected = gtmhub.state.metrics.filter((m) => !m.lastCheckInDate || Date.parse(m.lastCheckInDate) < PERIOD_START).length;
    const passStarted = performance.now();
    await Promise.all(replicas.map((r) => r.runJob('reminders')));
    const passMs = performance.now() - passStarted;
    const dms = data.users.map((_, i) => slack.messages(slack.dmChannelId(slackId(i + 1))).filter((m) => !m.threadTs).length);
    const pass = { ms: passMs, floorMs: (expected / RATE) * 1000, expected, duplicates: dms.reduce((sum, n) => sum + Math.max(0, n - 1), 0), missed: dms.filter((n) => n === 0).length };

    // ── the ack burst ──
    await stats(true);
    const acks = await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const started = performance.now();
        const result = await slack.slashCommand(slackId(i + 1), 'CGENERAL01', '/kr', 'checkin');
        return { ms: performance.now() - started, ok: result.status === 200 };
      }),
    );
    const ackMs = acks.map((a) => a.ms);
    const ack = { p50: percentile(ackMs, 50), p99: percentile(ackMs, 99), max: Math.max(...ackMs), failed: acks.filter((a) => !a.ok).length, expiredTriggers: 0 };
    const form = (n: number) => slack.openViews(slackId(n)).at(-1);
    // Every modal of the burst opened (or refused: a trigger is good for 3 s) and past its loading state.
    await until(() => slack.callsTo('views.open').length >= BURST, 120_000, 'views.open for every command');
    const expiredTriggers = slack.callsTo('views.open').filter((c) => !c.ok).length;
    const loading = (n: number) => JSON.stringify(form(n)?.blocks ?? []).includes('Loading your key results');
    await until(() => Array.from({ length: BURST }, (_, i) => !loading(i + 1)).every(Boolean), 120_000, 'the burst’s modals');
    const ready = Array.from({ length: BURST }, (_, i) => i + 1).filter((n) => form(n)?.blocks.some((b) => b.block_id === BLOCK.value));
    const submitters = ready.slice(0, ROUND_TRIP_PEOPLE);
    await sleep(500);

    // ── round trips per check-in: 50 people submit the modal, their check-ins land ──
    await stats(true);
    await Promise.all(
      submitters.map((n) => {
        const view = form(n)!;
        slack.setViewValue(slackId(n), view.id, BLOCK.value, ACTION.value, '50');
        return slack.submitView(slackId(n), view.id);
      }),
    );
    await until(() => gtmhub.state.snapshots.length >= submitters.length, 60_000, 'the submitted check-ins');
    await sleep(300);
    const submitted = await stats(true);

    // ── the outbox: CHECKINS waiting, Gtmhub at LATENCY_MS, every replica working it ──
    const store = await openStore(databaseUrl, { poolSize: 2 });
    const now = new Date(Date.now() + offsetMs);
    for (let k = 0; k < CHECKINS; k++) {
      const n = BURST + k + 1;
      const user = data.users[n - 1]!;
      const metric = data.metrics.find((m) => m.ownerIds[0] === user.id)!;
      await store.enqueueCheckIn(
        {
          idempotencyKey: `bench:${n}`,
          slackUserId: slackId(n),
          gtmhubUserId: user.id,
          metricId: metric.id,
          actual: 60,
          confidence: null,
          comment: signComment('', `Person ${n}`, newSubmissionRef()),
          submittedAt: now,
          origin: 'modal',
          reminderId: null,
          context: {},
        },
        now,
      );
    }
    await store.close();
    gtmhub.setFaults({ latencyMs: LATENCY_MS });
    await stats(true);
    const target_ = submitters.length + CHECKINS;
    const outboxStarted = performance.now();
    await Promise.all(
      replicas.map(async (replica) => {
        while (gtmhub.state.snapshots.length < target_) {
          const before = gtmhub.state.snapshots.length;
          await replica.runJob('outbox');
          if (gtmhub.state.snapshots.length === before) await sleep(50);
        }
      }),
    );
    const outboxMs = performance.now() - outboxStarted;
    const drained = await stats(true);
    gtmhub.setFaults({ latencyMs: 0 });

    ack.expiredTriggers = expiredTriggers;
    return {
      target: target.name,
      pass,
      ack,
      roundTripsPerCheckIn: target.store === 'postgres' ? submitted.queries / submitters.length : null,
      outbox: { delivered: gtmhub.state.snapshots.length - submitters.length, ms: outboxMs, perSecond: (CHECKINS / outboxMs) * 1000 },
      pool: target.store === 'postgres' ? { checkouts: submitted.checkouts + drained.checkouts, waits: submitted.poolWaits + drained.poolWaits } : null,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await front.close();
    await Promise.all([slack.close(), gtmhub.close()]);
    await schema?.drop();
    rmSync(sqliteDir, { recursive: true, force: true });
  }
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const targets: Target[] = [
    { name: 'SQLite, 1 process', store: 'sqlite', replicas: 1 },
    { name: 'PostgreSQL, 1 replica', store: 'postgres', replicas: 1 },
    { name: 'PostgreSQL, 2 replicas', store: 'postgres', replicas: 2 },
  ];
  const pgTarget = new URL(postgresBase);
  console.log(`bench:replicas — ${PEOPLE} people in the pass at ${RATE} DMs/s, burst ${BURST}, ${CHECKINS} check-ins with Gtmhub at ${LATENCY_MS} ms`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; PostgreSQL at ${pgTarget.host}${pgTarget.pathname}\n`);
  const results: Figures[] = [];
  for (const target of targets) {
    process.stdout.write(`${target.name} … `);
    const started = performance.now();
    results.push(await runTarget(target));
    console.log(`${fixed((performance.now() - started) / 1000)} s`);
  }

  console.log('\n| target | pass (s) / floor (s) | × floor | duplicates | missed | ack p50 (ms) | ack p99 (ms) | modals not opened (trigger expired) | round trips / check-in | outbox (check-ins/s) | pool waits / checkouts |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.target} | ${fixed(r.pass.ms / 1000)} / ${fixed(r.pass.floorMs / 1000)} | ${fixed(r.pass.ms / r.pass.floorMs, 2)} | ${r.pass.duplicates} | ${r.pass.missed} | ${fixed(r.ack.p50)} | ${fixed(r.ack.p99)} | ${r.ack.expiredTriggers} | ${r.roundTripsPerCheckIn === null ? 'n/a (in process)' : fixed(r.roundTripsPerCheckIn)} | ${fixed(r.outbox.perSecond, 2)} | ${r.pool ? `${r.pool.waits} / ${r.pool.checkouts}` : 'n/a'} |`,
    );
  }
  const [sqlite, one, two] = results as [Figures, Figures, Figures];
  const goals = [
    [`one PostgreSQL replica's ack p99 ≤ 1.2 × SQLite's`, one.ack.p99 <= 1.2 * sqlite.ack.p99, `${fixed(one.ack.p99)} ms vs ${fixed(sqlite.ack.p99)} ms (${fixed(one.ack.p99 / sqlite.ack.p99, 2)} ×)`],
    ['two replicas ≥ 1.8 × one replica’s outbox throughput', two.outbox.perSecond >= 1.8 * one.outbox.perSecond, `${fixed(two.outbox.perSecond / one.outbox.perSecond, 2)} ×`],
    ['the pass within 1.1 × the floor with two replicas', two.pass.ms <= 1.1 * two.pass.floorMs, `${fixed(two.pass.ms / two.pass.floorMs, 2)} ×`],
    ['0 duplicates and 0 missed DMs on every target', results.every((r) => r.pass.duplicates === 0 && r.pass.missed === 0), results.map((r) => `${r.pass.duplicates}/${r.pass.missed}`).join(', ')],
    ['no failed acks', results.every((r) => r.ack.failed === 0), results.map((r) => r.ack.failed).join(', ')],
  ] as const;
  console.log('');
  for (const [goal, met, figure] of goals) console.log(`${met ? 'met    ' : 'MISSED '} ${goal}: ${figure}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
