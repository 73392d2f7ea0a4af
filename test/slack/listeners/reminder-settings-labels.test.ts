import { describe, expect, it } from 'vitest';
import type { ViewSubmitAction } from '@slack/bolt';
import type { InputBlock, KnownBlock } from '@slack/types';
import { clientSideErrors } from '../../../src/emulator/slack/view-state.js';
import { parseSchedule, parseWorkingTime } from '../../../src/services/reminders/schedule.js';
import { reminderSettingsModal, SETTINGS_ACTION, SETTINGS_BLOCK } from '../../../src/slack/blocks/reminder-settings-modal.js';
import { readSettings } from '../../../src/slack/listeners/views/reminder-settings.js';

type Values = ViewSubmitAction['view']['state']['values'];

const NOW = new Date('2026-11-30T09:00:00Z');
const rules = { defaultSchedule: parseSchedule('mon 10:00'), working: parseWorkingTime('08:00-19:00', 'mon-fri'), followUp: true };
const state = (enabled: boolean) => ({
  settings: { enabled, schedule: parseSchedule('mon,thu 09:30'), custom: true },
  timeZone: 'Europe/Berlin',
  period: { key: '2026-11-30', start: NOW, end: NOW, slotAt: NOW, deliverAt: NOW },
  nextReminderAt: enabled ? new Date('2026-12-03T08:30:00Z') : null,
});

/** What Slack would submit for the modal as opened, untouched. */
function initialValues(blocks: KnownBlock[]): Values {
  const values: Values = {};
  for (const block of blocks) {
    if (block.type !== 'input') continue;
    const input = block as InputBlock;
    const el = input.element as { type: string; action_id: string; initial_option?: { value: string }; initial_options?: { value: string }[]; initial_time?: string };
    const value =
      el.type === 'radio_buttons'
        ? { type: el.type, selected_option: el.initial_option ?? null }
        : el.type === 'checkboxes'
          ? { type: el.type, selected_options: el.initial_options ?? [] }
          : { type: el.type, selected_time: el.initial_time ?? null };
    values[input.block_id!] = { [el.action_id]: value } as Values[string];
  }
  return values;
}

function emptied(values: Values, blockId: string): Values {
  const [actionId, value] = Object.entries(values[blockId]!)[0]!;
  const blank = { ...value, selected_option: null, selected_options: [], selected_time: null } as Values[string][string];
  return { ...values, [blockId]: { [actionId]: blank } };
}

describe('reminder settings: what the labels say is what the server asks', () => {
  for (const enabled of [true, false]) {
    it(`each field marked required is refused when empty, and each optional one is not (reminders ${enabled ? 'on' : 'off'})`, () => {
      const view = reminderSettingsModal(state(enabled), rules, NOW);
      const blocks = view.blocks as KnownBlock[];
      const untouched = initialValues(blocks);
      expect(readSettings(untouched)).toMatchObject({ ok: true, enabled, days: [1, 4], minutes: 570 });
      const inputs = blocks.filter((b): b is InputBlock => b.type === 'input');
      expect(inputs.map((b) => b.block_id)).toEqual(expect.arrayContaining([SETTINGS_BLOCK.days, SETTINGS_BLOCK.time]));
      for (const input of inputs.filter((b) => b.block_id !== SETTINGS_BLOCK.enabled)) {
        const values = emptied(untouched, input.block_id!);
        const server = readSettings(values);
        const serverRefuses = !server.ok && input.block_id! in server.errors;
        // Slack shows "(optional)" beside the label exactly when `optional` is true.
        expect({ field: input.block_id, serverRefuses }).toEqual({ field: input.block_id, serverRefuses: input.optional !== true });
        // And the Slack client itself refuses an empty required field before the app sees it.
        expect(input.block_id! in clientSideErrors(blocks, values as never)).toBe(input.optional !== true);
      }
    });
  }

  it('refuses no days with a message that says how to stop reminders instead', () => {
    const values = emptied(initialValues(reminderSettingsModal(state(true), rules, NOW).blocks as KnownBlock[]), SETTINGS_BLOCK.days);
    const result = readSettings(values);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[SETTINGS_BLOCK.days]).toMatch(/Pick at least one day.*No reminders/);
    expect(Object.keys(values[SETTINGS_BLOCK.days]!)).toEqual([SETTINGS_ACTION.days]);
  });
});
