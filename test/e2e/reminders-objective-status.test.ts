import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { at, dms, GOAL, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('reminders and the objective’s closed status', () => {
  it('reminds nobody of key results whose objective is achieved or abandoned (API-NOTES: achieved takes updates, no reminders)', async () => {
    const started = await startReminderHarness(at('2026-11-30T09:00:00Z')); // Mon 10:00 Berlin, 18:00 Tokyo
    harness = started.h;
    const h = started.h;
    h.gtmhub.state.goals.find((g) => g.id === GOAL.tokyo)!.closedStatus = { status: 'achieved', reason: 'done early' };
    h.gtmhub.state.goals.find((g) => g.id === GOAL.berlin)!.closedStatus = { status: 'abandoned', reason: 'market exit' };

    await h.server.services.reminders.runPass('test');
    expect(dms(h, SLACK.tokyo)).toEqual([]);
    expect(dms(h, SLACK.berlin)).toEqual([]);

    // Reopened: the next pass reminds Tokyo of its objective's key results again.
    h.gtmhub.state.goals.find((g) => g.id === GOAL.tokyo)!.closedStatus = null;
    started.clock.set('2026-11-30T09:10:00Z');
    await h.server.services.reminders.runPass('test');
    expect(dms(h, SLACK.tokyo)).toHaveLength(1);
    expect(text(dms(h, SLACK.tokyo)[0])).toContain('Sign 5 distributors');
  });
});
