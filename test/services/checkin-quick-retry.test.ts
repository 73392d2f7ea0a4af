import { afterEach, describe, expect, it } from 'vitest';
import type { ViewSnapshot } from '../../src/emulator/slack/index.js';
import { MAX_RETRY_DELAY_MS, retryDelay, type RetryTimer } from '../../src/services/retry-delay.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { smallAccount } from '../support/fixtures.js';
import { eventually, fixedClock, startHarness, type Harness } from '../support/harness.js';

const ANA_SLACK = 'UANA00001';

describe('retryDelay', () => {
  it('retries after 2, 5, 15 and 30 seconds, then doubles up to 15 minutes', () => {
    const base = Array.from({ length: 12 }, (_, i) => retryDelay(i + 1, () => 0));
    expect(base).toEqual([2_000, 5_000, 15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000, 900_000]);
  });

  it('adds up to a fifth at random and never passes 15 minutes', () => {
    expect(retryDelay(1, () => 0.5)).toBe(2_200);
    expect(retryDelay(2, () => 0.999999)).toBeGreaterThan(5_999);
    expect(retryDelay(2, () => 0.999999)).toBeLessThanOrEqual(6_000);
    expect(retryDelay(9, () => 0.999999)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelay(100, () => 0.5)).toBe(MAX_RETRY_DELAY_MS);
  });
});

/** Records each retry the service asks for; the test runs them after moving the clock. */
function manualTimer(): { timer: RetryTimer; waiting: Array<{ ms: number; run: () => void; cancelled: boolean }> } {
  const waiting: Array<{ ms: number; run: () => void; cancelled: boolean }> = [];
  const timer: RetryTimer = (ms, run) => {
    const entry = { ms, run, cancelled: false };
    waiting.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  };
  return { timer, waiting };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The app with an injected clock and a retry timer the test fires by hand. */
async function startWithManualRetries() {
  const clock = fixedClock(new Date());
  const { timer, waiting } = manualTimer();
  const account = smallAccount();
  harness = await startHarness({
    gtmhub: { data: account.data },
    slackUsers: [{ id: ANA_SLACK, name: 'ana', realName: 'Ana Novak', email: 'ana@acme.example' }],
    clock,
    checkinRetryTimer: timer,
  });
  return { h: harness, clock, waiting, account };
}

async function openForm(h: Harness, metricId: string): Promise<ViewSnapshot> {
  expect((await h.slack.slashCommand(ANA_SLACK, 'CGENERAL01', '/kr', 'checkin')).status).toBe(200);
  const form = await eventually(() => h.slack.openViews(ANA_SLACK).at(-1)?.blocks.some((b) => b.block_id === BLOCK.keyResult) ? h.slack.openViews(ANA_SLACK).at(-1) : undefined);
  if (!form.blocks.some((b) => b.block_id === BLOCK.value)) await h.slack.selectInView(ANA_SLACK, form.id, ACTION.selectKeyResult, { value: metricId });
  return eventually(() => (h.slack.openViews(ANA_SLACK).at(-1)?.blocks.some((b) => b.block_id === BLOCK.value) ? h.slack.openViews(ANA_SLACK).at(-1) : undefined));
}

describe('quick first retries of a check-in', () => {
  it('retries in the taking process after 2 s and 5 s, landing two brief failures within 30 s', async () => {
    const { h, clock, waiting, account } = await startWithManualRetries();
    const form = await openForm(h, account.metrics.nps!);
    h.gtmhub.setFaults({ failNext: [{ status: 503, method: 'POST', pathIncludes: '/checkin' }, { status: 500, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '41');
    const submittedAt = clock.now().getTime();
    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(() => waiting.length === 1);

    // First retry: 2 s plus at most a fifth; not due a moment before it.
    expect(waiting[0]!.ms).toBeGreaterThanOrEqual(2_000);
    expect(waiting[0]!.ms).toBeLessThanOrEqual(2_400);
    expect(await h.server.services.store.countOutbox('pending')).toBe(1);
    clock.advance(waiting[0]!.ms);
    waiting[0]!.run();
    await eventually(() => waiting.length === 2);
    expect(waiting[1]!.ms).toBeGreaterThanOrEqual(5_000);
    expect(waiting[1]!.ms).toBeLessThanOrEqual(6_000);

    clock.advance(waiting[1]!.ms);
    waiting[1]!.run();
    await eventually(async () => (await h.server.services.store.countOutbox('delivered')) === 1);
    expect(clock.now().getTime() - submittedAt).toBeLessThanOrEqual(30_000);
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps).map((s) => s.value)).toEqual([41]);
    expect(waiting).toHaveLength(2);
    // The person hears about it by DM, as with any check-in that landed after the modal closed.
    await eventually(() => h.slack.messages(ANA_SLACK).find((m) => m.text.includes('Gtmhub was unavailable until now')));
    // The worker finds nothing left to do.
    clock.advance(60 * 60_000);
    expect(await h.server.services.checkins.runOutbox()).toEqual({ delivered: 0, rejected: 0, retrying: 0 });
  });

  it('leaves a retry to the outbox worker when the worker took the entry first, and cancels waiting retries on stop', async () => {
    const { h, clock, waiting, account } = await startWithManualRetries();
    const form = await openForm(h, account.metrics.nps!);
    h.gtmhub.setFaults({ failNext: [{ status: 503, method: 'POST', pathIncludes: '/checkin' }] });
    h.slack.setViewValue(ANA_SLACK, form.id, BLOCK.value, ACTION.value, '42');
    await h.slack.submitView(ANA_SLACK, form.id);
    await eventually(() => waiting.length === 1);
    clock.advance(waiting[0]!.ms);
    expect(await h.server.services.checkins.runOutbox()).toEqual({ delivered: 1, rejected: 0, retrying: 0 });
    waiting[0]!.run();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.gtmhub.state.snapshots.filter((s) => s.metricId === account.metrics.nps).map((s) => s.value)).toEqual([42]);

    h.gtmhub.setFaults({ failNext: [{ status: 503, method: 'POST', pathIncludes: '/checkin' }] });
    const again = await openForm(h, account.metrics.nps!);
    h.slack.setViewValue(ANA_SLACK, again.id, BLOCK.value, ACTION.value, '43');
    await h.slack.submitView(ANA_SLACK, again.id);
    await eventually(() => waiting.length === 2);
    await h.server.services.checkins.stopQuickRetries();
    expect(waiting[1]!.cancelled).toBe(true);
  });
});
