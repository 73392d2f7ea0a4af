import { describe, expect, it } from 'vitest';
import { parseBulkCheckInResponse, parseGoal, parseListEnvelope, parseMetric, parseSnapshot, ResponseShapeError } from '../../src/gtmhub/parse.js';
import { projectedFieldNames } from '../../src/gtmhub/query.js';

const id = (n: number) => n.toString(16).padStart(24, '0');

describe('parseMetric', () => {
  const metric = { id: id(1), name: 'Revenue', goalId: id(2), actual: 5, target: 10, somethingNew: { x: 1 } };

  it('keeps unknown fields and accepts missing optional ones', () => {
    expect(parseMetric(metric)).toEqual(metric);
  });

  it('names the field when an essential one is missing or mistyped', () => {
    expect(() => parseMetric({ ...metric, name: 42 })).toThrow(/metric\.name should be a string, got a number/);
    expect(() => parseMetric({ name: 'x', goalId: id(2) })).toThrow(/metric\.id should be a string, got nothing/);
    expect(() => parseMetric(null)).toThrow(ResponseShapeError);
    expect(() => parseMetric([])).toThrow(/got an array/);
  });

  it('drops a known optional field of the wrong type instead of passing it on', () => {
    const parsed = parseMetric({ ...metric, actual: '5', confidence: { reason: 'no value' }, goalClosedStatus: 'active', ownerIds: [1] });
    expect(parsed.actual).toBeUndefined();
    expect(parsed.confidence).toBeUndefined();
    expect(parsed.goalClosedStatus).toBeUndefined();
    expect(parsed.ownerIds).toBeUndefined();
    expect(parsed.name).toBe('Revenue');
  });

  it('checks every kind of optional field: a good value stays, a wrong one is dropped', () => {
    const good = {
      description: 'd',
      target: 10,
      dynamic: false,
      format: { prefix: '$' },
      ownerIds: [id(3)],
      assignees: [{ id: id(3) }],
      critical: null,
      lastCheckInDate: null,
      confidence: null,
    };
    expect(parseMetric({ ...metric, ...good })).toMatchObject(good);
    const parsed = parseMetric({
      ...metric,
      description: 5,
      target: Number.POSITIVE_INFINITY,
      dynamic: 'yes',
      format: ['$'],
      ownerIds: [id(3), 4],
      assignees: [{ id: id(3) }, 'x'],
      critical: '1',
      lastCheckInDate: 7,
      metricHistory: null,
    });
    for (const field of ['description', 'target', 'dynamic', 'format', 'ownerIds', 'assignees', 'critical', 'lastCheckInDate', 'metricHistory']) {
      expect(parsed, field).not.toHaveProperty(field);
    }
    expect(parseMetric({ ...metric, critical: 2, lastCheckInDate: '2026-01-01' })).toMatchObject({ critical: 2, lastCheckInDate: '2026-01-01' });
  });

  it('with a projection, requires only the essential fields that were asked for', () => {
    expect(parseMetric({ name: 'only name' }, new Set(['name', 'description']))).toEqual({ name: 'only name' });
    expect(() => parseMetric({ description: 'd' }, new Set(['name']))).toThrow(/metric\.name/);
  });

  it('with a nested projection, keeps a sub-object without its identifying field only when that field was not asked for', () => {
    const base = { id: id(1), name: 'n', goalId: id(2) };
    const narrow = projectedFieldNames('id,name,goalId,assignee{name},confidence{date},goalClosedStatus{reason}');
    expect(parseMetric({ ...base, assignee: { name: 'Ann' }, confidence: { date: 'd' }, goalClosedStatus: { reason: 'r' } }, narrow)).toMatchObject({
      assignee: { name: 'Ann' },
      confidence: { date: 'd' },
      goalClosedStatus: { reason: 'r' },
    });
    // Asked for, or mistyped, or a full response: dropped as before.
    const asked = projectedFieldNames('id,name,goalId,assignee{id,name},confidence{value},goalClosedStatus{status}');
    const withoutIds = { ...base, assignee: { name: 'Ann' }, confidence: { date: 'd' }, goalClosedStatus: { reason: 'r' } };
    for (const projection of [asked, projectedFieldNames('id,name,goalId,assignee,confidence,goalClosedStatus'), undefined]) {
      const parsed = parseMetric(structuredClone(withoutIds), projection);
      expect(parsed).not.toHaveProperty('assignee');
      expect(parsed).not.toHaveProperty('confidence');
      expect(parsed).not.toHaveProperty('goalClosedStatus');
    }
    expect(parseMetric({ ...base, assignee: { id: 7, name: 'Ann' } }, narrow)).not.toHaveProperty('assignee');
  });

  it('accepts a Mongo-style _id', () => {
    expect(parseMetric({ _id: id(7), name: 'n', goalId: id(2) }).id).toBe(id(7));
  });
});

describe('parseSnapshot', () => {
  it('requires a numeric value and normalises common variants', () => {
    expect(parseSnapshot({ id: id(1), value: 3, confidence: 0.5 })).toMatchObject({ id: id(1), value: 3, confidence: 0.5 });
    expect(parseSnapshot({ _id: id(1), actual: 4, confidence: { value: 0.7 } })).toMatchObject({ id: id(1), value: 4, confidence: 0.7 });
    expect(() => parseSnapshot({ id: id(1) })).toThrow(/check-in\.value should be a number/);
  });
});

describe('parseGoal', () => {
  it('keeps closedStatus when well formed', () => {
    expect(parseGoal({ id: id(1), name: 'G', closedStatus: { status: 'achieved' } }).closedStatus?.status).toBe('achieved');
    expect(parseGoal({ id: id(1), name: 'G', closedStatus: { nope: 1 } }).closedStatus).toBeUndefined();
  });
});

describe('parseListEnvelope', () => {
  const item = (value: unknown, where: string) => parseMetric(value, undefined, where);

  it('reads {items, totalCount} and a bare array', () => {
    expect(parseListEnvelope({ items: [], totalCount: 3 }, item, 'metric')).toEqual({ items: [], totalCount: 3 });
    expect(parseListEnvelope([], item, 'metric')).toEqual({ items: [], totalCount: undefined });
  });

  it('says which item is broken', () => {
    expect(() => parseListEnvelope({ items: [{ id: id(1), name: 'a', goalId: id(2) }, { id: 5 }], totalCount: 2 }, item, 'metric')).toThrow(
      /metric list item 1: metric\.id should be a string/,
    );
    expect(() => parseListEnvelope({ items: 'nope' }, item, 'metric')).toThrow(/items should be an array/);
  });
});

describe('parseBulkCheckInResponse', () => {
  it('parses per-item results, errors as text', () => {
    const parsed = parseBulkCheckInResponse({
      results: [
        { metricId: id(1), snapshot: { id: id(9), value: 2 } },
        { metricId: id(2), error: { message: 'after due date' } },
      ],
    });
    expect(parsed.results[0]?.snapshot?.value).toBe(2);
    expect(parsed.results[1]?.error).toBe('after due date');
    expect(() => parseBulkCheckInResponse({ results: [{ snapshot: {} }] })).toThrow(/metricId/);
  });
});
