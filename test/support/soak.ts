/**
 * The soak driver: the real app over HTTP with a fault proxy in front of the Gtmhub emulator and one
 * in front of the Slack emulator, N check-ins submitted by a few concurrent "people" (some sent twice
 * at once, as a double click or a Slack retry does), random faults on a share of the requests
 * (2xx answers cut off, empty or HTML after Gtmhub applied them, 5xx before or after, 429 with
 * Retry-After, connection resets before or after, hangs, delays), then the outbox drained.
 * Counted from what the Gtmhub emulator holds: every submission's comment carries its number.
 */
import { seededRandom } from '../../src/emulator/seeded-random.js';
import type { CheckInSubmission } from '../../src/services/checkin-types.js';
import type { Fault, FaultRule } from './fault-proxy.js';
import { smallAccount, USERS } from './fixtures.js';
import { fixedClock, startHarness, type Harness } from './harness.js';

export interface SoakOptions {
  checkIns: number;
  /** Share of Gtmhub requests broken (default 0.3). */
  faultRate?: number;
  /** Submissions in flight at once (default 8). */
  concurrency?: number;
  seed?: number;
}

export interface SoakFigures {
  submitted: number;
  landed: number;
  duplicates: number;
  lost: number;
  rejected: number;
  faultsInjected: Record<string, number>;
  checkInPosts: number;
  drainRounds: number;
  seconds: number;
}

const POST_FAULTS: Array<{ fault: Fault; afterUpstream: boolean }> = [
  { fault: { kind: 'truncate' }, afterUpstream: true },
  { fault: { kind: 'empty' }, afterUpstream: true },
  { fault: { kind: 'html', status: 201 }, afterUpstream: true },
  { fault: { kind: 'status', status: 502 }, afterUpstream: true },
  { fault: { kind: 'status', status: 503 }, afterUpstream: false },
  { fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, afterUpstream: false },
  { fault: { kind: 'reset' }, afterUpstream: false },
  { fault: { kind: 'reset' }, afterUpstream: true },
  { fault: { kind: 'hang' }, afterUpstream: false },
  { fault: { kind: 'hang' }, afterUpstream: true },
  { fault: { kind: 'delay', ms: 150 }, afterUpstream: true },
];
const GET_FAULTS: Array<{ fault: Fault; afterUpstream: boolean }> = [
  { fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, afterUpstream: false },
  { fault: { kind: 'status', status: 500 }, afterUpstream: false },
  { fault: { kind: 'truncate' }, afterUpstream: true },
  { fault: { kind: 'html', status: 502 }, afterUpstream: false },
  { fault: { kind: 'reset' }, afterUpstream: false },
  { fault: { kind: 'delay', ms: 100 }, afterUpstream: false },
];
const SLACK_FAULTS: Array<{ fault: Fault; afterUpstream: boolean }> = [
  { fault: { kind: 'status', status: 429, retryAfterSeconds: 30 }, afterUpstream: false },
  { fault: { kind: 'status', status: 500 }, afterUpstream: false },
  { fault: { kind: 'reset' }, afterUpstream: true },
];

const MARK = (n: number) => `[soak ${n}]`;

export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const started = performance.now();
  const rand = seededRandom(options.seed ?? 11);
  const faultRate = options.faultRate ?? 0.3;
  const account = smallAccount();
  // Every key result has a history reaching back before the run, as real ones have.
  for (const metric of account.data.metrics) {
    if (metric.metricHistory.length === 0) metric.metricHistory.push({ changedBy: USERS.ana, comment: 'before the soak', createdAt: new Date(Date.now() - 86_400_000).toISOString(), value: metric.actual ?? 0 });
  }
  const clock = fixedClock(new Date());
  const h: Harness = await startHarness({
    gtmhub: { data: account.data },
    clock,
    faultProxies: { gtmhub: true, slack: true },
    env: { GTMHUB_TIMEOUT_MS: '400', LOG_LEVEL: 'warn' },
  });
  const faultsInjected: Record<string, number> = {};
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const inject = (proxyName: 'gtmhub' | 'slack', rule: FaultRule) => {
    const key = `${proxyName} ${rule.method ?? '*'} ${rule.fault.kind}${rule.fault.kind === 'status' ? ` ${rule.fault.status}` : ''}${rule.afterUpstream ? ' (after)' : ''}`;
    faultsInjected[key] = (faultsInjected[key] ?? 0) + 1;
    (proxyName === 'gtmhub' ? h.gtmhubProxy! : h.slackProxy!).inject(rule);
  };
  const maybeBreak = () => {
    if (rand() < faultRate) {
      const { fault, afterUpstream } = pick(POST_FAULTS);
      inject('gtmhub', { method: 'POST', path: /\/checkin$/, fault, afterUpstream });
    }
    if (rand() < faultRate / 2) {
      const { fault, afterUpstream } = pick(GET_FAULTS);
      inject('gtmhub', { method: 'GET', path: /\/metrics\//, fault, afterUpstream });
    }
    if (rand() < faultRate / 3) {
      const { fault, afterUpstream } = pick(SLACK_FAULTS);
      inject('slack', { method: 'POST', path: /chat\.postMessage/, fault, afterUpstream });
    }
  };

  try {
    const metrics = ['nps', 'revenue', 'bugs'].map((key) => account.metrics[key]!);
    const slackUserId = h.slackIdFor(USERS.ana);
    const { checkins } = h.server.services;
    let next = 0;
    const worker = async () => {
      while (next < options.checkIns) {
        const n = next++;
        maybeBreak();
        const submission: CheckInSubmission = {
          slackUserId,
          slackDisplayName: 'ana',
          metricId: metrics[n % metrics.length]!,
          actual: 1000 + n,
          confidence: null,
          comment: `${MARK(n)} soak check-in`,
          idempotencyKey: `soak:${n}`,
          origin: 'modal',
          reminderId: null,
        };
        // One in twenty arrives twice at once (double click, Slack retry): the outbox keeps one.
        if (rand() < 0.05) await Promise.all([checkins.submit(submission), checkins.submit(submission)]);
        else await checkins.submit(submission);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));

    // Drain: the worker retries what is pending; faults keep coming for the first rounds, then stop.
    let drainRounds = 0;
    for (; drainRounds < 300; drainRounds++) {
      const open = (await h.server.services.store.countOutbox('pending')) + (await h.server.services.store.countOutbox('in_flight'));
      if (open === 0) break;
      if (drainRounds === 5) {
        h.gtmhubProxy!.clearFaults();
        h.slackProxy!.clearFaults();
      }
      clock.advance(30 * 60_000);
      if (drainRounds < 5) maybeBreak();
      await checkins.runOutbox(50);
    }
    h.slackProxy!.clearFaults();

    const counts = new Map<number, number>();
    for (const snapshot of h.gtmhub.state.snapshots) {
      const match = /\[soak (\d+)\]/.exec(String(snapshot.comment ?? ''));
      if (match) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
    }
    let duplicates = 0;
    for (const count of counts.values()) duplicates += Math.max(0, count - 1);
    return {
      submitted: options.checkIns,
      landed: counts.size,
      duplicates,
      lost: options.checkIns - counts.size,
      rejected: await h.server.services.store.countOutbox('rejected'),
      faultsInjected,
      checkInPosts: h.gtmhubProxy!.requests.filter((r) => r.method === 'POST' && /\/checkin$/.test(r.path) && r.reachedUpstream).length,
      drainRounds,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await h.close();
  }
}

export function printSoakFigures(figures: SoakFigures): string {
  const faults = Object.entries(figures.faultsInjected)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `    ${kind}: ${n}`)
    .join('\n');
  return [
    `soak: submitted ${figures.submitted}, landed ${figures.landed}, duplicates ${figures.duplicates}, lost ${figures.lost}, rejected ${figures.rejected}`,
    `  check-in POSTs that reached Gtmhub: ${figures.checkInPosts}; drain rounds: ${figures.drainRounds}; ${figures.seconds} s`,
    `  faults injected (${Object.values(figures.faultsInjected).reduce((a, b) => a + b, 0)}):`,
    faults,
  ].join('\n');
}
