import { describe, expect, it } from 'vitest';
import { attainmentOf } from '../../../src/emulator/gtmhub/attainment.js';
import { mentionsToPlainText } from '../../../src/emulator/gtmhub/formatting.js';
import { HttpError } from '../../../src/emulator/gtmhub/http-error.js';
import { parseFields, parseListQuery, project, runListQuery, type EntityView } from '../../../src/emulator/gtmhub/list-query.js';

interface Doc {
  id: string;
  name: string;
  rank?: number | null;
  owner: { name: string; email: string };
}

const docs: Doc[] = [
  { id: '1', name: 'b', rank: 2, owner: { name: 'Zoe', email: 'z@x' } },
  { id: '2', name: 'a', rank: 1, owner: { name: 'Ann', email: 'a@x' } },
  { id: '3', name: 'b', rank: 1, owner: { name: 'Bob', email: 'b@x' } },
  { id: '4', name: 'c', owner: { name: 'Cid', email: 'c@x' } },
  { id: '5', name: 'a', rank: 2, owner: { name: 'Dee', email: 'd@x' } },
];

const view: EntityView<Doc> = {
  readField: (doc, key) => (key === 'upper' ? doc.name.toUpperCase() : (doc as unknown as Record<string, unknown>)[key]),
  toDto: (doc) => ({ ...doc, upper: doc.name.toUpperCase() }),
};

const list = (query: string) => runListQuery(docs, parseListQuery(new URLSearchParams(query)), view);
const ids = (query: string) => list(query).items.map((item) => item.id);

describe('list query', () => {
  it('sorts by several keys with - for descending; ties keep insertion order', () => {
    expect(ids('sort=name')).toEqual(['2', '5', '1', '3', '4']);
    expect(ids('sort=-name')).toEqual(['4', '1', '3', '2', '5']);
    expect(ids('sort=name,-rank')).toEqual(['5', '2', '1', '3', '4']);
    expect(ids('sort=-rank,name')).toEqual(['5', '1', '2', '3', '4']);
  });

  it('sorts by an array field as MongoDB does: smallest element ascending, largest descending, empty like missing', () => {
    const owned = [
      { id: '1', ownerIds: ['c', 'a'] },
      { id: '2', ownerIds: ['b'] },
      { id: '3', ownerIds: [] as string[] },
      { id: '4', ownerIds: ['d', 'b'] },
    ];
    const ownedView: EntityView<(typeof owned)[number]> = { readField: (doc, key) => (doc as unknown as Record<string, unknown>)[key], toDto: (doc) => ({ ...doc }) };
    const order = (query: string) => runListQuery(owned, parseListQuery(new URLSearchParams(query)), ownedView).items.map((item) => item.id);
    expect(order('sort=ownerIds,id')).toEqual(['3', '1', '2', '4']);
    expect(order('sort=-ownerIds,id')).toEqual(['4', '1', '2', '3']);
  });

  it('sorts missing values first, by dotted path and by derived field', () => {
    expect(ids('sort=rank')[0]).toBe('4');
    expect(ids('sort=owner.name')).toEqual(['2', '3', '4', '5', '1']);
    expect(ids('sort=-upper')).toEqual(['4', '1', '3', '2', '5']);
  });

  it('pages with skip/limit; totalCount counts all matches', () => {
    expect(list('sort=name&skip=1&limit=2')).toMatchObject({ totalCount: 5, items: [{ id: '5' }, { id: '1' }] });
    expect(list('filter={name: "b"}&skip=1')).toMatchObject({ totalCount: 2, items: [{ id: '3' }] });
    expect(list('skip=10')).toEqual({ items: [], totalCount: 5 });
    expect(list('limit=0')).toEqual({ items: [], totalCount: 5 });
  });

  it('defaults to skip 0, limit 100 and rejects bad numbers and limits above 1000', () => {
    const query = parseListQuery(new URLSearchParams(''));
    expect(query).toMatchObject({ skip: 0, limit: 100, formatting: 'mentionsMarkup', fields: null, sort: [] });
    for (const bad of ['skip=-1', 'limit=abc', 'limit=1001', 'skip=1.5']) {
      expect(() => parseListQuery(new URLSearchParams(bad)), bad).toThrow(HttpError);
    }
    expect(parseListQuery(new URLSearchParams('limit=1000')).limit).toBe(1000);
  });

  it('projects fields, keeps id, supports nested and dotted projections', () => {
    expect(list('fields=name&limit=1').items).toEqual([{ id: '1', name: 'b' }]);
    expect(list('fields=owner.email,upper&limit=1').items).toEqual([{ id: '1', owner: { email: 'z@x' }, upper: 'B' }]);
    expect(list('fields=owner{name}&limit=1').items).toEqual([{ id: '1', owner: { name: 'Zoe' } }]);
    expect(parseFields('a, b{c,d{e}} ,f.g,f.h')).toEqual({ a: true, b: { c: true, d: { e: true } }, f: { g: true, h: true } });
    expect(project({ id: 'x', list: [{ a: 1, b: 2 }, { a: 3 }] }, parseFields('list{a}'))).toEqual({ id: 'x', list: [{ a: 1 }, { a: 3 }] });
  });

  it('picks nested fields from objects only, as a MongoDB projection would (guesses.ts)', () => {
    expect(list('fields=name{x},owner{name,nothing},missing{a}&limit=1').items).toEqual([{ id: '1', owner: { name: 'Zoe' } }]);
    expect(list('fields=owner{nothing}&limit=1').items).toEqual([{ id: '1', owner: {} }]);
    expect(project({ id: 'x', list: [1, { a: 1, b: 2 }, 'two', null, { b: 3 }] }, parseFields('list{a}'))).toEqual({ id: 'x', list: [{ a: 1 }, {}] });
    expect(project({ id: 'x', confidence: { value: 0.7, date: 'd', userId: 'u' } }, parseFields('confidence{value}'))).toEqual({ id: 'x', confidence: { value: 0.7 } });
  });

  it('rejects unbalanced field lists and malformed filters with 400', () => {
    for (const bad of ['a{b', 'a}', '{b}']) expect(() => parseFields(bad), bad).toThrow(/invalid fields/);
    expect(() => list('filter={name: {$bogus: 1}}')).toThrow(/invalid filter: .*\$bogus/);
    try {
      list('filter={oops');
      expect.unreachable();
    } catch (error) {
      expect((error as HttpError).status).toBe(400);
    }
  });

  it('requires fields when asked to', () => {
    expect(() => parseListQuery(new URLSearchParams(''), { fieldsRequired: true })).toThrow(/fields query parameter is required/);
  });
});

describe('formatting', () => {
  it('turns mention markup into @Name', () => {
    expect(mentionsToPlainText('Ask @[John Smith:john@x.com:602a65efc05575000123291b] and @[Mariya Velikova:m@x.com:602a65efc05575000123291c].')).toBe(
      'Ask @John Smith and @Mariya Velikova.',
    );
    expect(mentionsToPlainText('mail me @ noon [not:a:mention]')).toBe('mail me @ noon [not:a:mention]');
  });
});

describe('attainment', () => {
  it('follows the API-NOTES formulas, uncapped', () => {
    expect(attainmentOf({ initialValue: 0, target: 200, actual: 50, targetOperator: 'at_least' })).toBe(0.25);
    expect(attainmentOf({ initialValue: 0, target: 100, actual: 150, targetOperator: 'at_least' })).toBe(1.5);
    expect(attainmentOf({ initialValue: 100, target: 20, actual: 60, targetOperator: 'at_most' })).toBe(0.5);
    expect(attainmentOf({ initialValue: 100, target: 20, actual: 120, targetOperator: 'at_most' })).toBe(-0.25);
    expect(attainmentOf({ initialValue: 0, target: 99, actual: 99.5, targetOperator: 'should_stay_above' })).toBe(1);
    expect(attainmentOf({ initialValue: 0, target: 99, actual: 98, targetOperator: 'should_stay_above' })).toBe(0);
    expect(attainmentOf({ initialValue: 0, target: 5, actual: 6, targetOperator: 'should_stay_below' })).toBe(0);
    expect(attainmentOf({ initialValue: 10, target: 10, actual: 10, targetOperator: 'at_least' })).toBe(1);
    expect(attainmentOf({ initialValue: 10, target: 20, actual: 15, targetOperator: 'something_new' })).toBe(0.5);
  });
});
