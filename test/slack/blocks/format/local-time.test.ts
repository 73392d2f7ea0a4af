import { describe, expect, it } from 'vitest';
import { safeTimeZone } from '../../../../src/services/zoned-time.js';
import { localLabel } from '../../../../src/slack/blocks/format/local-time.js';

describe('moments in local time', () => {
  const tz = 'America/Los_Angeles';
  const wednesday = new Date('2026-12-02T20:00:00Z'); // Wed 12:00 LA

  it('labels moments the way people read them', () => {
    expect(localLabel(new Date('2026-12-03T16:00:00Z'), tz, wednesday)).toBe('Thu 08:00');
    expect(localLabel(new Date('2026-12-10T16:00:00Z'), tz, wednesday)).toBe('Thu 10 Dec 08:00');
    expect(safeTimeZone('Mars/Olympus')).toBe('UTC');
    expect(safeTimeZone(null)).toBe('UTC');
  });
});
