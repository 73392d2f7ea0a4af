/**
 * The reminder settings submission with fake ack/client (level 1): it acks before saving, and a save
 * that fails after the ack is told in the modal, or by DM when the modal is gone; never silence.
 */
import { describe, expect, it } from 'vitest';
import { SETTINGS_ACTION, SETTINGS_BLOCK } from '../../../src/slack/blocks/reminder-settings-modal.js';
import { InFlightWork } from '../../../src/slack/in-flight.js';
import type { ListenerContext } from '../../../src/slack/listeners/context.js';
import { reminderSettingsSubmission } from '../../../src/slack/listeners/views/reminder-settings.js';

const USER = 'UBERLIN01';
const VIEW_ID = 'V0SETTINGS';

function submission(save: () => Promise<unknown>, opts: { updateFails?: boolean } = {}) {
  const order: string[] = [];
  const acks: unknown[] = [];
  const updates: Array<{ view_id: string; view: { blocks: unknown[] } }> = [];
  const posts: Array<{ channel: string; text: string }> = [];
  const logged: string[] = [];
  const log = (_fields: unknown, message: string) => void logged.push(message);
  const ctx = {
    logger: { info: log, warn: log, error: log },
    inFlight: new InFlightWork(),
    services: {
      clock: { now: () => new Date('2026-11-30T07:00:00Z') },
      reminderSettings: {
        saveSettings: async () => {
          order.push('save');
          return save();
        },
        rules: {},
      },
      // publishHome: its failure is logged and the tab keeps its content.
      reminderHome: { home: async () => Promise.reject(new Error('no home in this test')) },
    },
  } as unknown as ListenerContext;
  const client = {
    views: {
      update: async (args: { view_id: string; view: { blocks: unknown[] } }) => {
        if (opts.updateFails) throw new Error('An API error occurred: not_found');
        updates.push(args);
        return { ok: true };
      },
      publish: async () => ({ ok: true }),
    },
    chat: {
      postMessage: async (args: { channel: string; text: string }) => {
        posts.push(args);
        return { ok: true, channel: 'D0BERLIN', ts: '1.2' };
      },
    },
  };
  const values = {
    [SETTINGS_BLOCK.enabled]: { [SETTINGS_ACTION.enabled]: { type: 'radio_buttons', selected_option: { value: 'on' } } },
    [SETTINGS_BLOCK.days]: { [SETTINGS_ACTION.days]: { type: 'checkboxes', selected_options: [{ value: '2' }] } },
    [SETTINGS_BLOCK.time]: { [SETTINGS_ACTION.time]: { type: 'timepicker', selected_time: '09:15' } },
  };
  const args = {
    ack: async (response: unknown) => {
      order.push('ack');
      acks.push(response);
    },
    body: { user: { id: USER } },
    view: { id: VIEW_ID, state: { values } },
    client,
  } as unknown as Parameters<typeof reminderSettingsSubmission>[0];
  return { run: () => reminderSettingsSubmission(args, ctx), order, acks, updates, posts, logged };
}

describe('reminder settings submission', () => {
  it('acks with what the submission says before saving (which may wait on Slack), then shows the outcome', async () => {
    const state = {
      settings: { enabled: true, schedule: { days: [2], minutes: 555 }, custom: true },
      timeZone: 'Europe/Berlin',
      period: {},
      nextReminderAt: new Date('2026-12-01T08:15:00Z'),
    };
    const s = submission(async () => state);
    await s.run();
    expect(s.order).toEqual(['ack', 'save']);
    expect(s.acks[0]).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(s.acks[0])).toContain('Tuesdays at 09:15');
    expect(s.updates).toHaveLength(1);
    expect(s.updates[0]!.view_id).toBe(VIEW_ID);
    expect(JSON.stringify(s.updates[0]!.view.blocks)).toContain('Saved.');
    expect(JSON.stringify(s.updates[0]!.view.blocks)).toContain('Europe/Berlin');
    expect(s.posts).toEqual([]);
  });

  it('tells a save that failed after the ack in the modal, in plain words', async () => {
    const s = submission(async () => Promise.reject(new Error('SQLITE_BUSY at /secret/path')));
    await s.run();
    expect(s.order).toEqual(['ack', 'save']);
    expect(s.updates).toHaveLength(1);
    const shown = JSON.stringify(s.updates[0]!.view.blocks);
    expect(shown).toContain('Your reminder settings were not saved.');
    expect(shown).toContain('/kr remind');
    expect(shown).not.toContain('SQLITE_BUSY');
    expect(s.logged).toContain('could not save reminder settings');
  });

  it('tells the failure by DM when the modal cannot show it (closed while saving)', async () => {
    const s = submission(async () => Promise.reject(new Error('SQLITE_BUSY')), { updateFails: true });
    await s.run();
    expect(s.posts).toHaveLength(1);
    expect(s.posts[0]!.channel).toBe(USER);
    expect(s.posts[0]!.text).toMatch(/^:warning: Your reminder settings were not saved\./);
    expect(s.logged).not.toContain('could not tell the person about a failure');
  });
});
