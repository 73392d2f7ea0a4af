import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { Metric } from '../../src/gtmhub/types.js';
import { shownFor, shownOf, SubmittedValues, type ShownKeyResult, type ValueWriter } from '../../src/services/checkin-shown.js';
import { DrasticChangeConfirmations } from '../../src/services/drastic-change.js';
import { FormQuestions } from '../../src/services/form-questions.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { NotCheckableReason } from '../../src/services/key-results.js';

const REVENUE = 'a'.repeat(24);
const NPS = 'b'.repeat(24);
const revenueShown: ShownKeyResult = { metricId: REVENUE, prefix: '€', suffix: '', actual: 1_300_000, initial: 1_000_000, target: 2_000_000 };
const nps: Metric = { id: NPS, name: 'Net promoter score', goalId: 'g', actual: 30, initialValue: 0, target: 60 };
const write: ValueWriter = (value, { prefix, suffix }) => `${prefix}${value}${suffix}`;

function reader(options: { metric?: Metric; reason?: NotCheckableReason | null; slow?: boolean; mapped?: boolean } = {}) {
  const clock = fixedClock('2026-12-02T10:00:00Z');
  const reads: string[] = [];
  const store = SqliteStore.open(':memory:');
  const values = new SubmittedValues({
    questions: new FormQuestions(store, clock),
    changeConfirmations: new DrasticChangeConfirmations(new FormQuestions(store, clock)),
    people: { resolve: async () => (options.mapped === false ? { mapped: false, reason: 'no_email' } as never : { mapped: true, gtmhubUserId: 'u1', email: null, source: 'email', displayName: null }) },
    keyResults: {
      checkFor: async (metricId) => {
        reads.push(metricId);
        if (options.slow) await new Promise((resolve) => setTimeout(resolve, 200));
        return { metric: options.metric ?? nps, goalName: 'Growth', reason: options.reason ?? null };
      },
    },
    rereadWithinMs: 50,
  });
  return { values, reads, clock };
}

describe('what the check-in form showed', () => {
  it('belongs to the key result it names and to no other', () => {
    expect(shownFor(revenueShown, REVENUE)).toBe(revenueShown);
    expect(shownFor(revenueShown, ` ${REVENUE} `)).toBe(revenueShown);
    expect(shownFor(revenueShown, NPS)).toBeNull();
    expect(shownFor(revenueShown, null)).toBeNull();
    expect(shownFor(undefined, REVENUE)).toBeNull();
    expect(shownOf({ ...nps, format: { prefix: '', suffix: ' pts', fractionSize: 0 } })).toEqual({ metricId: NPS, prefix: '', suffix: ' pts', actual: 30, initial: 0, target: 60 });
  });

  it('reads the value of the key result it showed without asking Gtmhub', async () => {
    const { values, reads } = reader();
    expect(await values.basis('U1', REVENUE, '€1,300,000', revenueShown)).toEqual({ kind: 'shown', shown: revenueShown });
    expect(reads).toEqual([]);
  });

  it('re-reads another key result from Gtmhub, tells once that the form changed, then asks about a drastic change against what it holds', async () => {
    const { values, reads } = reader();
    const basis = await values.basis('U1', NPS, '€1,300,000', revenueShown);
    expect(reads).toEqual([NPS]);
    expect(basis).toEqual({ kind: 'reread', name: 'Net promoter score', shown: { metricId: NPS, prefix: '', suffix: '', actual: 30, initial: 0, target: 60 } });
    // Revenue's value is refused for the NPS with words that say the form changed.
    expect(values.valueProblem(basis, '“€1,300,000” is not a number.', write)).toBe(
      'The form changed to “Net promoter score” before its details showed, so this value may be meant for the key result shown before. “Net promoter score” is now 30. Check the value: “€1,300,000” is not a number.',
    );
    // A value that reads for the NPS is never saved unseen: told once, then judged against the NPS's 30.
    expect(await values.question('view:1:n', basis, 1_300_000, write)).toMatch(/^The form changed to “Net promoter score”.* is now 30\. Check the value, then press Check in again to save 1300000 to it\.$/);
    expect(await values.question('view:1:n', basis, 1_300_000, write)).toMatch(/^Are you sure\? 1300000 instead of 30: it moves the value by more than the whole range/);
    expect(await values.question('view:1:n', basis, 1_300_000, write)).toBeNull();
    // Another form is told again.
    expect(await values.question('view:2:n', basis, 35, write)).toMatch(/^The form changed/);
    expect(await values.question('view:2:n', basis, 35, write)).toBeNull();
  });

  it('re-reads when the form showed nothing for it, leaves a key result the person cannot check in to the write path, and saves nothing when Gtmhub is slow', async () => {
    expect((await reader().values.basis('U1', NPS, '35', undefined)).kind).toBe('reread');
    // One the person cannot check in: read with its own unit, asked nothing; the write path refuses it and says why.
    const notOwned = reader({ reason: 'not_owner' }).values;
    const refused = await notOwned.basis('U1', NPS, '35', revenueShown);
    expect(refused).toEqual({ kind: 'refused', shown: shownOf(nps) });
    expect(await notOwned.question('view:1:n', refused, 35, write)).toBeNull();
    expect(notOwned.valueProblem(refused, '“$35” is not a number.', write)).toBe('“$35” is not a number.');
    const slow = await reader({ slow: true }).values.basis('U1', NPS, '35', revenueShown);
    expect(slow.kind).toBe('unreadable');
    expect(slow.kind === 'unreadable' && slow.message).toContain('Nothing was saved');
  });

  it('leaves the plain rules to what it cannot read: no id, no value, a person not mapped', async () => {
    const { values, reads } = reader({ mapped: false });
    expect(await values.basis('U1', null, '35', revenueShown)).toEqual({ kind: 'none' });
    expect(await values.basis('U1', 'not-an-id', '35', revenueShown)).toEqual({ kind: 'none' });
    expect(await values.basis('U1', NPS, '  ', revenueShown)).toEqual({ kind: 'none' });
    expect(reads).toEqual([]);
    expect(await values.basis('U1', NPS, '35', revenueShown)).toEqual({ kind: 'none' });
    expect(await values.question('view:1:n', { kind: 'none' }, 35, write)).toBeNull();
  });
});
