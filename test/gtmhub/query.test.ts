import { describe, expect, it } from 'vitest';
import { listSearchParams, ListOptionsError, projectedFieldNames, serializeFieldList, stableSort, walkPages, type Page } from '../../src/gtmhub/query.js';
import type { ListOptions } from '../../src/gtmhub/types.js';

describe('list query serialisation', () => {
  it('sends the seed example exactly (relaxed-JSON filter string as is)', () => {
    const params = listSearchParams({
      fields: 'name,description',
      sort: '-name,dateCreated',
      filter: '{name: {$in: ["sales", "marketing"]}}',
      skip: 5,
      limit: 10,
      formatting: 'plainText',
    });
    expect([...params.entries()]).toEqual([
      ['fields', 'name,description'],
      ['sort', '-name,dateCreated'],
      ['filter', '{name: {$in: ["sales", "marketing"]}}'],
      ['skip', '5'],
      ['limit', '10'],
      ['take', '10'],
      ['formatting', 'plainText'],
    ]);
  });

  it('accepts arrays for fields and sort and JSON-encodes an object filter', () => {
    const params = listSearchParams({ fields: ['id', ' name '], sort: ['-attainment', 'id'], filter: { ownerIds: 'abc', actual: { $gte: 3 } } });
    expect(params.get('fields')).toBe('id,name');
    expect(params.get('sort')).toBe('-attainment,id');
    expect(JSON.parse(params.get('filter')!)).toEqual({ ownerIds: 'abc', actual: { $gte: 3 } });
  });

  it('omits what was not given and keeps nested projections intact', () => {
    expect([...listSearchParams({}).keys()]).toEqual([]);
    expect(serializeFieldList('id, metrics{id, name} ,name')).toBe('id,metrics{id, name},name');
    expect([...projectedFieldNames('id,metrics{id,name}')!]).toEqual(['id', 'metrics', 'metrics.id', 'metrics.name']);
    expect([...projectedFieldNames('assignee{id, name{x}},confidence.value,format')!]).toEqual(['assignee', 'assignee.id', 'assignee.name', 'confidence', 'confidence.value', 'format']);
    expect(projectedFieldNames(undefined)).toBeUndefined();
  });

  it.each<[ListOptions, RegExp]>([
    [{ skip: -1 }, /skip/],
    [{ skip: 1.5 }, /skip/],
    [{ limit: -3 }, /limit/],
    [{ limit: Number.NaN }, /limit/],
  ])('rejects %j', (options, message) => {
    expect(() => listSearchParams(options)).toThrow(ListOptionsError);
    expect(() => listSearchParams(options)).toThrow(message);
  });

  it('makes every sort total by appending the id unless it is already sorted on', () => {
    expect(stableSort(undefined)).toBe('id');
    expect(stableSort('-name,dateCreated')).toBe('-name,dateCreated,id');
    expect(stableSort(['-attainment'])).toBe('-attainment,id');
    expect(stableSort('-id')).toBe('-id');
    expect(stableSort('name,_id')).toBe('name,_id');
  });
});

describe('walkPages', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);

  function server(all: number[], options: { cap?: number; sendTotal?: boolean } = {}) {
    const calls: ListOptions[] = [];
    const fetchPage = async (query: ListOptions): Promise<Page<number>> => {
      calls.push(query);
      const limit = Math.min(query.limit ?? 100, options.cap ?? Infinity);
      const items = all.slice(query.skip ?? 0, (query.skip ?? 0) + limit);
      return { items, totalCount: options.sendTotal === false ? undefined : all.length };
    };
    return { calls, fetchPage };
  }

  async function collect(iterable: AsyncIterable<number>): Promise<number[]> {
    const seen: number[] = [];
    for await (const item of iterable) seen.push(item);
    return seen;
  }

  it('stops at totalCount without asking for an empty page', async () => {
    const { calls, fetchPage } = server(numbers(250));
    expect(await collect(walkPages({ pageSize: 100 }, fetchPage))).toEqual(numbers(250));
    expect(calls.map((c) => [c.skip, c.limit, c.sort])).toEqual([
      [0, 100, 'id'],
      [100, 100, 'id'],
      [200, 100, 'id'],
    ]);
  });

  it('stops on a short page when there is no totalCount', async () => {
    const { calls, fetchPage } = server(numbers(150), { sendTotal: false });
    expect(await collect(walkPages({ pageSize: 100 }, fetchPage))).toEqual(numbers(150));
    expect(calls).toHaveLength(2);
  });

  it('keeps going when the server caps the page below our limit but totalCount says there is more', async () => {
    const { calls, fetchPage } = server(numbers(120), { cap: 50 });
    expect(await collect(walkPages({ pageSize: 100 }, fetchPage))).toEqual(numbers(120));
    expect(calls.map((c) => c.skip)).toEqual([0, 50, 100]);
  });

  it('stops on an empty page even if totalCount promised more (items deleted meanwhile)', async () => {
    const calls: number[] = [];
    const items = await collect(
      walkPages({ pageSize: 2 }, async (q) => {
        calls.push(q.skip ?? 0);
        return { items: q.skip === 0 ? [1, 2] : [], totalCount: 10 };
      }),
    );
    expect(items).toEqual([1, 2]);
    expect(calls).toEqual([0, 2]);
  });

  it('passes filter, fields and formatting through and appends id to the sort', async () => {
    const { calls, fetchPage } = server(numbers(3));
    await collect(walkPages({ pageSize: 10, sort: '-name', filter: { a: 1 }, fields: 'id,name', formatting: 'plainText' }, fetchPage));
    expect(calls[0]).toEqual({ sort: '-name,id', filter: { a: 1 }, fields: 'id,name', formatting: 'plainText', skip: 0, limit: 10 });
  });

  it('rejects a page size below 1', async () => {
    await expect(collect(walkPages({ pageSize: 0 }, server([]).fetchPage))).rejects.toThrow(ListOptionsError);
  });
});
