import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorMetric } from '../../src/emulator/gtmhub/types.js';
import { REMINDER_ACTION } from '../../src/slack/blocks/reminder-message.js';
import { SETTINGS_ACTION, SETTINGS_BLOCK } from '../../src/slack/blocks/reminder-settings-modal.js';
import { eventually, type Harness } from '../support/harness.js';
import { at, dms, GOAL, GT, reminderAccount, SESSION, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('/kr remind and the App Home', () => {
  it('opens the settings modal, saves days and time in the person\'s zone, and the next reminder follows them', async () => {
    const { h, clock } = await startReminderHarness(at('2026-11-30T05:00:00Z')); // Mon 06:00 Berlin
    harness = h;
    await h.slack.slashCommand(SLACK.berlin, 'CGENERAL01', '/kr', 'remind');
    const modal = await eventually(() => h.slack.openViews(SLACK.berlin).at(-1), 5000, 'the settings modal');
    expect(text(modal)).toContain('Mondays at 10:00');
    expect(text(modal)).toContain('Europe/Berlin');

    // No days while on: the days field is required (no "(optional)" beside it), so Slack shows a field error and
    // nothing is saved; the server asks the same of a submission without days (reminder-settings-labels.test.ts).
    h.slack.setViewValue(SLACK.berlin, modal.id, SETTINGS_BLOCK.days, SETTINGS_ACTION.days, []);
    const refused = await h.slack.submitView(SLACK.berlin, modal.id);
    expect(refused.delivered).toBe(false);
    expect(refused.clientErrors).toMatchObject({ [SETTINGS_BLOCK.days]: expect.stringContaining('required') });
    expect(await h.server.services.store.getReminderSettings(SLACK.berlin)).toBeNull();

    h.slack.setViewValue(SLACK.berlin, modal.id, SETTINGS_BLOCK.days, SETTINGS_ACTION.days, [{ value: '2' }]);
    h.slack.setViewValue(SLACK.berlin, modal.id, SETTINGS_BLOCK.time, SETTINGS_ACTION.time, '09:15');
    const saved = await h.slack.submitView(SLACK.berlin, modal.id);
    expect(JSON.stringify(saved.json)).toContain('Tuesdays at 09:15');
    expect(await h.server.services.store.getReminderSettings(SLACK.berlin)).toMatchObject({ enabled: true, days: [2], minutes: 555 });

    // Monday 10:00 passes without a reminder for Berlin; Tuesday 09:15 Berlin time brings it.
    clock.set('2026-11-30T09:00:00Z');
    await h.server.services.reminders.tick();
    expect(dms(h, SLACK.berlin)).toHaveLength(0);
    clock.set('2026-12-01T08:15:00Z');
    await h.server.services.reminders.tick();
    expect(dms(h, SLACK.berlin)).toHaveLength(1);
  });

  it('shows the person\'s key results on the Home tab, which are due, a Check in button on each, and their settings', async () => {
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'));
    harness = h;
    await h.slack.openHome(SLACK.berlin);
    const home = await eventually(() => h.slack.homeView(SLACK.berlin), 5000, 'the Home tab');
    const shown = text(home);
    expect(shown).toContain('Mondays at 10:00');
    expect(shown).toContain('Hire 3 engineers');
    expect(shown).toContain('Ship the Berlin release');
    expect(shown).toContain('*1* of 2 due for a check-in');
    expect(shown.match(/checkin_open/g)).toHaveLength(2);
    expect(shown).toContain(REMINDER_ACTION.settings);

    // The Settings button on the Home tab opens the modal.
    await h.slack.clickButton(SLACK.berlin, { home: true }, REMINDER_ACTION.settings);
    await eventually(() => h.slack.openViews(SLACK.berlin).at(-1), 5000, 'the settings modal');
  });

  it('pages through more key results than one message holds', async () => {
    const extra: EmulatorMetric[] = Array.from({ length: 24 }, (_, i) => ({
      ...reminderAccount().metrics[2]!,
      id: `e1${String(i + 1).padStart(22, '0')}`,
      name: `Extra key result ${String(i + 1).padStart(2, '0')}`,
      goalId: GOAL.berlin,
      sessionId: SESSION,
      ownerIds: [GT.berlin],
      lastCheckInDate: `2026-11-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
    }));
    const { h } = await startReminderHarness(at('2026-11-30T09:00:00Z'), {});
    harness = h;
    h.gtmhub.state.metrics.push(...extra);
    await h.server.services.reminders.runPass('test');
    const dm = dms(h, SLACK.berlin)[0]!;
    expect(dm.blocks.length).toBeLessThanOrEqual(50);
    expect(text(dm)).toContain('Showing 1–20 of 25');
    expect(text(dm)).toContain('Extra key result 01'); // stalest first
    expect(text(dm)).not.toContain('Extra key result 24');

    await h.slack.clickButton(SLACK.berlin, { channelId: dm.channel, ts: dm.ts }, REMINDER_ACTION.nextPage);
    const next = await eventually(() => {
      const m = h.slack.message(dm.channel, dm.ts);
      return text(m).includes('Showing 21–25 of 25') ? m : undefined;
    }, 5000, 'the next page');
    expect(text(next)).toContain('Extra key result 24');
    expect(text(next)).toContain('No change for all 25');
  });
});
