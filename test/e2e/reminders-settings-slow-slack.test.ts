import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS_ACTION, SETTINGS_BLOCK } from '../../src/slack/blocks/reminder-settings-modal.js';
import { eventually, type Harness } from '../support/harness.js';
import { at, SLACK, startReminderHarness, text } from './reminders-fixture.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('saving reminder settings while Slack is slow', () => {
  it('acks within Slack’s 3 seconds though users.info takes longer, then shows the saved schedule in the person’s zone', async () => {
    const { h, clock } = await startReminderHarness(at('2026-11-30T05:00:00Z'), { faultProxies: { slack: true } });
    harness = h;
    await h.slack.slashCommand(SLACK.berlin, 'CGENERAL01', '/kr', 'remind');
    const modal = await eventually(() => h.slack.openViews(SLACK.berlin).at(-1), 5000, 'the settings modal');
    // Two hours later the cached time zone is stale: the next state asks users.info again, and Slack answers slowly.
    clock.set('2026-11-30T07:00:00Z');
    h.slackProxy!.inject({ path: /users\.info/, fault: { kind: 'delay', ms: 3500 }, times: Infinity });

    h.slack.setViewValue(SLACK.berlin, modal.id, SETTINGS_BLOCK.days, SETTINGS_ACTION.days, [{ value: '2' }]);
    h.slack.setViewValue(SLACK.berlin, modal.id, SETTINGS_BLOCK.time, SETTINGS_ACTION.time, '09:15');
    const saved = await h.slack.submitView(SLACK.berlin, modal.id);
    expect(saved.timedOut ?? false).toBe(false);
    expect(saved.ackMs).toBeLessThan(3000);
    expect(JSON.stringify(saved.json)).toContain('Tuesdays at 09:15');
    expect(await h.server.services.store.getReminderSettings(SLACK.berlin)).toMatchObject({ enabled: true, days: [2], minutes: 555 });

    // The slow part follows the ack: the modal then says where the reminder goes out and when.
    const done = await eventually(() => {
      const view = h.slack.openViews(SLACK.berlin).at(-1);
      return text(view).includes('Saved.') && text(view).includes('Europe/Berlin') ? view : undefined;
    }, 10_000, 'the saved view with the time zone');
    expect(text(done)).toContain('Tuesdays at 09:15');
    expect(text(done)).toContain('Next reminder');
    expect(h.slackProxy!.requests.some((r) => /users\.info/.test(r.path) && r.fault === 'delay')).toBe(true);
  }, 20_000);
});
