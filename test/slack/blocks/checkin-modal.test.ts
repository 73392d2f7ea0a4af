import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../src/gtmhub/types.js';
import { validateOptionsResponse, validateView } from '../../../src/emulator/slack/block-kit-validator.js';
import {
  checkInFormView,
  decodeMetadata,
  parseMetadata,
  encodeMetadata,
  keyResultOptions,
  numberInputText,
} from '../../../src/slack/blocks/checkin-modal.js';
import { STATIC_SELECT_LIMIT } from '../../../src/slack/blocks/slack-limits.js';
import { parseNumberInput } from '../../../src/services/number-input.js';
import type { KeyResultGroup } from '../../../src/services/key-results.js';

function metric(i: number, goal: number): Metric {
  return {
    id: (i.toString(16) + 'a'.repeat(24)).slice(0, 24),
    name: `Key result number ${i} with a name long enough to need truncating somewhere past seventy-five characters`,
    goalId: `goal${goal}`,
    actual: i,
    target: 100,
    initialValue: 0,
  };
}

function groups(count: number): KeyResultGroup[] {
  const out: KeyResultGroup[] = [];
  for (let i = 0; i < count; i++) {
    const g = i % 7;
    let group = out.find((x) => x.goalId === `goal${g}`);
    if (!group) out.push((group = { goalId: `goal${g}`, goalName: `Objective ${g}`, keyResults: [] }));
    group.keyResults.push(metric(i, g));
  }
  return out;
}

const meta = { channelId: 'C123ABC', nonce: 'n-1', search: '' };

describe('check-in modal blocks', () => {
  it('uses a static select up to 100 key results and a type-ahead beyond', () => {
    const small = checkInFormView({ meta, groups: groups(STATIC_SELECT_LIMIT), selected: null });
    expect(JSON.stringify(small.blocks)).toContain('"static_select"');
    const big = checkInFormView({ meta, groups: groups(STATIC_SELECT_LIMIT + 1), selected: null });
    expect(JSON.stringify(big.blocks)).toContain('"external_select"');
  });

  it('produces views and options Slack accepts', () => {
    const view = checkInFormView({ meta, groups: groups(100), selected: { metric: metric(3, 1), goalName: 'Objective 1', timeZone: 'Asia/Tokyo', now: new Date() } });
    expect(validateView(view)).toEqual([]);
    const options = keyResultOptions(groups(500), 'number 1');
    expect(validateOptionsResponse(options)).toEqual([]);
    const count = options.option_groups.reduce((n, g) => n + g.options.length, 0);
    expect(count).toBeLessThanOrEqual(100);
    expect(count).toBeGreaterThan(0);
    for (const group of options.option_groups) for (const option of group.options) expect((option.text as { text: string }).text.length).toBeLessThanOrEqual(75);
  });

  it('never trusts private_metadata', () => {
    expect(decodeMetadata(encodeMetadata(meta))).toEqual(meta);
    expect(decodeMetadata('{"c":"<script>","n":"../../etc","q":5}')).toEqual({ channelId: null, nonce: 'none', search: '' });
    expect(decodeMetadata('not json')).toEqual({ channelId: null, nonce: 'none', search: '' });
    // Validated for submissions: without a nonce of ours the metadata is unusable, never a shared default.
    expect(parseMetadata(encodeMetadata(meta))).toEqual(meta);
    for (const broken of ['not json', '', 'null', '[]', '{}', '{"n":""}', '{"n":"../../etc"}', '{"n":5}', '{"c":"C123ABC","q":"x"}']) {
      expect(parseMetadata(broken)).toBeNull();
    }
    expect(parseMetadata(undefined)).toBeNull();
  });

  it('builds a value input that always satisfies its own constraints and shows what Gtmhub holds', () => {
    // A free-text field (Slack's number_input refuses `1,300,000` and units), prefilled readably with
    // exactly the value Gtmhub holds: what it shows parses back to that value.
    const cases: Array<[fractionSize: number, actual: number | undefined, initial: string | undefined, format?: { prefix: string; suffix: string }]> = [
      [0, 38, '38'],
      [0, 38.5, '38.5'],
      [2, 38.5, '38.50'],
      [2, 38, '38.00'],
      [0, -0, '0'],
      [0, -2.25, '-2.25'],
      [0, 1e21, undefined],
      [6, 1e-7, undefined],
      [0, undefined, undefined],
      [0, 1_240_000, '€1,240,000', { prefix: '€', suffix: '' }],
      [1, 11.25, '11.25 h', { prefix: '', suffix: ' h' }],
    ];
    for (const [fractionSize, actual, initial, affixes] of cases) {
      const format = { prefix: '', suffix: '', ...affixes, fractionSize };
      const selected = { ...metric(1, 1), actual, format };
      const view = checkInFormView({ meta, groups: groups(3), selected: { metric: selected, goalName: 'Objective', timeZone: 'UTC', now: new Date() } });
      expect(validateView(view), `${fractionSize}/${actual}`).toEqual([]);
      const input = view.blocks.find((b) => b.block_id === 'value') as { element: { type: string; initial_value?: string }; hint: { text: string } };
      expect(input.element.type).toBe('plain_text_input');
      expect(input.element.initial_value, `${fractionSize}/${actual}`).toBe(initial);
      if (initial !== undefined) {
        const parsed = parseNumberInput(initial, format);
        expect(parsed.ok && parsed.value, `${initial} reads back`).toBe(Object.is(actual, -0) ? 0 : actual);
      }
      expect(decodeMetadata(view.private_metadata).shown).toEqual({ metricId: selected.id, prefix: format.prefix, suffix: format.suffix, actual: actual !== undefined && Number.isFinite(actual) ? actual + 0 : null, initial: 0, target: 100 });
    }
    expect(numberInputText(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('names the key result whose unit and numbers it carries, and drops them without a valid one', () => {
    const selected = { ...metric(7, 1), format: { prefix: '€', suffix: '', fractionSize: 0 } };
    const view = checkInFormView({ meta, groups: groups(3), selected: { metric: selected, goalName: 'Objective', timeZone: 'UTC', now: new Date() } });
    const shown = parseMetadata(view.private_metadata)?.shown;
    expect(shown).toEqual({ metricId: selected.id, prefix: '€', suffix: '', actual: 7, initial: 0, target: 100 });
    expect(view.private_metadata?.length).toBeLessThan(3000);
    expect(parseMetadata(encodeMetadata({ ...meta, shown: shown! }))).toEqual({ ...meta, shown });
    // A form from before the id was written, or an id that is not one: no numbers at all, never another key result's.
    for (const k of [['€', '', 7, 0, 100], ['€', '', 7, 0, 100, '../etc'], ['€', '', 7, 0, 100, 5]]) {
      expect(parseMetadata(JSON.stringify({ n: 'n-1', k }))?.shown).toBeUndefined();
    }
  });
});
