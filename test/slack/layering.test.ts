import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers' import rules, read from the source text:
 * - listener folders (commands/, actions/, views/, events/ …) do not import each other; what two of
 *   them share lives in a top-level file of src/slack/listeners/, which imports no listener folder;
 * - block builders import from services only with `import type`: blocks are pure functions of the
 *   values services hand out, so those values' types are their input contract, and a type-only import
 *   is erased at compile time (no service code runs or loads when a block is built);
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
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gms;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(path: string): Import[] {
  const text = readFileSync(path, 'utf8');
  const file = relative(SRC, path);
  const toImport = (specifier: string, typeOnly: boolean): Import => ({
    file,
    specifier,
    target: specifier.startsWith('.') ? relative(SRC, resolve(dirname(path), specifier)).replace(/\.js$/, '.ts') : null,
    typeOnly,
  });
  return [
    ...[...text.matchAll(STATIC)].map((m) => toImport(m[3]!, m[2] !== undefined)),
    ...[...text.matchAll(DYNAMIC)].map((m) => toImport(m[1]!, false)),
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

/** Value imports that the next commits move out; a new one fails, and so does one that is gone but listed. */
const STILL_TO_MOVE = [
  'slack/blocks/app-home.ts imports services/progress.ts',
  'slack/blocks/app-home.ts imports services/reminders/schedule.ts',
  'slack/blocks/app-home.ts imports services/zoned-time.ts',
  'slack/blocks/checkin-confirmation.ts imports services/progress.ts',
  'slack/blocks/checkin-modal.ts imports services/progress.ts',
  'slack/blocks/reminder-message.ts imports services/progress.ts',
  'slack/blocks/reminder-message.ts imports services/reminders/schedule.ts',
  'slack/blocks/reminder-message.ts imports services/zoned-time.ts',
  'slack/blocks/reminder-settings-modal.ts imports services/reminders/schedule.ts',
  'slack/blocks/reminder-settings-modal.ts imports services/zoned-time.ts',
  'slack/blocks/summary-message.ts imports services/progress.ts',
  'slack/blocks/summary-replies.ts imports services/summaries/scope.ts',
];

describe('layering', () => {
  it('reads the imports it checks', () => {
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

  it('block builders import from services only with `import type`', () => {
    const valueImports = allImports.filter((i) => i.file.startsWith(BLOCKS) && i.target?.startsWith(SERVICES) && !i.typeOnly);
    expect(show(valueImports)).toEqual(STILL_TO_MOVE);
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
