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

describe.skipIf(!postgresAvailable())('replicas on one PostgreSQL', () => {
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

  it('50 double submissions split across the replicas record one check-in each', async () => {
    const people = 50;
    const c = await start({ people });
    const forms = await Promise.all(Array.from({ length: people }, (_, i) => openForm(c, slackIdOf(i + 1), c.metricOf(i + 1))));
    // Both replicas served the forms: no replica holds a form's state.
    expect(new Set(c.front.routes.map((r) => r.replica))).toEqual(new Set([0, 1]));
    const answers = await Promise.all(
      forms.flatMap((form, i) => {
        const person = slackIdOf(i + 1);
        c.slack.setViewValue(person, form.id, BLOCK.value, ACTION.value, String(10 + i));
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
    for (let i = 0; i < people; i++) expect(c.gtmhub.state.snapshots.find((s) => s.metricId === c.metricOf(i + 1))?.value).toBe(10 + i);
    expect(await c.query('SELECT status, count(*)::int AS n FROM checkin_outbox GROUP BY status')).toEqual([{ status: 'delivered', n: people }]);
  });
});
