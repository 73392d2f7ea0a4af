/**
 * `npm run bench` — every benchmark one after another (each prints its own figures against the
 * baseline it measures in the same run), then one table of every goal of issue 14, met or not.
 * Extra arguments after `--` go to every bench (e.g. `-- --people 1000` for a quick look is not
 * meaningful for all; use the single bench scripts with their own flags while iterating).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { printGoals, readGoals, type GoalResult } from './support/goals.js';

const benches: Array<{ name: string; args: string[] }> = [
  { name: 'client', args: [] },
  { name: 'ack', args: ['--rounds', '3'] },
  { name: 'summary', args: [] },
  { name: 'remind', args: [] },
  { name: 'remind-100k', args: ['--people', '100000', '--goals-name', 'remind-100k'] },
];

const dir = mkdtempSync(join(tmpdir(), 'kr-bench-goals-'));
const env = { ...process.env, BENCH_RESULTS_DIR: dir };
const failed: string[] = [];
const started = Date.now();
for (const bench of benches) {
  const file = `bench/${bench.name.replace(/-100k$/, '')}.bench.ts`;
  console.log(`\n━━ ${bench.name}: tsx ${file} ${bench.args.join(' ')}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...bench.args], { stdio: 'inherit', env });
  if (result.status !== 0) failed.push(`${bench.name} (exit ${result.status ?? result.signal})`);
}

const all = readGoals(dir);
const goals: GoalResult[] = [];
for (const bench of benches) {
  const mine = all.get(bench.name);
  if (mine) goals.push(...mine);
  else goals.push({ goal: `bench:${bench.name}`, target: 'runs to the end', measured: 'no results', met: false });
}
goals.sort((a, b) => a.goal.localeCompare(b.goal, 'en', { numeric: true }));
console.log(`\n━━ issue 14 goals — ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, node ${process.version}, ${((Date.now() - started) / 60_000).toFixed(1)} min`);
printGoals(goals);
console.log(`${goals.filter((g) => g.met).length} of ${goals.length} goals met${failed.length ? `; benches that failed: ${failed.join(', ')}` : ''}`);
rmSync(dir, { recursive: true, force: true });
if (failed.length > 0) process.exitCode = 1;
