/**
 * The app as deployed runs compiled on plain node (Procfile: `node dist/index.js`). Benches that
 * measure the app's own memory compile it the same way, into the gitignored `.bench-build/`
 * (bench/tsconfig.build.json), and fork the compiled script: under tsx the process also holds the
 * loader's thread and esbuild's transforms, about 150 MB of RSS before the app does anything.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Compiles the bench's app scripts (incrementally) and returns the URL of `bench/<script>.js` in the build. */
export function compiledBenchScript(script: string): string {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'bench', 'tsconfig.build.json')], { stdio: 'inherit' });
  return pathToFileURL(join(root, '.bench-build', 'bench', `${script}.js`)).href;
}

/** Node options for the app's process, from BENCH_APP_NODE_ARGS (space-separated, e.g. `--max-old-space-size=128`). */
export function appNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.BENCH_APP_NODE_ARGS ?? '').split(/\s+/).filter((a) => a.length > 0);
}
