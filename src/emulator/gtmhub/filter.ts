/**
 * MongoDB-style filters as Gtmhub's list endpoints take them (`filter=` query parameter).
 * Pure: parse relaxed JSON (json5, so the seed's `{name: {$in: ["sales", "marketing"]}}` works),
 * validate everything up front, and compile to a predicate that never throws.
 *
 * Supported: equality (scalar-in-array and whole-value), $eq $ne $in $nin $gt $gte $lt $lte
 * (numbers, strings, ISO dates compared as instants), $exists, $regex (+ $options), $not,
 * $and $or $nor, dotted paths through objects and arrays, `_id` as an alias of `id`.
 */
import JSON5 from 'json5';
import { isIsoDate } from './dates.js';

export class FilterError extends Error {
  override name = 'FilterError';
}

/** Reads a top-level field of a document; lets callers serve derived fields without materialising them. */
export type FieldReader<T> = (doc: T, key: string) => unknown;

export type FilterPredicate<T> = (doc: T) => boolean;

/** Parses the text of a `filter` query parameter. An empty text means "no filter" (null). */
export function parseFilter(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON5.parse(text);
  } catch (error) {
    throw new FilterError(`filter is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new FilterError('filter must be a JSON object, e.g. {name: {$in: ["a", "b"]}}');
  return parsed;
}

const readOwnField: FieldReader<unknown> = (doc, key) => (isPlainObject(doc) ? doc[key] : undefined);

/** Compiles a parsed filter; throws FilterError for unknown operators and malformed operands. */
export function compileFilter<T = unknown>(
  filter: Record<string, unknown>,
  readField: FieldReader<T> = readOwnField as FieldReader<T>,
): FilterPredicate<T> {
  return compileDocument(filter, readField, 'filter');
}

/** parseFilter + compileFilter; null when the text is empty. */
export function filterFromQuery<T = unknown>(text: string, readField?: FieldReader<T>): FilterPredicate<T> | null {
  const parsed = parseFilter(text);
  return parsed ? compileFilter(parsed, readField) : null;
}

// ---------------------------------------------------------------------------------------------

/** Leaf values reached by a path; an array leaf also matches through its elements. */
type LeafPredicate = (leaves: unknown[]) => boolean;

function compileDocument<T>(spec: unknown, readField: FieldReader<T>, where: string): FilterPredicate<T> {
  if (!isPlainObject(spec)) throw new FilterError(`${where} must be an object`);
  const parts: Array<FilterPredicate<T>> = [];
  for (const [key, value] of Object.entries(spec)) {
    if (key.startsWith('$')) {
      parts.push(compileLogical(key, value, readField));
      continue;
    }
    const segments = key.split('.');
    if (segments.some((segment) => segment === '')) throw new FilterError(`invalid field path "${key}"`);
    const path = segments.map((segment) => (segment === '_id' ? 'id' : segment));
    const [first, ...rest] = path as [string, ...string[]];
    const condition = compileCondition(key, value);
    parts.push((doc) => {
      const top = readField(doc, first);
      if (rest.length === 0) return condition([top]);
      const leaves: unknown[] = [];
      collectLeaves(top, rest, 0, leaves);
      return condition(leaves.length === 0 ? [undefined] : leaves);
    });
  }
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  return (doc) => parts.every((part) => part(doc));
}

function compileLogical<T>(operator: string, value: unknown, readField: FieldReader<T>): FilterPredicate<T> {
  if (operator !== '$and' && operator !== '$or' && operator !== '$nor') {
    throw new FilterError(`unknown top-level operator ${operator} (supported: $and, $or, $nor)`);
  }
  if (!Array.isArray(value) || value.length === 0) throw new FilterError(`${operator} needs a non-empty array of filters`);
  const subs = value.map((sub, i) => compileDocument(sub, readField, `${operator}[${i}]`));
  if (operator === '$and') return (doc) => subs.every((sub) => sub(doc));
  if (operator === '$or') return (doc) => subs.some((sub) => sub(doc));
  return (doc) => !subs.some((sub) => sub(doc));
}

function collectLeaves(value: unknown, segments: string[], index: number, out: unknown[]): void {
  if (index === segments.length) {
    out.push(value);
    return;
  }
  const segment = segments[index]!;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(segment)) {
      collectLeaves(value[Number(segment)], segments, index + 1, out);
      return;
    }
    for (const element of value) {
      if (isPlainObject(element)) collectLeaves(element[segment], segments, index + 1, out);
    }
    return;
  }
  if (isPlainObject(value)) {
    collectLeaves(value[segment], segments, index + 1, out);
    return;
  }
  out.push(undefined);
}

function compileCondition(field: string, value: unknown): LeafPredicate {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const operators = keys.filter((key) => key.startsWith('$'));
    if (operators.length > 0 && operators.length !== keys.length) {
      throw new FilterError(`"${field}": cannot mix operators (${operators.join(', ')}) with plain fields`);
    }
    if (operators.length > 0) return compileOperators(field, value);
  }
  return equals(value);
}

function compileOperators(field: string, spec: Record<string, unknown>): LeafPredicate {
  const parts: LeafPredicate[] = [];
  if ('$options' in spec && !('$regex' in spec)) throw new FilterError(`"${field}": $options needs $regex`);
  for (const [operator, operand] of Object.entries(spec)) {
    switch (operator) {
      case '$eq':
        parts.push(equals(operand));
        break;
      case '$ne': {
        const eq = equals(operand);
        parts.push((leaves) => !eq(leaves));
        break;
      }
      case '$in':
        parts.push(memberOf(field, operator, operand));
        break;
      case '$nin': {
        const inList = memberOf(field, operator, operand);
        parts.push((leaves) => !inList(leaves));
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        parts.push(comparison(field, operator, operand));
        break;
      case '$exists': {
        if (typeof operand !== 'boolean' && operand !== 0 && operand !== 1) {
          throw new FilterError(`"${field}": $exists needs true or false`);
        }
        const wanted = Boolean(operand);
        parts.push((leaves) => leaves.some((leaf) => leaf !== undefined) === wanted);
        break;
      }
      case '$regex':
        parts.push(regex(field, operand, spec.$options));
        break;
      case '$options':
        break;
      case '$not': {
        if (!isPlainObject(operand) || Object.keys(operand).length === 0 || !Object.keys(operand).every((key) => key.startsWith('$'))) {
          throw new FilterError(`"${field}": $not needs an operator expression, e.g. {$not: {$in: [1, 2]}}`);
        }
        const inner = compileOperators(field, operand);
        parts.push((leaves) => !inner(leaves));
        break;
      }
      default:
        throw new FilterError(
          `"${field}": unknown operator ${operator} (supported: $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists, $regex, $options, $not)`,
        );
    }
  }
  if (parts.length === 1) return parts[0]!;
  return (leaves) => parts.every((part) => part(leaves));
}

/** Mongo equality: whole value, or any element of an array value; null also matches a missing field. */
function equals(operand: unknown): LeafPredicate {
  if (operand === null) {
    return (leaves) => leaves.some((leaf) => leaf === null || leaf === undefined || (Array.isArray(leaf) && leaf.includes(null)));
  }
  if (typeof operand !== 'object') {
    return (leaves) => leaves.some((leaf) => leaf === operand || (Array.isArray(leaf) && leaf.includes(operand)));
  }
  return (leaves) => leaves.some((leaf) => deepEqual(leaf, operand) || (Array.isArray(leaf) && leaf.some((element) => deepEqual(element, operand))));
}

function memberOf(field: string, operator: string, operand: unknown): LeafPredicate {
  if (!Array.isArray(operand)) throw new FilterError(`"${field}": ${operator} needs an array`);
  const scalars = new Set(operand.filter((item) => item === null || typeof item !== 'object'));
  const objects = operand.filter((item) => item !== null && typeof item === 'object');
  const matchesNull = scalars.has(null);
  const hit = (value: unknown): boolean =>
    (value === undefined ? matchesNull : value === null || typeof value !== 'object' ? scalars.has(value) : objects.some((o) => deepEqual(value, o)));
  return (leaves) => leaves.some((leaf) => hit(leaf) || (Array.isArray(leaf) && leaf.some(hit)));
}

function comparison(field: string, operator: '$gt' | '$gte' | '$lt' | '$lte', operand: unknown): LeafPredicate {
  if (typeof operand !== 'number' && typeof operand !== 'string') {
    throw new FilterError(`"${field}": ${operator} needs a number, a string or an ISO date`);
  }
  const accept =
    operator === '$gt' ? (c: number) => c > 0 : operator === '$gte' ? (c: number) => c >= 0 : operator === '$lt' ? (c: number) => c < 0 : (c: number) => c <= 0;
  const operandTime = typeof operand === 'string' && isIsoDate(operand) ? Date.parse(operand) : null;
  const test = (value: unknown): boolean => {
    const order = compareScalar(value, operand, operandTime);
    return order !== null && accept(order);
  };
  return (leaves) => leaves.some((leaf) => test(leaf) || (Array.isArray(leaf) && leaf.some(test)));
}

/** Same-type comparison only (as Mongo does): numbers numerically, ISO dates as instants, other strings by code unit. */
function compareScalar(value: unknown, operand: number | string, operandTime: number | null): number | null {
  if (typeof operand === 'number') return typeof value === 'number' ? value - operand : null;
  if (typeof value !== 'string') return null;
  if (operandTime !== null && isIsoDate(value)) return Date.parse(value) - operandTime;
  return value < operand ? -1 : value > operand ? 1 : 0;
}

function regex(field: string, pattern: unknown, options: unknown): LeafPredicate {
  if (typeof pattern !== 'string') throw new FilterError(`"${field}": $regex needs a string`);
  if (options !== undefined && (typeof options !== 'string' || !/^[ims]*$/.test(options))) {
    throw new FilterError(`"${field}": $options may only contain i, m and s`);
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern, options ?? '');
  } catch (error) {
    throw new FilterError(`"${field}": invalid $regex: ${(error as Error).message}`);
  }
  const test = (value: unknown): boolean => typeof value === 'string' && re.test(value);
  return (leaves) => leaves.some((leaf) => test(leaf) || (Array.isArray(leaf) && leaf.some(test)));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(bRecord).length) return false;
  return aKeys.every((key) => key in bRecord && deepEqual((a as Record<string, unknown>)[key], bRecord[key]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
