/**
 * v2 list query serialisation (fields / sort / filter / skip / limit / formatting) and paging,
 * as the seed describes `GET /v2/metrics`.
 */
import type { Filter, ListOptions } from './types.js';

/** Thrown for list options we would otherwise send malformed; the client turns it into GtmhubValidationError. */
export class ListOptionsError extends Error {}

/** Thrown when a server's pages cannot be walked safely (it ignores skip); the client turns it into GtmhubUnexpectedResponseError. */
export class PagingError extends Error {}

/** A literal string inside a `$regex` filter. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Values split for `$in` filters, so that no request URL grows past common 8 KB limits. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** `['a', 'b']` or `'a,b'` → `'a,b'` (trimmed, empties dropped). */
export function serializeFieldList(value: string | readonly string[]): string {
  const parts = typeof value === 'string' ? splitTopLevel(value) : value.map((part) => part.trim());
  return parts.filter(Boolean).join(',');
}

/** Splits on commas that are not inside a nested projection such as `metrics{id,name}`. */
export function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of list) {
    if (char === '{') depth += 1;
    if (char === '}') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current.trim());
  return parts.filter(Boolean);
}

/**
 * The field names a projection asks for: each top-level name, and for a sub-object narrowed by a
 * nested or dotted projection its sub-fields as `parent.child` (`'name,assignee{id,name}'` →
 * `name, assignee, assignee.id, assignee.name`; `'assignee.id'` → `assignee, assignee.id`).
 */
export function projectedFieldNames(fields: string | readonly string[] | undefined): Set<string> | undefined {
  if (fields === undefined) return undefined;
  const names = new Set<string>();
  for (const part of splitTopLevel(serializeFieldList(fields))) {
    const brace = part.indexOf('{');
    const path = (brace < 0 ? part : part.slice(0, brace)).trim();
    const [top, child] = path.split('.').map((segment) => segment.trim());
    if (!top) continue;
    names.add(top);
    if (child) names.add(`${top}.${child}`);
    else if (brace >= 0) for (const sub of splitTopLevel(part.slice(brace + 1, part.lastIndexOf('}')))) names.add(`${top}.${sub.replace(/[{.].*$/s, '').trim()}`);
  }
  return names.size > 0 ? names : undefined;
}

/** A plain object is JSON-encoded; a string is sent as is (Gtmhub accepts relaxed JSON such as `{name: "x"}`). */
export function serializeFilter(filter: Filter): string {
  if (typeof filter === 'string') return filter;
  return JSON.stringify(filter);
}

/**
 * Paging over skip/limit is only deterministic when the order is total, so the sort always ends
 * with the unique id (ascending unless the caller already sorts by it).
 */
export function stableSort(sort: string | readonly string[] | undefined): string {
  const keys = sort === undefined ? [] : splitTopLevel(serializeFieldList(sort));
  const sortsById = keys.some((key) => ['id', '_id'].includes(key.replace(/^[-+]/, '')));
  return (sortsById ? keys : [...keys, 'id']).join(',');
}

function nonNegativeInteger(name: string, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new ListOptionsError(`${name} must be a whole number ≥ 0 (got ${String(value)})`);
  return String(value);
}

/**
 * ListOptions → query parameters, in the seed's order; absent options are not sent. The page size
 * goes out as both `limit` (the metrics, goals and sessions pages) and `take` (the users and tags
 * pages and the paging guide), since the docs disagree and a server reads the one it knows.
 */
export function listSearchParams(options: ListOptions): URLSearchParams {
  const params = new URLSearchParams();
  if (options.fields !== undefined) {
    const fields = serializeFieldList(options.fields);
    if (fields) params.set('fields', fields);
  }
  if (options.sort !== undefined) {
    const sort = serializeFieldList(options.sort);
    if (sort) params.set('sort', sort);
  }
  if (options.filter !== undefined) params.set('filter', serializeFilter(options.filter));
  if (options.skip !== undefined) params.set('skip', nonNegativeInteger('skip', options.skip));
  if (options.limit !== undefined) {
    const limit = nonNegativeInteger('limit', options.limit);
    params.set('limit', limit);
    params.set('take', limit);
  }
  if (options.formatting !== undefined) params.set('formatting', options.formatting);
  return params;
}

/** One page as the pager needs it: `totalCount` is undefined when Gtmhub did not send one. */
export interface Page<T> {
  items: T[];
  totalCount: number | undefined;
}

export type IterateOptions = Omit<ListOptions, 'skip' | 'limit'> & { pageSize?: number };

export const DEFAULT_PAGE_SIZE = 100;

export interface WalkHooks<T> {
  /** The entity id, so a page that repeats what was already seen (a server ignoring skip) is caught. */
  identify?: (item: T) => string | undefined;
  /** Called once per walk when the server returns fewer items than asked although more remain. */
  onPageCapped?: (asked: number, received: number) => void;
  /** Turns the walk's own errors (bad options, a server ignoring skip) into the caller's error types. */
  mapError?: (error: unknown) => unknown;
}

/**
 * Walks every page with a stable sort. Stops on an empty page, once `totalCount` items were seen,
 * or — only when no totalCount came back — on a short page. A short page with a totalCount still
 * ahead means the server capped our limit: the walk continues from what actually arrived and asks
 * for the capped size from then on (reported once through `onPageCapped`). Items seen before are
 * not yielded again; a page made only of items seen before means the server ignores `skip`, and
 * the walk fails instead of looping.
 */
export async function* walkPages<T>(
  options: IterateOptions,
  fetchPage: (options: ListOptions) => Promise<Page<T>>,
  hooks: WalkHooks<T> = {},
): AsyncGenerator<T, void, undefined> {
  // One generator between the pages and the caller: every layer of async-generator delegation costs each item a few microtask hops.
  try {
    const { pageSize = DEFAULT_PAGE_SIZE, ...rest } = options;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new ListOptionsError(`pageSize must be a whole number ≥ 1 (got ${String(pageSize)})`);
    const sort = stableSort(rest.sort);
    // Ids of the last two pages: enough to drop an item that moved one page on (an insertion before
    // it) and to notice a server that ignores skip, without holding every id of a long walk.
    let seen = new Set<string>();
    let seenBefore = new Set<string>();
    let limit = pageSize;
    let capReported = false;
    let skip = 0;
    // One page ahead: the next request is on the wire while the caller works through this page.
    let next: Promise<Page<T>> | null = fetchPage({ ...rest, sort, skip, limit });
    while (next) {
      const page: Page<T> = await next;
      next = null;
      const thisPage = new Set<string>();
      const fresh = hooks.identify ? page.items.filter((item) => !isRepeat(item, hooks.identify!, seen, seenBefore, thisPage)) : page.items;
      if (page.items.length > 0 && fresh.length === 0) {
        throw new PagingError(`the page at skip=${skip} repeats items already seen: the server seems to ignore skip, so paging cannot go on`);
      }
      seenBefore = seen;
      seen = thisPage;
      skip += page.items.length;
      let more = page.items.length > 0;
      if (more && page.totalCount === undefined) more = page.items.length >= limit;
      else if (more && skip >= page.totalCount!) more = false;
      else if (more && page.items.length < limit) {
        if (!capReported) hooks.onPageCapped?.(limit, page.items.length);
        capReported = true;
        limit = page.items.length;
      }
      if (more) {
        next = fetchPage({ ...rest, sort, skip, limit });
        // A caller that stops early never awaits it; its failure must not surface as unhandled.
        next.catch(() => undefined);
      }
      for (const item of fresh) yield item;
    }
  } catch (error) {
    throw hooks.mapError ? hooks.mapError(error) : error;
  }
}


function isRepeat<T>(item: T, identify: (item: T) => string | undefined, seen: Set<string>, seenBefore: Set<string>, thisPage: Set<string>): boolean {
  const id = identify(item);
  if (id === undefined) return false;
  if (seen.has(id) || seenBefore.has(id) || thisPage.has(id)) return true;
  thisPage.add(id);
  return false;
}
