import { afterEach, describe, expect, it } from 'vitest';
import { menuValue } from '../../src/slack/blocks/key-result-admin-ids.js';
import type { Harness } from '../support/harness.js';
import { at, dms, KR, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('key results on open reminders', () => {
  it('says so on the open reminder row, and the next pass leaves it out', async () => {
    const { h, clock } = await startReminderHarness(at('2026-11-30T01:00:00Z')); // Mon 10:00 Tokyo
    harness = h;
    expect((await h.server.services.reminders.runPass('test')).sent).toBe(1);
    const before = text(dms(h, SLACK.tokyo)[0]);
    expect(before).toContain('Open the Osaka office');
    // Each open row carries the Edit / History / Delete menu.
    expect(before).toContain(menuValue('delete', KR.tokyoOld));
    expect(before).toContain(menuValue('edit', KR.tokyoNever));

    const { keyResult } = await h.server.services.keyResultAdmin.delete.delete(SLACK.tokyo, KR.tokyoOld);
    expect(h.gtmhub.state.metrics.some((m) => m.id === KR.tokyoOld)).toBe(false);
    const after = text(h.slack.message(dms(h, SLACK.tokyo)[0]!.channel, dms(h, SLACK.tokyo)[0]!.ts));
    expect(after).toContain(keyResult.name);
    expect(after).toMatch(/deleted from Gtmhub by /);

    clock.set('2026-12-07T01:00:00Z'); // next Monday 10:00 Tokyo
    await h.server.services.reminders.runPass('test');
    const next = dms(h, SLACK.tokyo).at(-1)!;
    expect(text(next)).not.toContain(keyResult.name);
  });
});
