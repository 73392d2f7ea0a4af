import { describe, expect, it } from 'vitest';
import { printSoakFigures, runSoak } from '../support/soak.js';

describe('soak over real HTTP with mixed faults', () => {
  it('300 check-ins, ~30% of Gtmhub requests broken: submitted = landed, no duplicate, none lost', async () => {
    const figures = await runSoak({ checkIns: 300, faultRate: 0.3, seed: 11 });
    console.log(printSoakFigures(figures));
    expect(figures.duplicates).toBe(0);
    expect(figures.lost).toBe(0);
    expect(figures.rejected).toBe(0);
    expect(figures.landed).toBe(figures.submitted);
    expect(Object.values(figures.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
  }, 60_000);
});
