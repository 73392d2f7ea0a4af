import { describe, expect, it } from 'vitest';
import { FilterError, compileFilter, filterFromQuery, parseFilter } from '../../../src/emulator/gtmhub/filter.js';

const docs = [
  { id: 'a1', name: 'sales', target: 10, ownerIds: ['u1', 'u2'], dueDate: '2026-11-30T00:00:00Z', assignee: { type: 'user', name: 'Ana' }, assignees: [{ type: 'user' }, { type: 'team' }], confidence: null },
  { id: 'a2', name: 'marketing', target: 20, ownerIds: ['u2'], dueDate: '2026-12-31T23:59:59.000Z', assignee: { type: 'team', name: 'Sales' }, assignees: [{ type: 'team' }] },
  { id: 'a3', name: 'Q4 Sales pipeline', target: 30, ownerIds: [], dueDate: '0001-01-01T00:00:00Z', assignee: { type: 'user', name: 'Ben' }, assignees: [], tags: ['x', 'y'] },
  { id: 'a4', name: 'Hiring', target: 5, ownerIds: ['u3'], dueDate: '2026-11-27T10:00:00+01:00', assignee: { type: 'user', name: 'Carla' }, assignees: [{ type: 'user' }] },
];

/** Ids of the documents a filter text selects. */
const select = (text: string): string[] => {
  const predicate = filterFromQuery(text);
  return docs.filter((doc) => (predicate ? predicate(doc) : true)).map((doc) => doc.id);
};

describe('filter: the seed examples', () => {
  it('{name: {$in: ["sales", "marketing"]}} (unquoted keys) selects both names', () => {
    expect(select('{name: {$in: ["sales", "marketing"]}}')).toEqual(['a1', 'a2']);
  });

  it('{"name":{$regex:".*Sales.*"}} matches case-sensitively', () => {
    expect(select('{"name":{$regex:".*Sales.*"}}')).toEqual(['a3']);
  });
});

describe('filter: operators', () => {
  it('equality on a scalar field and scalar-in-array', () => {
    expect(select('{name: "Hiring"}')).toEqual(['a4']);
    expect(select('{ownerIds: "u2"}')).toEqual(['a1', 'a2']);
    expect(select('{ownerIds: ["u2"]}')).toEqual(['a2']);
  });

  it('several keys are AND', () => {
    expect(select('{ownerIds: "u2", target: 20}')).toEqual(['a2']);
  });

  it('$ne and $nin include documents without the field', () => {
    expect(select('{name: {$ne: "sales"}}')).toEqual(['a2', 'a3', 'a4']);
    expect(select('{tags: {$nin: ["x"]}}')).toEqual(['a1', 'a2', 'a4']);
    expect(select('{ownerIds: {$nin: ["u2", "u3"]}}')).toEqual(['a3']);
  });

  it('$gt/$gte/$lt/$lte on numbers', () => {
    expect(select('{target: {$gt: 10}}')).toEqual(['a2', 'a3']);
    expect(select('{target: {$gte: 10, $lt: 30}}')).toEqual(['a1', 'a2']);
    expect(select('{target: {$lte: 5}}')).toEqual(['a4']);
  });

  it('compares ISO dates as instants, whatever their notation', () => {
    // a4 is 2026-11-27T09:00Z; a3 is the zero date.
    expect(select('{dueDate: {$gte: "2026-11-27T09:00:00.000Z", $lt: "2026-12-01"}}')).toEqual(['a1', 'a4']);
    expect(select('{dueDate: {$lt: "2000-01-01T00:00:00Z"}}')).toEqual(['a3']);
  });

  it('does not compare across types', () => {
    expect(select('{target: {$gt: "1"}}')).toEqual([]);
    expect(select('{name: {$gt: 1}}')).toEqual([]);
  });

  it('$exists, and null matching null or missing', () => {
    expect(select('{tags: {$exists: true}}')).toEqual(['a3']);
    expect(select('{tags: {$exists: false}}')).toEqual(['a1', 'a2', 'a4']);
    expect(select('{confidence: null}')).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(select('{confidence: {$exists: true}}')).toEqual(['a1']);
  });

  it('$regex with $options i', () => {
    expect(select('{name: {$regex: "^sales", $options: "i"}}')).toEqual(['a1']);
    expect(select('{name: {$regex: "sales", $options: "i"}}')).toEqual(['a1', 'a3']);
  });

  it('$and, $or, $nor and $not', () => {
    expect(select('{$or: [{name: "sales"}, {target: {$gte: 30}}]}')).toEqual(['a1', 'a3']);
    expect(select('{$and: [{ownerIds: "u2"}, {name: {$regex: "^m"}}]}')).toEqual(['a2']);
    expect(select('{$nor: [{name: "sales"}, {name: "marketing"}]}')).toEqual(['a3', 'a4']);
    expect(select('{target: {$not: {$gt: 10}}}')).toEqual(['a1', 'a4']);
  });

  it('dotted paths into objects and through arrays', () => {
    expect(select('{"assignee.type": "team"}')).toEqual(['a2']);
    expect(select('{"assignees.type": "team"}')).toEqual(['a1', 'a2']);
    expect(select('{"assignees.type": {$exists: false}}')).toEqual(['a3']);
    expect(select('{"ownerIds.0": "u2"}')).toEqual(['a2']);
  });

  it('_id is an alias of id', () => {
    expect(select('{_id: "a3"}')).toEqual(['a3']);
    expect(select('{_id: {$in: ["a1", "a4"]}}')).toEqual(['a1', 'a4']);
  });

  it('empty text or {} selects everything', () => {
    expect(select('')).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(select('{}')).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('reads top-level fields through the given reader (derived fields)', () => {
    const predicate = compileFilter<{ id: string }>({ derived: 'yes' }, (doc, key) => (key === 'derived' ? (doc.id === 'a2' ? 'yes' : 'no') : undefined));
    expect(docs.filter(predicate).map((doc) => doc.id)).toEqual(['a2']);
  });
});

describe('filter: malformed input is a FilterError with a reason', () => {
  it.each([
    ['{name: }', /not valid JSON/],
    ['name=sales', /not valid JSON/],
    ['[1, 2]', /must be a JSON object/],
    ['"sales"', /must be a JSON object/],
    ['{name: {$foo: 1}}', /unknown operator \$foo/],
    ['{$where: "1"}', /unknown top-level operator \$where/],
    ['{name: {$in: "sales"}}', /\$in needs an array/],
    ['{name: {$nin: 3}}', /\$nin needs an array/],
    ['{name: {$regex: "("}}', /invalid \$regex/],
    ['{name: {$regex: 5}}', /\$regex needs a string/],
    ['{name: {$options: "i"}}', /\$options needs \$regex/],
    ['{name: {$regex: "a", $options: "g"}}', /\$options/],
    ['{name: {$in: ["a"], other: 1}}', /cannot mix operators/],
    ['{$or: []}', /non-empty array/],
    ['{$and: {name: "a"}}', /non-empty array/],
    ['{$or: [1]}', /must be an object/],
    ['{target: {$gt: [1]}}', /\$gt needs a number/],
    ['{tags: {$exists: "yes"}}', /\$exists needs true or false/],
    ['{"a..b": 1}', /invalid field path/],
    ['{target: {$not: 5}}', /\$not needs an operator expression/],
  ])('%s', (text, reason) => {
    expect(() => filterFromQuery(text)).toThrow(FilterError);
    expect(() => filterFromQuery(text)).toThrow(reason);
  });

  it('validates operators even when no document would reach them', () => {
    expect(() => compileFilter({ $or: [{ a: 1 }, { b: { $bad: 1 } }] })).toThrow(/unknown operator \$bad/);
  });

  it('parseFilter returns null for blank text', () => {
    expect(parseFilter('  ')).toBeNull();
  });
});
