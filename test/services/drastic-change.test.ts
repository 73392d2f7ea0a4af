import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drasticChangeReason, DrasticChangeConfirmations } from '../../src/services/drastic-change.js';
import { FormQuestions } from '../../src/services/form-questions.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

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

  it('is asked about once per form and value', async () => {
    const clock = fixedClock('2026-12-02T10:00:00Z');
    const store = SqliteStore.open(':memory:');
    const confirmations = new DrasticChangeConfirmations(new FormQuestions(store, clock));
    const shown = (v: number) => `$${v}`;
    expect(await confirmations.question('view:1', 'm', kr, 0, shown)).toBe('Are you sure? $0 instead of $20000: it drops the value to zero. Press Check in again to save it, or correct the value.');
    expect(await confirmations.question('view:1', 'm', kr, 0, shown)).toBeNull();
    // Another value, or another form, asks again.
    expect(await confirmations.question('view:1', 'm', kr, -5, shown)).not.toBeNull();
    expect(await confirmations.question('view:2', 'm', kr, 0, shown)).not.toBeNull();
    // An old question does not count as an answer.
    expect(await confirmations.question('view:3', 'm', kr, 0, shown)).not.toBeNull();
    clock.advance(31 * 60_000);
    expect(await confirmations.question('view:3', 'm', kr, 0, shown)).not.toBeNull();
    expect(await confirmations.question('view:1', 'm', kr, 30_500, shown)).toBeNull();
    // Pressed again after it was confirmed: asked again.
    expect(await confirmations.question('view:4', 'm', kr, 0, shown)).not.toBeNull();
    expect(await confirmations.question('view:4', 'm', kr, 0, shown)).toBeNull();
    expect(await confirmations.question('view:4', 'm', kr, 0, shown)).not.toBeNull();
    await store.close();
  });

  it('is answered by the second press wherever it lands: another replica on the same database', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kr-drastic-')), 'shared.db');
    const clock = fixedClock('2026-12-02T10:00:00Z');
    const [a, b] = [SqliteStore.open(file), SqliteStore.open(file)];
    const replicaA = new DrasticChangeConfirmations(new FormQuestions(a, clock));
    const replicaB = new DrasticChangeConfirmations(new FormQuestions(b, clock));
    const shown = (v: number) => `$${v}`;
    expect(await replicaA.question('view:1', 'm', kr, 0, shown)).not.toBeNull();
    expect(await replicaB.question('view:1', 'm', kr, 0, shown)).toBeNull();
    await Promise.all([a.close(), b.close()]);
  });
});
