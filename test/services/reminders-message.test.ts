import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView } from '../../src/emulator/slack/block-kit-validator.js';
import { ROWS_PER_MESSAGE } from '../../src/domain/limits.js';
import type { ReminderMessage } from '../../src/services/reminders/ports.js';
import { parseSchedule, parseWorkingTime } from '../../src/services/reminders/schedule.js';
import { appHomeView } from '../../src/slack/blocks/app-home.js';
import { outcomeText, parseRowValue, reminderMessage, REMINDER_ACTION, rowValue } from '../../src/slack/blocks/reminder-message.js';
import { reminderSettingsModal } from '../../src/slack/blocks/reminder-settings-modal.js';
import type { ReminderItem, ReminderItemSnapshot } from '../../src/store/reminder-store.js';

const NOW = new Date('2026-11-30T09:00:00Z');
const rules = { defaultSchedule: parseSchedule('mon 10:00'), working: parseWorkingTime('08:00-19:00', 'mon-fri'), followUp: true };

function snapshot(n: number): ReminderItemSnapshot {
  return {
    name: `<&> Key result ${n} ${"with a long name ".repeat(20)}`,
    goalName: `Objective ${n} ${'x'.repeat(300)}`,
    url: `https://app.example/kr/${n}`,
    initialValue: 0,
    target: 1000,
    actual: 420.5,
    targetOperator: 'at_least',
    format: { prefix: '$', suffix: '', fractionSize: 2 },
    lastCheckInDate: n % 2 ? null : '2026-11-02T10:00:00Z',
    dueDate: '2026-12-03T00:00:00Z',
    dueSoon: true,
  };
}

function message(count: number, pageOffset = 0, acted = 0): ReminderMessage {
  const items: ReminderItem[] = Array.from({ length: count }, (_, i) => ({
    reminderId: 7,
    metricId: i.toString(16).padStart(24, '0'),
    position: i,
    snapshot: snapshot(i),
    outcome: i < acted ? { kind: 'snoozed', until: '2026-12-01T07:00:00Z' } : null,
    actedAt: null,
  }));
  return {
    reminder: { id: 7, kind: 'period', periodStart: new Date('2026-11-29T23:00:00Z'), periodEnd: new Date('2026-12-06T23:00:00Z'), pageOffset, timeZone: 'Europe/Berlin' },
    items,
    now: NOW,
  };
}

describe('the reminder message', () => {
  it('fits any number of key results into Slack\'s 50 blocks and passes the strict validator', () => {
    for (const count of [1, 2, ROWS_PER_MESSAGE, ROWS_PER_MESSAGE + 1, 45, 200]) {
      const { text, blocks } = reminderMessage(message(count));
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(validateMessageBlocks(blocks)).toEqual([]);
      expect(text.length).toBeGreaterThan(0);
    }
  });

  it('offers No change for all only while more than one row is open', () => {
    expect(JSON.stringify(reminderMessage(message(3)).blocks)).toContain('No change for all 3');
    expect(JSON.stringify(reminderMessage(message(3, 0, 1)).blocks)).toContain('No change for all 2');
    const lastOne = JSON.stringify(reminderMessage(message(3, 0, 2)).blocks);
    expect(lastOne).not.toContain(REMINDER_ACTION.noChangeForAll);
    expect(lastOne).toContain(REMINDER_ACTION.noChange);
  });

  it('shows the stalest first and a button that walks through the rest', () => {
    const first = JSON.stringify(reminderMessage(message(45)).blocks);
    expect(first).toContain('Showing 1–20 of 45');
    expect(first).toContain(REMINDER_ACTION.nextPage);
    expect(first).toContain('Show the next 20');
    const last = JSON.stringify(reminderMessage(message(45, 40)).blocks);
    expect(last).toContain('Showing 41–45 of 45');
    expect(last).toContain('Back to the first');
    expect(JSON.stringify(reminderMessage(message(3)).blocks)).not.toContain(REMINDER_ACTION.nextPage);
  });

  it('escapes names and drops the buttons when every row is done', () => {
    const open = JSON.stringify(reminderMessage(message(2)).blocks);
    expect(open).toContain('&lt;&amp;&gt;');
    expect(open).toContain('No change for all 2');
    const done = reminderMessage(message(2, 0, 2));
    // No check-in buttons are left; only each snooze's Undo (issue 13 item 6).
    const left = done.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(left.length).toBeGreaterThan(0);
    for (const element of left) expect((element as { action_id: string }).action_id).toBe(REMINDER_ACTION.undoMute);
    expect(done.text).toContain('All done');
    expect(JSON.stringify(done.blocks)).toContain('Snoozed until Tue 08:00');
  });

  it('describes every outcome', () => {
    const s = snapshot(1);
    expect(outcomeText({ kind: 'checked_in', from: 42, to: 48 }, s, 'UTC', NOW)).toContain('$42.00 → *$48.00*');
    expect(outcomeText({ kind: 'no_change', value: 42, pending: true }, s, 'UTC', NOW)).toContain('waiting for Gtmhub');
    expect(outcomeText({ kind: 'skipped' }, s, 'UTC', NOW)).toContain('Skipped');
    expect(outcomeText({ kind: 'already_checked_in', at: '2026-11-30T08:00:00Z' }, s, 'UTC', NOW)).toContain('Already checked in (Mon 08:00)');
    expect(outcomeText({ kind: 'not_checkable', reason: 'its objective is no longer active' }, s, 'UTC', NOW)).toContain('no longer active');
  });

  it('carries ids only in button values, and reads back nothing else', () => {
    const value = rowValue(7, 'ab'.repeat(12), 'tomorrow');
    expect(parseRowValue(value)).toEqual({ reminderId: 7, metricId: 'ab'.repeat(12), option: 'tomorrow' });
    expect(parseRowValue('7:notanid')).toBeNull();
    expect(parseRowValue(`7:${'ab'.repeat(12)}:forever`)).toBeNull();
  });
});

describe('settings modal and App Home', () => {
  const state = {
    settings: { enabled: true, schedule: parseSchedule('mon,thu 09:30'), custom: true },
    timeZone: 'Asia/Tokyo',
    period: { key: '2026-11-30', start: NOW, end: NOW, slotAt: NOW, deliverAt: NOW },
    nextReminderAt: new Date('2026-12-03T00:30:00Z'),
  };

  it('builds a valid modal with the person\'s days and time', () => {
    const view = reminderSettingsModal(state, rules, NOW);
    expect(validateView(view)).toEqual([]);
    const shown = JSON.stringify(view);
    expect(shown).toContain('"initial_time":"09:30"');
    expect(shown).toContain('Thu 09:30');
  });

  it('builds a valid Home tab within 100 blocks however many key results there are', () => {
    const metric = (n: number) => ({ id: n.toString(16).padStart(24, '0'), name: `KR ${n}`, goalId: 'g', target: 10, actual: 3, lastCheckInDate: null });
    const home = appHomeView(
      {
        kind: 'ready',
        state,
        groups: Array.from({ length: 30 }, (_, g) => ({
          goalName: `Goal ${g}`,
          keyResults: Array.from({ length: 5 }, (_, k) => ({ metric: metric(g * 5 + k), due: k % 2 === 0, dueSoon: false, muted: k === 1 ? { kind: 'skip' as const } : null })),
        })),
      },
      rules,
      NOW,
      { slackUserId: 'U1', admins: '<@UADMIN>' },
    );
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    expect(validateView(home)).toEqual([]);
    expect(JSON.stringify(home)).toContain('more not shown');
  });

  it('shows an unmapped person the explanation on the Home tab, not reminder settings (issue 13 item 9)', () => {
    const home = appHomeView({ kind: 'unmapped', reason: { kind: 'no_email' }, state }, rules, NOW, { slackUserId: 'U1', admins: '<@UADMIN>' });
    expect(validateView(home)).toEqual([]);
    const shown = JSON.stringify(home);
    expect(shown).toContain('email address');
    expect(shown).toContain('<@UADMIN>');
    expect(shown).not.toContain('Check-in reminders');
    expect(shown).not.toContain(REMINDER_ACTION.settings);
  });
});
