import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers' import rules, read from the source text:
 * - listener folders (commands/, actions/, views/, events/ …) do not import each other; what two of
 *   them share lives in a top-level file of src/slack/listeners/, which imports no listener folder;
 * - block builders import from services only with `import type` (apart from three pure functions
 *   listed below): blocks are pure functions of the values services hand out, so those values' types
 *   are their input contract, and a type-only import is erased at compile time;
 * - src/domain/ holds what both share (limits, option lists); it sits below both;
 * - services know neither Slack nor HTTP.
 */

const SRC = resolve(import.meta.dirname, '../../src');
const LISTENERS = 'slack/listeners/';
const BLOCKS = 'slack/blocks/';
const SERVICES = 'services/';
const TRANSPORT_PACKAGES = ['@slack/bolt', '@slack/web-api', 'node:http', 'ky'];

interface Import {
  /** The importing file, relative to src/. */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** For relative specifiers: the imported file relative to src/ (`.js` read as `.ts`). */
  target: string | null;
  typeOnly: boolean;
  /** The values (not types) it names; empty for `import type` and side-effect imports. */
  valueNames: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const STATIC = /^\s*(import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?['"]([^'"]+)['"]/gms;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** `x, { a, b as c, type D }` → x, a, b; `* as ns` → *. */
function valueNamesOf(clause: string): string[] {
  const braces = /\{([^}]*)\}/s.exec(clause);
  const named = (braces?.[1] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith('type '))
    .map((part) => part.split(/\s+as\s+/)[0]!);
  const outside = clause.replace(/\{[^}]*\}/s, '').split(',').map((part) => part.trim()).filter(Boolean);
  return [...outside.map((part) => (part.startsWith('*') ? '*' : part)), ...named];
}

function importsOf(path: string): Import[] {
  const text = readFileSync(path, 'utf8');
  const file = relative(SRC, path);
  const toImport = (specifier: string, typeOnly: boolean, clause: string): Import => ({
    file,
    specifier,
    target: specifier.startsWith('.') ? relative(SRC, resolve(dirname(path), specifier)).replace(/\.js$/, '.ts') : null,
    typeOnly,
    valueNames: typeOnly ? [] : valueNamesOf(clause),
  });
  return [
    ...[...text.matchAll(STATIC)].map((m) => toImport(m[4]!, m[2] !== undefined, m[3] ?? '')),
    ...[...text.matchAll(DYNAMIC)].map((m) => toImport(m[1]!, false, '*')),
  ];
}

const allImports = sourceFiles(SRC).flatMap(importsOf);

/** `slack/listeners/actions/x.ts` → `actions`; a top-level listener file → null. */
function listenerFolder(file: string): string | null {
  if (!file.startsWith(LISTENERS)) return null;
  const parts = file.slice(LISTENERS.length).split('/');
  return parts.length > 1 ? parts[0]! : null;
}

function show(imports: Import[]): string[] {
  return imports.map((i) => `${i.file} imports ${i.target ?? i.specifier}${i.typeOnly ? ' (type only)' : ''}`);
}

/**
 * The only values blocks may take from services, each a pure function the services use as well:
 * attainment is the domain's progress rule (it stays in services; blocks need it to show a preview),
 * safeTimeZone is the one fallback for a time zone Intl does not know, and describeScope names a
 * summary's scope for the summary the service builds as well as for the subscription list.
 */
const SERVICE_VALUES_BLOCKS_MAY_USE: Record<string, string[]> = {
  'services/progress.ts': ['attainment'],
  'services/zoned-time.ts': ['safeTimeZone'],
  'services/summaries/scope.ts': ['describeScope'],
};

describe('layering', () => {
  it('reads the imports it checks', () => {
    expect(valueNamesOf('{ a, b as c, type D }')).toEqual(['a', 'b']);
    expect(valueNamesOf('x, { a }')).toEqual(['x', 'a']);
    expect(valueNamesOf('* as ns')).toEqual(['*']);
    expect(allImports.some((i) => i.file === 'slack/app.ts' && i.target === 'slack/listeners/context.ts' && i.typeOnly)).toBe(true);
    expect(allImports.some((i) => i.file.startsWith(BLOCKS) && i.target?.startsWith(SERVICES))).toBe(true);
  });

  it('listener folders do not import each other, and shared listener files import no listener folder', () => {
    const crossing = allImports.filter((i) => {
      if (!i.file.startsWith(LISTENERS) || !i.target?.startsWith(LISTENERS)) return false;
      const to = listenerFolder(i.target);
      return to !== null && to !== listenerFolder(i.file);
    });
    expect(show(crossing)).toEqual([]);
  });

  it('no listener imports the Slack app module', () => {
    expect(show(allImports.filter((i) => i.file.startsWith(LISTENERS) && i.target === 'slack/app.ts'))).toEqual([]);
  });

  it('block builders import from services only with `import type`, apart from the pure functions named above', () => {
    const valueImports = allImports.filter((i) => i.file.startsWith(BLOCKS) && i.target?.startsWith(SERVICES) && !i.typeOnly);
    const notAllowed = valueImports.filter((i) => !i.valueNames.every((name) => SERVICE_VALUES_BLOCKS_MAY_USE[i.target!]?.includes(name)));
    expect(show(notAllowed)).toEqual([]);
  });

  it('domain modules, which services and blocks share, import from services only with `import type` and nothing from Slack', () => {
    const upward = allImports.filter(
      (i) => i.file.startsWith('domain/') && (i.target?.startsWith('slack/') || (i.target?.startsWith(SERVICES) && !i.typeOnly)),
    );
    expect(show(upward)).toEqual([]);
  });

  it('services import neither Slack nor HTTP', () => {
    const transport = allImports.filter((i) => i.file.startsWith(SERVICES) && TRANSPORT_PACKAGES.some((p) => i.specifier === p || i.specifier.startsWith(`${p}/`)));
    expect(show(transport)).toEqual([]);
  });
});
