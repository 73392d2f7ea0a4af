import { describe, expect, it } from 'vitest';
import { expectedProgress, isLowConfidence, normalizeConfidence, statusOf, type StatusInput } from '../../src/services/summaries/status.js';

const base: StatusInput = { attainment: 0.5, expected: 0.5, confidence: null, checkedInThisPeriod: true };
const at = (over: Partial<StatusInput>) => statusOf({ ...base, ...over });

describe('status rule', () => {
  it('is on track up to and including 10 points behind the elapsed time', () => {
    expect(at({ attainment: 0.5, expected: 0.5 })).toBe('on_track');
    expect(at({ attainment: 0.4, expected: 0.5 })).toBe('on_track');
    expect(at({ attainment: 0.3, expected: 0.4 })).toBe('on_track');
  });

  it('is at risk from just past 10 points behind up to and including 25', () => {
    expect(at({ attainment: 0.399, expected: 0.5 })).toBe('at_risk');
    expect(at({ attainment: 0.25, expected: 0.5 })).toBe('at_risk');
    expect(at({ attainment: 0.45, expected: 0.7 })).toBe('at_risk');
  });

  it('is behind past 25 points', () => {
    expect(at({ attainment: 0.249, expected: 0.5 })).toBe('behind');
    expect(at({ attainment: 0, expected: 1 })).toBe('behind');
  });

  it('judges a key result past its due date behind, not neutral, unless its target is reached (issue 13 item 8)', () => {
    expect(at({ overdue: true, checkedInThisPeriod: false })).toBe('behind');
    expect(at({ overdue: true, attainment: 0.9, expected: 1 })).toBe('behind');
    expect(at({ overdue: true, attainment: 1 })).toBe('on_track');
  });

  it('counts a key result ahead of time as on track', () => {
    expect(at({ attainment: 0.9, expected: 0.2 })).toBe('on_track');
  });

  it('lets low confidence (below 0.4) make it one step worse', () => {
    expect(at({ confidence: 0.39 })).toBe('at_risk');
    expect(at({ confidence: 0.4 })).toBe('on_track');
    expect(at({ attainment: 0.3, confidence: 0.1 })).toBe('behind');
    expect(at({ attainment: 0.1, confidence: 0.1 })).toBe('behind');
  });

  it('marks a key result without a check-in this period as not checked in, unless its target is reached', () => {
    expect(at({ checkedInThisPeriod: false })).toBe('not_checked_in');
    expect(at({ checkedInThisPeriod: false, attainment: 0 })).toBe('not_checked_in');
    expect(at({ checkedInThisPeriod: false, attainment: 1 })).toBe('on_track');
    expect(at({ attainment: 1.2, confidence: 0.1, expected: 1 })).toBe('on_track');
  });

  it('without a known pace is on track, or at risk with low confidence', () => {
    expect(at({ attainment: 0, expected: null })).toBe('on_track');
    expect(at({ attainment: 0, expected: null, confidence: 0.2 })).toBe('at_risk');
  });
});

describe('confidence', () => {
  it('brings 0–10 and 0–100 scales onto 0–1 and ignores nonsense', () => {
    expect(normalizeConfidence(0.7)).toBe(0.7);
    expect(normalizeConfidence(7)).toBe(0.7);
    expect(normalizeConfidence(70)).toBe(0.7);
    expect(normalizeConfidence(-1)).toBeNull();
    expect(normalizeConfidence(undefined)).toBeNull();
    expect(isLowConfidence(null)).toBe(false);
  });
});

describe('expected progress', () => {
  const now = new Date('2026-11-15T00:00:00Z');
  it('is the share of the session elapsed, clamped to 0–1', () => {
    expect(expectedProgress({ start: '2026-11-01T00:00:00Z', end: '2026-11-29T00:00:00Z' }, {}, now)).toBe(0.5);
    expect(expectedProgress({ start: '2026-12-01T00:00:00Z', end: '2026-12-29T00:00:00Z' }, {}, now)).toBe(0);
    expect(expectedProgress({ start: '2026-10-01T00:00:00Z', end: '2026-10-29T00:00:00Z' }, {}, now)).toBe(1);
  });

  it('falls back to the metric’s dateCreated → dueDate, then to unknown', () => {
    expect(expectedProgress(undefined, { dateCreated: '2026-11-01T00:00:00Z', dueDate: '2026-11-29T00:00:00Z' }, now)).toBe(0.5);
    expect(expectedProgress({ start: 'garbage', end: '2026-11-29T00:00:00Z' }, { dateCreated: '2026-11-01T00:00:00Z', dueDate: '2026-11-29T00:00:00Z' }, now)).toBe(0.5);
    expect(expectedProgress(undefined, { dateCreated: '2026-11-01T00:00:00Z', dueDate: '0001-01-01T00:00:00Z' }, now)).toBeNull();
    expect(expectedProgress(undefined, {}, now)).toBeNull();
  });
});
