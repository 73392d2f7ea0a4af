import type { MessageBlock } from '../../../src/slack/blocks/chart-types.js';
import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../../src/emulator/slack/block-kit-validator.js';
import type { Summary, SummaryItem, SummaryObjective } from '../../../src/services/summaries/model.js';
import { STATUSES, type SummaryStatus } from '../../../src/services/summaries/status.js';
import {
  attentionLine,
  keyResultLine,
  messageChars,
  SUMMARY_ACTION,
  SUMMARY_LIMITS,
  summaryMessages,
  summaryPreview,
} from '../../../src/slack/blocks/summary-message.js';

const hex = (n: number) => n.toString(16).padStart(24, '0');

function item(n: number, over: Partial<SummaryItem> = {}): SummaryItem {
  const status: SummaryStatus = STATUSES[n % 4]!;
  return {
    metricId: hex(n),
    goalId: hex(1_000_000 + Math.floor(n / 17)),
    name: `Key result ${n} ${'with a long descriptive name '.repeat(n % 7 === 0 ? 6 : 1)}`.trim(),
    url: `https://app.gtmhub.com/#/goals/${hex(1_000_000 + Math.floor(n / 17))}/metric/${hex(n)}`,
    attainment: (n % 120) / 100,
    actual: n % 120,
    target: 100,
    format: { prefix: n % 2 ? '$' : '', suffix: n % 2 ? '' : '%', fractionSize: 0 },
    change: n % 5 === 0 ? 'new' : { attainment: ((n % 21) - 10) / 100, actual: (n % 21) - 10 },
    confidence: n % 3 === 0 ? null : (n % 10) / 10,
    lowConfidence: n % 10 < 4 && n % 3 !== 0,
    owner: n % 6 === 0 ? { kind: 'gtmhub', name: `Team <${n}> & co`, team: true } : { kind: 'slack', slackUserId: `U${String(n % 40).padStart(8, '0')}`, name: `Person ${n % 40}` },
    status,
    gap: n % 4 === 0 ? null : -((n % 50) / 100),
    lastCheckInDate: new Date('2026-11-20T00:00:00Z'),
    direction: n % 5 === 1 ? 'decrease' : 'increase',
    ...over,
  };
}

function summaryOf(count: number): Summary {
  const objectives = new Map<string, SummaryObjective>();
  const items: SummaryItem[] = [];
  for (let n = 1; n <= count; n++) {
    const kr = item(n);
    items.push(kr);
    const objective = objectives.get(kr.goalId) ?? { goalId: kr.goalId, name: `Objective ${kr.goalId.slice(-3)} ${'— a very long objective name '.repeat(n % 3 === 0 ? 8 : 1)}`, items: [] };
    objective.items.push(kr);
    objectives.set(kr.goalId, objective);
  }
  const counts = Object.fromEntries(STATUSES.map((s) => [s, items.filter((i) => i.status === s).length])) as Record<SummaryStatus, number>;
  return {
    title: 'Weekly key results summary',
    scope: { kind: 'channel' },
    scopeText: 'the members of <#CTEAM0001>',
    channelId: 'CTEAM0001',
    period: { start: new Date('2026-11-23T08:00:00Z'), end: new Date('2026-11-30T08:00:00Z'), label: '23 Nov – 30 Nov 2026' },
    generatedAt: new Date('2026-11-30T08:00:00Z'),
    previousAt: new Date('2026-11-23T08:00:00Z'),
    total: items.length,
    overall: 0.5,
    overallChange: 0.03,
    expected: 0.6,
    progressHistory: [],
    counts,
    objectives: [...objectives.values()],
    needsAttention: items.filter((i) => i.status === 'behind' || i.status === 'at_risk'),
    notCheckedIn: Array.from({ length: 300 }, (_, i) => ({ owner: { kind: 'slack' as const, slackUserId: `U${String(i).padStart(8, '0')}`, name: `P${i}` }, count: (i % 4) + 1 })),
  };
}

function texts(blocks: MessageBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section') return [b.text?.text ?? ''];
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'context') return b.elements.map((e) => ('text' in e && typeof e.text === 'string' ? e.text : ''));
    return [];
  });
}

function expectWithinLimits(blocks: MessageBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  expect(validateMessageBlocks(blocks)).toEqual([]);
  for (const block of blocks) {
    if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3000);
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150);
  }
  expect(messageChars(blocks)).toBeLessThanOrEqual(SUMMARY_LIMITS.messageChars);
}

describe('summary messages at 1,000 key results', () => {
  const summary = summaryOf(1000);
  const messages = summaryMessages(summary);

  it('splits into messages that each pass Slack’s limits', () => {
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expectWithinLimits(message.blocks);
      expect(message.text.length).toBeGreaterThan(0);
      expect(message.text.length).toBeLessThanOrEqual(3000);
    }
  });

  it('shows every key result’s line exactly once across the thread, in order', () => {
    const all = messages.flatMap((m) => texts(m.blocks)).join('\n');
    const seen: string[] = [];
    for (const match of all.matchAll(/\/metric\/([0-9a-f]{24})\|/g)) seen.push(match[1]!);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    expect(seen).toEqual(summary.objectives.flatMap((o) => o.items.map((i) => i.metricId)));
  });

  it('puts the overview in the first message and marks the continuation', () => {
    const [first, second] = messages;
    expect(first!.blocks[0]).toMatchObject({ type: 'header' });
    const firstText = texts(first!.blocks).join('\n');
    expect(firstText).toContain('*Needs attention*');
    expect(firstText).toContain('*Not checked in this period*');
    expect(firstText).toMatch(/and \d+ more/);
    expect(firstText).toContain(`continues in this message's thread (${messages.length - 1} more messages)`);
    expect(texts(second!.blocks)[0]).toContain(`continued (2/${messages.length})`);
    expect(first!.text).toContain('1000 key results');
  });

  it('repeats an objective heading, marked continued, when its key results run into the next message', () => {
    const starts = messages.slice(1).map((m) => texts(m.blocks)[1] ?? '');
    expect(starts.some((s) => s.includes('_(continued)_'))).toBe(true);
  });

  it('truncates long names with an ellipsis and escapes mrkdwn', () => {
    const long = item(7, { name: 'x'.repeat(300) });
    expect(keyResultLine(long)).toContain(`${'x'.repeat(SUMMARY_LIMITS.keyResultName - 1)}…`);
    expect(keyResultLine(item(6))).toContain('Team &lt;6&gt; &amp; co (team)');
    const header = messages[0]!.blocks[0]!;
    expect(header.type === 'header' && header.text.text.length).toBeLessThanOrEqual(150);
  });

  it('keeps "Needs attention" to pointers without links', () => {
    const section = messages[0]!.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*Needs attention*'));
    const text = section?.type === 'section' ? section.text!.text : '';
    expect(text.split('\n').length).toBeLessThanOrEqual(SUMMARY_LIMITS.needsAttention + 2);
    expect(text).not.toContain('/metric/');
  });
});

describe('small summaries and the preview', () => {
  it('fit in one message without a thread note', () => {
    const messages = summaryMessages(summaryOf(5));
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0]!.blocks)).not.toContain(':thread:');
    expectWithinLimits(messages[0]!.blocks);
  });

  it('a key result line says status, progress, value/target, change, confidence and owner', () => {
    const line = keyResultLine(
      item(2, { name: 'Grow ARR', attainment: 0.42, actual: 4200, target: 10000, format: { prefix: '$', suffix: '', fractionSize: 0 }, change: { attainment: 0.12, actual: 1200 }, confidence: 0.3, lowConfidence: true, status: 'behind', owner: { kind: 'slack', slackUserId: 'UANA', name: 'Ana' } }),
    );
    expect(line).toBe(
      ':red_circle: _behind_ · *<https://app.gtmhub.com/#/goals/0000000000000000000f4240/metric/000000000000000000000002|Grow ARR>*  `▓▓▓▓░░░░░░` 42% · $4,200 / $10,000 · ▲ +12 pts (+$1,200) · conf 0.3 (low) · <@UANA>',
    );
    expect(attentionLine(item(2, { name: 'Grow ARR', attainment: 0.42, gap: -0.3, lowConfidence: false, status: 'behind', owner: { kind: 'slack', slackUserId: 'UANA', name: 'Ana' } }))).toBe(
      ':red_circle: _behind_ · Grow ARR — 42% (72% expected by now) · <@UANA>',
    );
  });

  it('the preview is the first message plus buttons whose values are the request id only', () => {
    const preview = summaryPreview(summaryOf(1000), 'abcdef0123456789abcdef01', 'team', 17);
    expectWithinLimits(preview.blocks);
    const actions = preview.blocks.at(-1)!;
    expect(actions.type).toBe('actions');
    const buttons = actions.type === 'actions' ? actions.elements : [];
    expect(buttons.map((b) => ('action_id' in b ? [b.action_id, 'value' in b ? b.value : null] : null))).toEqual([
      [SUMMARY_ACTION.post, 'abcdef0123456789abcdef01'],
      [SUMMARY_ACTION.cancel, 'abcdef0123456789abcdef01'],
    ]);
    expect(JSON.stringify(preview.blocks)).toContain('Post to #team');
    expect(JSON.stringify(preview.blocks)).toContain('continues in 17 more messages');
  });
});
