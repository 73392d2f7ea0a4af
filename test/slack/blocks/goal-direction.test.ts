/**
 * Issue 13 item 1 and 2: every surface says what a key result's goal is (down to a target, a
 * threshold to hold), a held threshold reads as met, unknown operators keep working and are
 * labelled, and a stored value is shown with every decimal it has.
 */
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../src/gtmhub/types.js';
import { targetGoalOf, thresholdHeld } from '../../../src/domain/target-goal.js';
import { statusOf } from '../../../src/services/summaries/status.js';
import { goalText, progressWords, valueWithGoal } from '../../../src/slack/blocks/format/goal.js';
import { formatStoredValue, formatValue } from '../../../src/slack/blocks/format/progress.js';
import { keyResultDetails } from '../../../src/slack/blocks/checkin-modal.js';
import { reminderMessage } from '../../../src/slack/blocks/reminder-message.js';
import { attentionLine, keyResultLine } from '../../../src/slack/blocks/summary-message.js';
import type { SummaryItem } from '../../../src/services/summaries/model.js';
import type { ReminderItemSnapshot } from '../../../src/store/reminder-store.js';

const days = { prefix: '', suffix: ' days', fractionSize: 0 };
const pct = { prefix: '', suffix: '%', fractionSize: 0 };
const usd = { prefix: '$', suffix: '', fractionSize: 0 };

function text(blocks: unknown): string {
  return JSON.stringify(blocks);
}

describe('a key result’s goal in words', () => {
  it('says a falling target is a ceiling, not "x of y"', () => {
    expect(valueWithGoal({ actual: 6, target: 3, format: days, targetOperator: 'at_most' })).toBe('6 days → target ≤ 3 days');
    expect(valueWithGoal({ actual: 151_300, target: 140_000, format: usd, targetOperator: 'at_most' })).toBe('$151,300 → target ≤ $140,000');
    expect(valueWithGoal({ actual: 1, target: 0, format: { suffix: ' incidents' }, targetOperator: 'at_most' })).toBe('1 incidents → target ≤ 0 incidents');
  });

  it('says a threshold is to be held', () => {
    expect(valueWithGoal({ actual: 97, target: 100, format: pct, targetOperator: 'should_stay_above' })).toBe('97% · stay ≥ 100%');
    expect(goalText({ target: 7, format: days, targetOperator: 'should_stay_below' })).toBe('stay ≤ 7 days');
  });

  it('keeps "of" for a rising target and labels an operator it does not know, counting it as at least', () => {
    expect(valueWithGoal({ actual: 7, target: 12, format: { suffix: ' logos' }, targetOperator: 'at_least' })).toBe('7 logos of 12 logos');
    expect(valueWithGoal({ actual: 7, target: 12, targetOperator: undefined })).toBe('7 of 12');
    expect(valueWithGoal({ actual: 5, target: 10, targetOperator: 'should_equal' })).toBe('5 → target 10 (goal “should_equal”, counted as at least)');
    expect(targetGoalOf('should_equal')).toMatchObject({ direction: 'increase', known: false });
  });

  it('reads a held threshold as met and a broken one as not met, never as a percentage', () => {
    expect(thresholdHeld(targetGoalOf('should_stay_above'), 99.97, 99.95)).toBe(true);
    expect(thresholdHeld(targetGoalOf('should_stay_below'), 12.5, 7)).toBe(false);
    expect(progressWords(1, 'should_stay_above')).toBe('met');
    expect(progressWords(0, 'should_stay_below')).toBe('not met');
    expect(progressWords(0.42, 'at_most')).toBe('42%');
  });
});

describe('status of a threshold key result in a summary', () => {
  it('is on track while held and behind when broken, whatever the elapsed time', () => {
    const base = { expected: 0.05, confidence: null, checkedInThisPeriod: true, threshold: true };
    expect(statusOf({ ...base, attainment: 1 })).toBe('on_track');
    expect(statusOf({ ...base, attainment: 0 })).toBe('behind');
    // Without the threshold flag a 0 early in the session would pass as on track: the bug this guards.
    expect(statusOf({ ...base, attainment: 0, threshold: false })).toBe('on_track');
  });
});

describe('the surfaces', () => {
  const metric: Metric = {
    id: 'a'.repeat(24),
    name: 'Time to first value',
    goalId: 'b'.repeat(24),
    initialValue: 14,
    target: 3,
    actual: 6,
    targetOperator: 'at_most',
    format: days,
  };

  it('the modal shows the goal with its direction', () => {
    const details = text(keyResultDetails({ metric, goalName: 'Onboarding', timeZone: 'UTC', now: new Date('2026-12-02T00:00:00Z') }));
    expect(details).toContain('*Target:* ≤ 3 days');
    expect(details).toContain('73%');
    const held = text(keyResultDetails({ metric: { ...metric, targetOperator: 'should_stay_above', initialValue: 60, target: 99.95, actual: 99.97, format: { suffix: '%', fractionSize: 2 } }, goalName: 'Ops', timeZone: 'UTC', now: new Date() }));
    expect(held).toContain('` met');
    expect(held).toContain('stay ≥ 99.95%');
    expect(held).not.toContain('0%`');
  });

  it('the reminder DM row shows the goal with its direction', () => {
    const snapshot: ReminderItemSnapshot = {
      name: 'SOC 2 controls passing',
      goalName: 'Security',
      url: null,
      initialValue: 60,
      target: 100,
      actual: 97,
      targetOperator: 'should_stay_above',
      format: pct,
      lastCheckInDate: null,
      dueDate: null,
      dueSoon: false,
    };
    const { blocks } = reminderMessage({
      reminder: { id: 1, kind: 'period', periodStart: new Date('2026-11-30T00:00:00Z'), periodEnd: new Date('2026-12-07T00:00:00Z'), pageOffset: 0, timeZone: 'UTC' },
      items: [{ reminderId: 1, metricId: 'c'.repeat(24), position: 0, snapshot, outcome: null, actedAt: null }],
      now: new Date('2026-12-02T00:00:00Z'),
    });
    expect(text(blocks)).toContain('not met · 97% · stay ≥ 100%');
    expect(text(blocks)).not.toContain('97% of 100%');
  });

  const item: SummaryItem = {
    metricId: 'c'.repeat(24),
    goalId: 'b'.repeat(24),
    name: 'Monthly cloud spend',
    url: '',
    attainment: 0.73,
    actual: 151_300,
    target: 140_000,
    format: usd,
    targetOperator: 'at_most',
    direction: 'decrease',
    change: null,
    confidence: null,
    lowConfidence: false,
    owner: { kind: 'none' },
    status: 'at_risk',
    gap: -0.2,
    lastCheckInDate: null,
  };

  it('the summary line and its attention pointer show the goal', () => {
    expect(keyResultLine(item)).toContain('$151,300 → target ≤ $140,000');
    const threshold = { ...item, name: 'SOC 2', attainment: 0, actual: 97, target: 100, format: pct, targetOperator: 'should_stay_above', direction: 'stay_above' as const, status: 'behind' as const };
    expect(keyResultLine(threshold)).toContain('not met · 97% · stay ≥ 100%');
    expect(attentionLine(threshold)).toContain('97% · stay ≥ 100%, not met');
    expect(attentionLine(threshold)).not.toContain('expected by now');
  });

  it('flags an overdue key result in its line and its attention pointer', () => {
    const overdue = { ...item, status: 'behind' as const, overdue: true, dueDate: new Date('2026-11-27T00:00:00Z') };
    expect(keyResultLine(overdue)).toContain(':warning: *overdue* since');
    expect(attentionLine(overdue)).toContain('overdue');
    expect(keyResultLine(item)).not.toContain('overdue');
  });
});

describe('stored values are shown exactly', () => {
  it('shows every decimal Gtmhub holds, padded to the format', () => {
    expect(formatStoredValue(11.25, { suffix: ' h', fractionSize: 1 })).toBe('11.25 h');
    expect(formatValue(11.25, { suffix: ' h', fractionSize: 1 })).toBe('11.3 h');
    expect(formatStoredValue(11.2, { fractionSize: 2 })).toBe('11.20');
    expect(formatStoredValue(1.005)).toBe('1.005');
    expect(formatStoredValue(1_240_000, { prefix: '€', fractionSize: 0 })).toBe('€1,240,000');
    expect(formatStoredValue(42)).toBe('42');
  });
});
