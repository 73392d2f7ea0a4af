/**
 * Truth on screen for the tables, link card, nudge, history, created message and key-result chart:
 * a value Gtmhub holds is shown with every decimal it has (never rounded to the format so a broken
 * threshold looks met), and with its direction in the same words as the other surfaces
 * (`valueWithGoal` / `progressWords`), never "x of y" for a falling target or 0% for a threshold.
 */
import { describe, expect, it } from 'vitest';
import type { DataTableBlock } from '@slack/types';
import type { Metric } from '../../../src/gtmhub/types.js';
import { keyResultChart } from '../../../src/slack/blocks/key-result-chart.js';
import { unfurlsOf } from '../../../src/slack/blocks/key-result-card.js';
import { historyView, keyResultCreatedMessage } from '../../../src/slack/blocks/key-result-manage.js';
import { myKeyResultsTable } from '../../../src/slack/blocks/my-key-results-table.js';
import { nudgeMessage } from '../../../src/slack/blocks/nudge-message.js';
import { summaryTableRow, valueToTarget } from '../../../src/slack/blocks/summary-table.js';
import { generatedItem, hex } from './summary-fixture.js';

const uptimeFormat = { prefix: '', suffix: '%', fractionSize: 1 };
const seconds = { prefix: '', suffix: ' s', fractionSize: 1 };

/** Uptime held at 99.85 % against "stay ≥ 99.9 %": broken, though 99.85 rounds to 99.9. */
const uptime: Metric = {
  id: hex(11),
  name: 'API uptime',
  goalId: hex(12),
  initialValue: 99.5,
  target: 99.9,
  actual: 99.85,
  targetOperator: 'should_stay_above',
  format: uptimeFormat,
  attainment: 0,
  url: 'https://acme.gtmhub.com/#/goals/x/metrics/metric/11/',
};

/** Response time down from 10 s to 4 s, now 6.25 s (more decimals than the format's 1). */
const latency: Metric = {
  id: hex(21),
  name: 'P95 response time',
  goalId: hex(22),
  initialValue: 10,
  target: 4,
  actual: 6.25,
  targetOperator: 'at_most',
  format: seconds,
  attainment: 0.625,
  url: 'https://acme.gtmhub.com/#/goals/x/metrics/metric/21/',
  dateCreated: '2026-10-01T00:00:00Z',
  metricHistory: [
    { createdAt: '2026-10-10T00:00:00Z', value: 7.25 },
    { createdAt: '2026-10-20T00:00:00Z', value: 6.25 },
  ],
};

const allText = (blocks: unknown) => JSON.stringify(blocks);

describe('tables show the value Gtmhub holds', () => {
  it('a summary table row shows 99.85% (stay ≥ 99.9%) as not met, not 99.9% next to 0%', () => {
    const item = generatedItem(1, 20, { actual: 99.85, target: 99.9, format: uptimeFormat, direction: 'stay_above', targetOperator: 'should_stay_above', attainment: 0 });
    const row = summaryTableRow('Reliability', item);
    expect(row[2]).toEqual({ type: 'raw_number', value: 0, text: 'not met' });
    expect(row[3]).toEqual({ type: 'raw_text', text: '99.85% (stay ≥ 99.9%)' });
    expect(summaryTableRow('Reliability', { ...item, actual: 99.95, attainment: 1 })[2]).toEqual({ type: 'raw_number', value: 100, text: 'met' });
  });

  it('value → target keeps every decimal of the value and the target, in the format', () => {
    expect(valueToTarget({ actual: 6.25, target: 4, format: seconds, direction: 'decrease' })).toBe('6.25 s → 4.0 s ↓');
    expect(valueToTarget({ actual: 2.5, target: 3.25, format: { suffix: 'x', fractionSize: 0 }, direction: 'increase' })).toBe('2.5x → 3.25x ↑');
  });

  it('my key results table shows the broken threshold as it is', () => {
    const table = myKeyResultsTable([{ goalName: 'Reliability', keyResults: [{ metric: uptime, due: true, dueSoon: false, muted: null }] }]) as DataTableBlock;
    const row = table.rows[1]!;
    expect(row[2]).toEqual({ type: 'raw_number', value: 0, text: 'not met' });
    expect(row[3]).toEqual({ type: 'raw_text', text: '99.85% (stay ≥ 99.9%)' });
  });
});

describe('the nudge DM', () => {
  it('says where a falling value has to go, with the value as Gtmhub holds it', () => {
    const text = allText(nudgeMessage({ keyResult: latency, objectiveName: 'Speed', nudgerSlackUserId: 'U0ANA0001' }).blocks);
    expect(text).toContain('63% · 6.25 s → target ≤ 4.0 s');
    expect(text).not.toContain(' of ');
  });

  it('says a broken threshold is not met', () => {
    const text = allText(nudgeMessage({ keyResult: uptime, objectiveName: 'Reliability', nudgerSlackUserId: 'U0ANA0001' }).blocks);
    expect(text).toContain('not met · 99.85% · stay ≥ 99.9%');
    expect(text).not.toContain('0%`');
  });
});

describe('the check-in history', () => {
  const view = (keyResult: Metric) =>
    allText(
      historyView({
        keyResult,
        objective: { id: hex(22), name: 'Speed' } as never,
        mayChange: false,
        entries: [{ at: '2026-10-20T00:00:00Z', by: 'Ana Novak', value: 6.25, confidence: null, comment: '', ref: null }],
      }).blocks,
    );

  it('heads with the direction and lists each check-in with every decimal it has', () => {
    const text = view(latency);
    expect(text).toContain('63% · 6.25 s → target ≤ 4.0 s');
    expect(text).toContain('*6.25 s* · Ana Novak');
    // The chart in words: stored check-ins and target as held, the computed pace rounded to the format.
    expect(text).toContain('from 7.25 s on 10 Oct to 6.25 s on 20 Oct; target 4.0 s');
  });

  it('says a broken threshold is not met', () => {
    expect(view(uptime)).toContain('not met · 99.85% · stay ≥ 99.9%');
  });
});

describe('the key-result chart words', () => {
  it('show stored check-ins and the target unrounded, and the computed pace in the format', () => {
    const described = keyResultChart({
      name: 'Ratio',
      format: { suffix: 'x', fractionSize: 0 },
      initialValue: 1,
      target: 3.5,
      checkIns: [{ at: new Date('2026-10-01T00:00:00Z'), value: 1.25 }, { at: new Date('2026-10-11T00:00:00Z'), value: 2.5 }],
      pace: { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-10-21T00:00:00Z') },
    })!;
    expect(described.description).toBe('2 check-ins of Ratio, from 1.25x on 1 Oct to 2.5x on 11 Oct; target 3.5x; expected by the last check-in 2x.');
  });
});

describe('the link card and the created message', () => {
  it('the card shows the held value and a threshold as met or not', () => {
    const card = allText(unfurlsOf([{ kind: 'key_result', url: 'https://acme.gtmhub.com/x', keyResult: latency, objectiveName: 'Speed' }], new Date('2026-11-01T00:00:00Z')));
    expect(card).toContain('63% · 6.25 s · decrease to 4.0 s');
    const ratio = allText(unfurlsOf([{ kind: 'key_result', url: 'https://acme.gtmhub.com/y', keyResult: { ...latency, actual: 2.5, target: 4, initialValue: 1, targetOperator: 'at_least', attainment: 0.5, format: { suffix: 'x', fractionSize: 0 } }, objectiveName: 'Speed' }], new Date()));
    expect(ratio).toContain('2.5x · increase to 4x');
    const held = allText(unfurlsOf([{ kind: 'key_result', url: 'https://acme.gtmhub.com/z', keyResult: uptime, objectiveName: 'Reliability' }], new Date()));
    expect(held).toContain('not met · 99.85% · stay above 99.9%');
  });

  it('the created message says where the value starts and where it has to go', () => {
    const { blocks } = keyResultCreatedMessage({ ...latency, initialValue: 10.25 }, { id: hex(22), name: 'Speed' } as never, 'U0BEN0001');
    expect(allText(blocks)).toContain('Starts at 10.25 s, target ≤ 4.0 s.');
  });
});
