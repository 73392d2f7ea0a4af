/**
 * Two app processes on one PostgreSQL database behind one endpoint (a round-robin front), with the
 * Slack and Gtmhub emulators over real HTTP: nothing lost or doubled across replicas, kill -9,
 * a Gtmhub outage and a PostgreSQL restart.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { eventually } from '../support/harness.js';
import { postSignedPayload } from '../support/slack-requests.js';
import { createTestPostgresDatabase, postgresAvailable, type TestPostgresDatabase } from '../store/support/postgres-database.js';
import { CHANNEL, slackIdOf, startCluster, type Cluster, type ClusterOptions } from './support/replica-cluster.js';

let database: TestPostgresDatabase | undefined;
let cluster: Cluster | undefined;

beforeAll(async () => {
  if (postgresAvailable()) database = await createTestPostgresDatabase();
});
afterAll(async () => {
  await database?.drop();
});
afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && cluster) console.log(cluster.logs());
  await cluster?.close();
  cluster = undefined;
});

async function start(options: Omit<ClusterOptions, 'databaseUrl'>): Promise<Cluster> {
  cluster = await startCluster({ databaseUrl: await database!.freshSchema(), ...options });
  return cluster;
}

const visibleView = (c: Cluster, userId: string): ViewSnapshot | undefined => c.slack.openViews(userId).at(-1);
const hasBlock = (view: ViewSnapshot | undefined, blockId: string) => view?.blocks.some((b) => b.block_id === blockId) ?? false;

/** `/kr checkin` as the person does it, until the form shows the value field of their one key result. */
async function openForm(c: Cluster, userId: string, metricId: string): Promise<ViewSnapshot> {
  const ack = await c.slack.slashCommand(userId, CHANNEL, '/kr', 'checkin');
  expect(ack.status).toBe(200);
  const form = await eventually(() => {
    const view = visibleView(c, userId);
    return hasBlock(view, BLOCK.keyResult) ? view : undefined;
  }, 10_000, `the check-in form of ${userId}`);
  if (!hasBlock(form, BLOCK.value)) await c.slack.selectInView(userId, form.id, ACTION.selectKeyResult, { value: metricId });
  return eventually(() => {
    const view = visibleView(c, userId);
    return hasBlock(view, BLOCK.value) ? view : undefined;
  }, 10_000, `the key result details of ${userId}`);
}

/** Check-ins Gtmhub holds, per metric. */
function snapshotsPerMetric(c: Cluster): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of c.gtmhub.state.snapshots) counts.set(s.metricId, (counts.get(s.metricId) ?? 0) + 1);
  return counts;
}

function submissionPayload(c: Cluster, userId: string, view: ViewSnapshot) {
  return {
    type: 'view_submission',
    team: { id: c.slack.team.id, domain: c.slack.team.domain },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: c.slack.team.id },
    api_app_id: c.slack.bot.appId,
    token: 'verification',
    trigger_id: '1.2.3',
    view,
  };
}

describe.skipIf(!postgresAvailable())('replicas on one PostgreSQL', { timeout: 45_000 }, () => {
  it('a modal opened through one replica and submitted through the other lands once', async () => {
    const c = await start({ people: 2 });
    const person = slackIdOf(1);
    c.front.only(0);
    const form = await openForm(c, person, c.metricOf(1));
    c.slack.setViewValue(person, form.id, BLOCK.value, ACTION.value, '42');
    c.front.only(1);
    const submitted = await c.slack.submitView(person, form.id);
    expect(submitted.status).toBe(200);
    await eventually(() => c.gtmhub.state.snapshots.length > 0, 10_000, 'the check-in in Gtmhub');
    await eventually(() => JSON.stringify(visibleView(c, person)?.blocks ?? []).includes('42') && !hasBlock(visibleView(c, person), BLOCK.value), 5000, 'the result view');
    expect(c.front.routes.filter((r) => r.kind === 'command').map((r) => r.replica)).toEqual([0]);
    expect(c.front.routes.filter((r) => r.kind === 'view_submission').map((r) => r.replica)).toEqual([1]);
    expect(c.gtmhub.state.snapshots.map((s) => [s.metricId, s.value])).toEqual([[c.metricOf(1), 42]]);
    expect(await c.query('SELECT status FROM checkin_outbox')).toEqual([{ status: 'delivered' }]);
  });

  it('"Are you sure?" asked through one replica is answered by pressing Check in again through the other', async () => {
    const c = await start({ people: 1 });
    const person = slackIdOf(1);
    c.front.only(0);
    const form = await openForm(c, person, c.metricOf(1));
    // Far beyond the key result's whole range from start to target: the form asks first.
    c.slack.setViewValue(person, form.id, BLOCK.value, ACTION.value, '999999999');
    const asked = await c.slack.submitView(person, form.id);
    expect(asked.status).toBe(200);
    expect(JSON.stringify(asked.json)).toContain('Are you sure?');
    expect(c.gtmhub.state.snapshots).toEqual([]);
    c.front.only(1);
    const confirmed = await c.slack.submitView(person, form.id);
    expect(confirmed.status).toBe(200);
    expect(JSON.stringify(confirmed.json)).not.toContain('Are you sure?');
    await eventually(() => c.gtmhub.state.snapshots.length > 0, 10_000, 'the check-in in Gtmhub');
    expect(c.gtmhub.state.snapshots.map((s) => [s.metricId, s.value])).toEqual([[c.metricOf(1), 999999999]]);
    expect(c.front.routes.filter((r) => r.kind === 'view_submission').map((r) => r.replica)).toEqual([0, 1]);
  });

  it('50 double submissions split across the replicas record one check-in each', async () => {
    const people = 50;
    const c = await start({ people });
    const forms = await Promise.all(Array.from({ length: people }, (_, i) => openForm(c, slackIdOf(i + 1), c.metricOf(i + 1))));
    // Both replicas served the forms: no replica holds a form's state.
    expect(new Set(c.front.routes.map((r) => r.replica))).toEqual(new Set([0, 1]));
    const answers = await Promise.all(
      forms.flatMap((form, i) => {
        const person = slackIdOf(i + 1);
        // Values the form takes without asking "Are you sure?" (none moves by more than a key result's whole range).
        c.slack.setViewValue(person, form.id, BLOCK.value, ACTION.value, String(40 + i));
        const payload = submissionPayload(c, person, visibleView(c, person)!);
        return c.replicas.map((replica) => postSignedPayload(c.slack, replica.url, payload));
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(2 * people).fill(200));
    await eventually(() => c.gtmhub.state.snapshots.length >= people, 20_000, 'every check-in in Gtmhub');
    await new Promise((r) => setTimeout(r, 500));
    const perMetric = snapshotsPerMetric(c);
    expect(perMetric.size).toBe(people);
    expect([...perMetric.values()].every((n) => n === 1)).toBe(true);
    for (let i = 0; i < people; i++) expect(c.gtmhub.state.snapshots.find((s) => s.metricId === c.metricOf(i + 1))?.value).toBe(40 + i);
    expect(await c.query('SELECT status, count(*)::int AS n FROM checkin_outbox GROUP BY status')).toEqual([{ status: 'delivered', n: people }]);
  });

  /** Monday 30 November 2026, 10:30 in Berlin: everyone's weekly reminder ("mon 10:00") is due. */
  const MONDAY_MORNING = new Date('2026-11-30T09:30:00Z');
  const reminderEnv = { REMINDER_TICK: '* * * * * *', JOB_LEASE_MS: '1500' };
  const topLevelDms = (c: Cluster, n: number) => c.slack.messages(c.slack.dmChannelId(slackIdOf(n))).filter((m) => !m.threadTs || m.threadTs === m.ts);
  const dmCounts = (c: Cluster, people: number) => Array.from({ length: people }, (_, i) => topLevelDms(c, i + 1).length);

  it('both replicas ticking reminders every second send one DM per person and period, one pass at a time', async () => {
    const people = 40;
    const c = await start({ people, startAt: MONDAY_MORNING, env: reminderEnv });
    await eventually(() => dmCounts(c, people).every((n) => n >= 1), 20_000, 'a DM for everyone');
    await new Promise((r) => setTimeout(r, 2500)); // more ticks on both replicas
    expect(dmCounts(c, people)).toEqual(Array(people).fill(1));
    const reminders = await c.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM reminders GROUP BY status');
    expect(reminders).toEqual([{ status: 'sent', n: people }]);
    // The job lease kept the passes apart: no two overlap in time.
    const passes = await c.query<{ started_at: Date; finished_at: Date }>('SELECT started_at, finished_at FROM reminder_passes ORDER BY started_at');
    expect(passes.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < passes.length; i++) expect(passes[i]!.started_at.getTime()).toBeGreaterThanOrEqual(passes[i - 1]!.finished_at.getTime());
  });

  it('kill -9 of the replica running the reminder pass mid-pass: the other finishes it, nothing missed, no duplicate outside the post-then-record window', async () => {
    const people = 60;
    const concurrency = 4;
    const c = await start({ people, startAt: MONDAY_MORNING, env: reminderEnv, serverOptions: { reminderTuning: { concurrency, claimLeaseMs: 3000 } },
      slackPerSecond: { 'chat.postMessage': 15 }, // a pass of ~4 s
    });
    await eventually(() => dmCounts(c, people).filter((n) => n > 0).length >= 12, 15_000, 'the pass under way');
    const [lease] = await c.query<{ holder: string }>("SELECT holder FROM job_leases WHERE job = 'reminders'");
    const holder = c.replicas.find((r) => r.replicaId === lease?.holder);
    expect(holder, `lease holder ${lease?.holder}`).toBeDefined();
    await holder!.kill();
    const sentBeforeKill = dmCounts(c, people).filter((n) => n > 0).length;
    expect(sentBeforeKill).toBeLessThan(people);

    await eventually(() => dmCounts(c, people).every((n) => n >= 1), 25_000, 'a DM for everyone after the takeover');
    await new Promise((r) => setTimeout(r, 2000));
    const counts = dmCounts(c, people);
    const survivor = c.replicas.find((r) => r !== holder)!;
    expect((await c.query<{ holder: string }>('SELECT holder FROM job_leases'))[0]?.holder ?? survivor.replicaId).not.toBe(holder!.replicaId);
    const rows = await c.query<{ slack_user_id: string; status: string; ts: string }>('SELECT slack_user_id, status, ts FROM reminders');
    expect(rows).toHaveLength(people);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // A second DM only where the killed replica's post never got recorded (posts in flight, or in the
    // ~50 ms record batch): the row holds the later one. At most the posts one replica has in flight.
    const doubled = counts.map((n, i) => ({ n, person: i + 1 })).filter(({ n }) => n > 1);
    expect(doubled.every(({ n }) => n === 2)).toBe(true);
    expect(doubled.length).toBeLessThanOrEqual(concurrency + 1);
    for (const { person } of doubled) {
      const row = rows.find((r) => r.slack_user_id === slackIdOf(person))!;
      expect(row.ts).toBe(topLevelDms(c, person).at(-1)!.ts);
    }
  });

  const viewText = (c: Cluster, person: string) => JSON.stringify(visibleView(c, person) ?? {});
  const accepted = (text: string) => /Saved — it will sync|is checked in|Your check-in is in Gtmhub/.test(text);
  const refused = (text: string) => text.includes('was not saved');

  /** Lets every live replica retry what waits in the outbox now: its clock past the retry delay and any lease, then an outbox run. */
  async function drainOutbox(c: Cluster): Promise<void> {
    await c.advance(16 * 60_000);
    for (const replica of c.replicas.filter((r) => r.alive)) await replica.runJob('outbox');
  }

  it('kill -9 while check-ins wait in the outbox with Gtmhub down: each is delivered exactly once after Gtmhub returns', async () => {
    const people = 10;
    const c = await start({ people });
    const forms = await Promise.all(Array.from({ length: people }, (_, i) => openForm(c, slackIdOf(i + 1), c.metricOf(i + 1))));
    await c.gtmhubProxy.cut();
    await Promise.all(
      forms.map((form, i) => {
        c.slack.setViewValue(slackIdOf(i + 1), form.id, BLOCK.value, ACTION.value, String(50 + i));
        return c.slack.submitView(slackIdOf(i + 1), form.id);
      }),
    );
    await eventually(() => forms.every((_, i) => accepted(viewText(c, slackIdOf(i + 1)))), 15_000, 'every check-in saved to sync later');
    const waiting = await c.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM checkin_outbox GROUP BY status');
    expect(waiting).toEqual([{ status: 'pending', n: people }]);
    // Both replicas took submissions; one of them dies with its share waiting.
    expect(new Set(c.front.routes.filter((r) => r.kind === 'view_submission').map((r) => r.replica))).toEqual(new Set([0, 1]));
    await c.replicas[0]!.kill();

    await c.gtmhubProxy.restore();
    await drainOutbox(c);
    await eventually(() => c.gtmhub.state.snapshots.length >= people, 10_000, 'every check-in in Gtmhub');
    await drainOutbox(c); // a second round must find nothing left to send
    const perMetric = snapshotsPerMetric(c);
    expect(perMetric.size).toBe(people);
    expect([...perMetric.values()]).toEqual(Array(people).fill(1));
    for (let i = 0; i < people; i++) expect(c.gtmhub.state.snapshots.find((s) => s.metricId === c.metricOf(i + 1))?.value).toBe(50 + i);
    expect(await c.query('SELECT status, count(*)::int AS n FROM checkin_outbox GROUP BY status')).toEqual([{ status: 'delivered', n: people }]);
  });

  it('PostgreSQL restarted under load: the replicas reconnect by themselves and nothing accepted is lost or doubled', async () => {
    const people = 24;
    const c = await start({ people });
    const forms = await Promise.all(Array.from({ length: people }, (_, i) => openForm(c, slackIdOf(i + 1), c.metricOf(i + 1))));
    const submitting = forms.map(async (form, i) => {
      await new Promise((r) => setTimeout(r, i * 60));
      c.slack.setViewValue(slackIdOf(i + 1), form.id, BLOCK.value, ACTION.value, String(20 + i));
      return c.slack.submitView(slackIdOf(i + 1), form.id);
    });
    // The "restart": every connection cut and new ones refused for a while, in the middle of the submissions.
    await new Promise((r) => setTimeout(r, 6 * 60));
    await c.databaseProxy.cut();
    await new Promise((r) => setTimeout(r, 1500));
    await c.databaseProxy.restore();
    expect((await Promise.all(submitting)).map((a) => a.status)).toEqual(Array(people).fill(200));
    const outcome = (i: number) => viewText(c, slackIdOf(i + 1));
    await eventually(() => forms.every((_, i) => accepted(outcome(i)) || refused(outcome(i))), 20_000, 'an answer in every modal');
    const refusedPeople = forms.map((_, i) => i).filter((i) => refused(outcome(i)));
    // The outage was felt (connections cut mid-query and refused)…
    expect(c.replicas.some((r) => r.output.some((line) => line.includes('ECONNREFUSED') || line.includes('Connection terminated')))).toBe(true);
    expect(c.replicas.every((r) => r.alive)).toBe(true); // …and survived

    // Those told "not saved" check in again, through whichever replica the front picks.
    for (const i of refusedPeople) {
      await c.slack.closeView(slackIdOf(i + 1), visibleView(c, slackIdOf(i + 1))!.id);
      const form = await openForm(c, slackIdOf(i + 1), c.metricOf(i + 1));
      c.slack.setViewValue(slackIdOf(i + 1), form.id, BLOCK.value, ACTION.value, String(20 + i));
      await c.slack.submitView(slackIdOf(i + 1), form.id);
    }
    await eventually(() => forms.every((_, i) => accepted(outcome(i))), 15_000, 'every check-in accepted');
    await drainOutbox(c);
    await eventually(() => c.gtmhub.state.snapshots.length >= people, 10_000, 'every check-in in Gtmhub');
    await drainOutbox(c);
    const perMetric = snapshotsPerMetric(c);
    expect(perMetric.size).toBe(people);
    expect([...perMetric.values()]).toEqual(Array(people).fill(1));
    expect(await c.query('SELECT status, count(*)::int AS n FROM checkin_outbox GROUP BY status')).toEqual([{ status: 'delivered', n: people }]);
  });
});
