/**
 * The app as deployed runs compiled on plain node (Procfile: `node dist/index.js`). Benches that
 * measure the app's own memory compile it the same way, into the gitignored `.bench-build/`
 * (bench/tsconfig.build.json), and fork the compiled script: under tsx the process also holds the
 * loader's thread and esbuild's transforms, about 150 MB of RSS before the app does anything.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Compiles the bench's app scripts (incrementally) and returns the URL of `bench/<script>.js` in the build. */
export function compiledBenchScript(script: string): string {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'bench', 'tsconfig.build.json')], { stdio: 'inherit' });
  return pathToFileURL(join(root, '.bench-build', 'bench', `${script}.js`)).href;
}

/** The node options of the Procfile's `web` process: the app is benchmarked the way it is deployed. */
export function deployedNodeArgs(procfile = readFileSync(join(root, 'Procfile'), 'utf8')): string[] {
  const web = procfile.split('\n').find((line) => line.startsWith('web:'));
  const words = web?.slice('web:'.length).trim().split(/\s+/) ?? [];
  const node = words.indexOf('node');
  if (node < 0) return [];
  const args: string[] = [];
  for (const word of words.slice(node + 1)) {
    if (!word.startsWith('-')) break;
    args.push(word);
  }
  return args;
}

/** Node options for the app's process: BENCH_APP_NODE_ARGS (space-separated) when set, else the Procfile's. */
export function appNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.BENCH_APP_NODE_ARGS === undefined) return deployedNodeArgs();
  return env.BENCH_APP_NODE_ARGS.split(/\s+/).filter((a) => a.length > 0);
}
