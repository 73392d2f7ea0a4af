import { describe, expect, it } from 'vitest';
import { attainment } from '../../src/services/progress.js';

describe('attainment', () => {
  describe('at_least (increase)', () => {
    it('is the share of the way from initial to target', () => {
      expect(attainment({ initialValue: 0, target: 100, actual: 42, targetOperator: 'at_least' })).toBe(0.42);
      expect(attainment({ initialValue: 20, target: 120, actual: 70, targetOperator: 'at_least' })).toBe(0.5);
      expect(attainment({ initialValue: 20, target: 120, actual: 20, targetOperator: 'at_least' })).toBe(0);
    });

    it('is not capped past the target and goes negative below the start', () => {
      expect(attainment({ initialValue: 0, target: 10, actual: 15, targetOperator: 'at_least' })).toBe(1.5);
      expect(attainment({ initialValue: 10, target: 20, actual: 5, targetOperator: 'at_least' })).toBe(-0.5);
    });

    it('works across negative values', () => {
      expect(attainment({ initialValue: -50, target: 50, actual: 0, targetOperator: 'at_least' })).toBe(0.5);
      expect(attainment({ initialValue: -10, target: -2, actual: -6, targetOperator: 'at_least' })).toBe(0.5);
    });

    it('with target == initial is met (1) or not (0)', () => {
      expect(attainment({ initialValue: 5, target: 5, actual: 5, targetOperator: 'at_least' })).toBe(1);
      expect(attainment({ initialValue: 5, target: 5, actual: 9, targetOperator: 'at_least' })).toBe(1);
      expect(attainment({ initialValue: 5, target: 5, actual: 4.99, targetOperator: 'at_least' })).toBe(0);
    });
  });

  describe('at_most (decrease)', () => {
    it('mirrors at_least for a falling target', () => {
      expect(attainment({ initialValue: 100, target: 20, actual: 60, targetOperator: 'at_most' })).toBe(0.5);
      expect(attainment({ initialValue: 100, target: 20, actual: 100, targetOperator: 'at_most' })).toBe(0);
      expect(attainment({ initialValue: 100, target: 20, actual: 20, targetOperator: 'at_most' })).toBe(1);
    });

    it('is over 1 below the target and negative when the value rose', () => {
      expect(attainment({ initialValue: 100, target: 20, actual: 0, targetOperator: 'at_most' })).toBe(1.25);
      expect(attainment({ initialValue: 100, target: 20, actual: 140, targetOperator: 'at_most' })).toBe(-0.5);
    });

    it('with target == initial is met when at or below the target', () => {
      expect(attainment({ initialValue: 5, target: 5, actual: 5, targetOperator: 'at_most' })).toBe(1);
      expect(attainment({ initialValue: 5, target: 5, actual: 3, targetOperator: 'at_most' })).toBe(1);
      expect(attainment({ initialValue: 5, target: 5, actual: 6, targetOperator: 'at_most' })).toBe(0);
    });
  });

  it('should_stay_above and should_stay_below are all or nothing', () => {
    expect(attainment({ initialValue: 0, target: 90, actual: 90, targetOperator: 'should_stay_above' })).toBe(1);
    expect(attainment({ initialValue: 0, target: 90, actual: 89.9, targetOperator: 'should_stay_above' })).toBe(0);
    expect(attainment({ initialValue: 0, target: 5, actual: 5, targetOperator: 'should_stay_below' })).toBe(1);
    expect(attainment({ initialValue: 0, target: 5, actual: 5.1, targetOperator: 'should_stay_below' })).toBe(0);
  });

  it('treats a missing or unknown operator as at_least', () => {
    expect(attainment({ initialValue: 0, target: 10, actual: 3 })).toBe(0.3);
    expect(attainment({ initialValue: 0, target: 10, actual: 3, targetOperator: 'something_new' })).toBe(0.3);
    expect(attainment({ initialValue: 4, target: 4, actual: 3, targetOperator: 'something_new' })).toBe(0);
  });

  it('copes with missing fields: no initial = 0, no actual = no progress, no target = 0', () => {
    expect(attainment({ target: 10, actual: 5 })).toBe(0.5);
    expect(attainment({ initialValue: 3, target: 10 })).toBe(0);
    expect(attainment({ initialValue: 0, actual: 5 })).toBe(0);
    expect(attainment({})).toBe(0);
    expect(attainment({ initialValue: null, target: 10, actual: null })).toBe(0);
  });

  it('is 0 for values that are not finite numbers, never NaN or -0', () => {
    expect(attainment({ initialValue: 0, target: Number.NaN, actual: 5 })).toBe(0);
    expect(attainment({ initialValue: 0, target: 10, actual: Number.POSITIVE_INFINITY })).toBe(0);
    expect(Object.is(attainment({ initialValue: -5, target: 5, actual: -5 }), 0)).toBe(true);
    expect(Object.is(attainment({ initialValue: 5, target: -5, actual: 5, targetOperator: 'at_most' }), 0)).toBe(true);
  });
});
