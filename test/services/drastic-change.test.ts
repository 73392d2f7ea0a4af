import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { drasticChangeReason, DrasticChangeConfirmations } from '../../src/services/drastic-change.js';

const kr = { actual: 20_000, initial: 10_000, target: 50_000 };

describe('a drastic change', () => {
  it('is a sign flip, a drop to zero or a move beyond the whole start-to-target range', () => {
    expect(drasticChangeReason(kr, -20_000)).toContain('sign');
    expect(drasticChangeReason(kr, 0)).toContain('zero');
    expect(drasticChangeReason(kr, 60_001)).toContain('whole range');
    expect(drasticChangeReason(kr, 60_000)).toBeNull();
    expect(drasticChangeReason(kr, 30_500)).toBeNull();
    expect(drasticChangeReason({ actual: null, initial: 0, target: 100 }, 0)).toBeNull();
    expect(drasticChangeReason({ actual: 5, initial: 40, target: 5 }, 0)).toContain('zero');
  });

  it('is asked about once per form and value', () => {
    const clock = fixedClock('2026-12-02T10:00:00Z');
    const confirmations = new DrasticChangeConfirmations(clock);
    const shown = (v: number) => `$${v}`;
    expect(confirmations.question('view:1', 'm', kr, 0, shown)).toBe('Are you sure? $0 instead of $20000: it drops the value to zero. Press Check in again to save it, or correct the value.');
    expect(confirmations.question('view:1', 'm', kr, 0, shown)).toBeNull();
    // Another value, or another form, asks again.
    expect(confirmations.question('view:1', 'm', kr, -5, shown)).not.toBeNull();
    expect(confirmations.question('view:2', 'm', kr, 0, shown)).not.toBeNull();
    // An old question does not count as an answer.
    expect(confirmations.question('view:3', 'm', kr, 0, shown)).not.toBeNull();
    clock.advance(31 * 60_000);
    expect(confirmations.question('view:3', 'm', kr, 0, shown)).not.toBeNull();
    expect(confirmations.question('view:1', 'm', kr, 30_500, shown)).toBeNull();
  });
});
