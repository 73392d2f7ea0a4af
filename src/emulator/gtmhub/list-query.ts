/**
 * The v2 list conventions: `filter`, `sort`, `skip`, `limit`, `fields`, `formatting`, and the
 * `{items, totalCount}` envelope. Filtering and sorting read fields through the entity's view,
 * so derived fields work without materialising every entity; only the returned page is built.
 * Cost per request: O(n) filter + O(m log m) sort of the m matches + O(page) projection.
 */
import { FilterError, filterFromQuery, type FieldReader, type FilterPredicate } from './filter.js';
import type { Formatting } from './formatting.js';
import { LIMIT_ZERO_RETURNS_COUNT_ONLY, MAX_LIST_LIMIT, PROJECTION_KEEPS_ID, readFormatting } from './guesses.js';
import { badRequest } from './http-error.js';

export const DEFAULT_LIST_LIMIT = 100;

/** Field projection: `true` = the whole value, an object = a nested projection. */
export interface Projection {
  [field: string]: Projection | true;
}

export interface SortKey {
  path: string[];
  descending: boolean;
}

export interface ListQuery {
  filterText: string;
  fields: Projection | null;
  sort: SortKey[];
  skip: number;
  limit: number;
  formatting: Formatting;
}

/** How a list reads an entity: readField(doc, key) must give the same value as toDto(doc)[key]. */
export interface EntityView<T> {
  readField: FieldReader<T>;
  toDto(doc: T): Record<string, unknown>;
}

export interface ListResult {
  items: Array<Record<string, unknown>>;
  totalCount: number;
}

/** Reads and validates the list parameters; throws HttpError 400 with the reason. */
export function parseListQuery(params: URLSearchParams, options: { fieldsRequired?: boolean } = {}): ListQuery {
  const fieldsText = params.get('fields');
  if (options.fieldsRequired && (fieldsText === null || fieldsText.trim() === '')) {
    throw badRequest('the fields query parameter is required, e.g. fields=id,email,firstName,lastName');
  }
  return {
    filterText: params.get('filter') ?? '',
    fields: fieldsText === null || fieldsText.trim() === '' ? null : parseFields(fieldsText),
    sort: parseSort(params.get('sort') ?? ''),
    skip: parseCount('skip', params.get('skip'), 0),
    // The docs disagree on the page size's name (`limit` on metrics, `take` on users, tags and the paging guide): both are read, `limit` first.
    limit: parseLimit(params.get('limit') ?? params.get('take')),
    formatting: readFormatting(params.get('formatting')),
  };
}

/** Applies filter → sort → skip/limit → projection. Throws HttpError 400 for a malformed filter. */
export function runListQuery<T>(items: readonly T[], query: ListQuery, view: EntityView<T>): ListResult {
  let predicate: FilterPredicate<T> | null;
  try {
    predicate = filterFromQuery(query.filterText, view.readField);
  } catch (error) {
    if (error instanceof FilterError) throw badRequest(`invalid filter: ${error.message}`);
    throw error;
  }
  const matches = predicate ? items.filter(predicate) : items;
  const ordered = query.sort.length > 0 ? sortBy(matches, query.sort, view.readField) : matches;
  const page = ordered.slice(query.skip, query.skip + query.limit);
  const fields = query.fields;
  return {
    items: page.map((doc) => (fields ? projectFromView(doc, fields, view) : view.toDto(doc))),
    totalCount: matches.length,
  };
}

/** Like project(view.toDto(doc), fields) but reads only the projected fields, which matters for big pages. */
function projectFromView<T>(doc: T, fields: Projection, view: EntityView<T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const id = PROJECTION_KEEPS_ID && fields.id === undefined ? view.readField(doc, 'id') : undefined;
  if (id !== undefined) out.id = id;
  for (const [key, sub] of Object.entries(fields)) {
    const value = view.readField(doc, key);
    if (value === undefined) continue;
    const projected = sub === true ? value : projectValue(value, sub);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

/** Applies a projection (or none) to one DTO; `id` is always kept (guesses.ts). */
export function project(dto: Record<string, unknown>, fields: Projection | null): Record<string, unknown> {
  if (!fields) return dto;
  const out = projectObject(dto, fields);
  if (PROJECTION_KEEPS_ID && dto.id !== undefined && out.id === undefined) return { id: dto.id, ...out };
  return out;
}

// ---------------------------------------------------------------------------------------------

function parseCount(name: string, text: string | null, fallback: number): number {
  if (text === null || text.trim() === '') return fallback;
  if (!/^\d+$/.test(text.trim())) throw badRequest(`${name} must be a non-negative integer, got "${text}"`);
  return Number(text.trim());
}

function parseLimit(text: string | null): number {
  const limit = parseCount('limit', text, DEFAULT_LIST_LIMIT);
  if (limit > MAX_LIST_LIMIT) throw badRequest(`limit must be at most ${MAX_LIST_LIMIT}, got ${limit}`);
  if (limit === 0 && !LIMIT_ZERO_RETURNS_COUNT_ONLY) return DEFAULT_LIST_LIMIT;
  return limit;
}

function parseSort(text: string): SortKey[] {
  const keys: SortKey[] = [];
  for (const raw of text.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const descending = term.startsWith('-');
    const name = descending || term.startsWith('+') ? term.slice(1).trim() : term;
    if (name === '' || name.split('.').some((segment) => segment === '')) throw badRequest(`invalid sort field "${term}"`);
    keys.push({ path: name.split('.').map((segment) => (segment === '_id' ? 'id' : segment)), descending });
  }
  return keys;
}

/** `a,b.c,d{e,f{g}}` → {a: true, b: {c: true}, d: {e: true, f: {g: true}}}. */
export function parseFields(text: string): Projection {
  let position = 0;
  const fail = (reason: string) => badRequest(`invalid fields "${text}": ${reason}`);

  const parseList = (nested: boolean): Projection => {
    const out: Projection = {};
    for (;;) {
      let name = '';
      while (position < text.length && !',{}'.includes(text[position]!)) name += text[position++];
      name = name.trim();
      let sub: Projection | true = true;
      if (text[position] === '{') {
        position += 1;
        sub = parseList(true);
        if (text[position] !== '}') throw fail('missing }');
        position += 1;
      }
      if (name !== '') addPath(out, name.split('.').map((s) => (s === '_id' ? 'id' : s)), sub);
      else if (sub !== true) throw fail('a nested list needs a field name before {');
      if (position >= text.length) {
        if (nested) throw fail('missing }');
        return out;
      }
      if (text[position] === ',') {
        position += 1;
        continue;
      }
      if (text[position] === '}') {
        if (!nested) throw fail('unexpected }');
        return out;
      }
    }
  };
  return parseList(false);
}

function addPath(into: Projection, path: string[], leaf: Projection | true): void {
  const [head, ...rest] = path;
  if (head === undefined || head === '') throw badRequest(`invalid field path "${path.join('.')}"`);
  if (rest.length === 0) {
    const existing = into[head];
    if (existing === undefined) into[head] = leaf;
    else if (existing === true || leaf === true) into[head] = true;
    else into[head] = mergeProjections(existing, leaf);
    return;
  }
  const existing = into[head];
  if (existing === true) return;
  const child: Projection = existing ?? {};
  into[head] = child;
  addPath(child, rest, leaf);
}

function mergeProjections(a: Projection, b: Projection): Projection {
  const out: Projection = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = existing === undefined ? value : existing === true || value === true ? true : mergeProjections(existing, value);
  }
  return out;
}

function projectObject(value: Record<string, unknown>, fields: Projection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(fields)) {
    const field = value[key];
    if (field === undefined) continue;
    const projected = sub === true ? field : projectValue(field, sub);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

/** A nested projection picks from objects only: a scalar is left out, an array keeps its projected object elements (guesses.ts). */
function projectValue(value: unknown, fields: Projection): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const element of value) if (isPlainObject(element)) out.push(projectObject(element, fields));
    return out;
  }
  if (isPlainObject(value)) return projectObject(value, fields);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortBy<T>(docs: readonly T[], keys: SortKey[], readField: FieldReader<T>): T[] {
  // Decorate once so each comparison is cheap; Array.prototype.sort is stable, so ties keep insertion order.
  const decorated = docs.map((doc) => ({ doc, values: keys.map((key) => sortValue(readPath(doc, key.path, readField), key.descending)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareForSort(a.values[i], b.values[i]);
      if (order !== 0) return keys[i]!.descending ? -order : order;
    }
    return 0;
  });
  return decorated.map((entry) => entry.doc);
}

/**
 * MongoDB sorts by an array field through one of its elements: the smallest when ascending, the
 * largest when descending (`sort=ownerIds` groups key results by their first owner in id order);
 * an empty array sorts like a missing field.
 */
function sortValue(value: unknown, descending: boolean): unknown {
  if (!Array.isArray(value)) return value;
  let chosen: unknown = undefined;
  for (const element of value) {
    if (chosen === undefined) chosen = element;
    else {
      const order = compareForSort(element, chosen);
      if (descending ? order > 0 : order < 0) chosen = element;
    }
  }
  return chosen;
}

function readPath<T>(doc: T, path: string[], readField: FieldReader<T>): unknown {
  let value = readField(doc, path[0]!);
  for (let i = 1; i < path.length && value !== undefined && value !== null; i++) {
    if (Array.isArray(value)) value = value[0];
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[path[i]!] : undefined;
  }
  return value;
}

/** Mongo's cross-type order: missing/null < numbers < strings < objects < arrays < booleans. */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  if (Array.isArray(value)) return 4;
  if (typeof value === 'object') return 3;
  if (typeof value === 'boolean') return 5;
  return 6;
}

function compareForSort(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (rankA === 0) return 0;
  if (rankA === 5) return a === b ? 0 : a ? 1 : -1;
  const jsonA = JSON.stringify(a);
  const jsonB = JSON.stringify(b);
  return jsonA === jsonB ? 0 : jsonA < jsonB ? -1 : 1;
}
