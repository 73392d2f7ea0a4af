/**
 * `npm run bench` — every benchmark one after another (each prints its own figures against the
 * baseline it measures in the same run), then one table of every goal of issue 14, met or not.
 * `-- --skip remind-100k` leaves named benches out (comma-separated; their goals show as not run);
 * `-- --only ack,summary` runs just those. Use the single bench scripts with their own flags while iterating.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { printGoals, readGoals, type GoalResult } from './support/goals.js';

const allBenches: Array<{ name: string; args: string[] }> = [
  { name: 'client', args: [] },
  { name: 'ack', args: ['--rounds', '3'] },
  { name: 'summary', args: [] },
  { name: 'remind', args: [] },
  { name: 'remind-100k', args: ['--people', '100000', '--goals-name', 'remind-100k'] },
];

function namesAfter(flag: string): Set<string> | undefined {
  const at = process.argv.indexOf(flag);
  if (at < 0) return undefined;
  const names = new Set((process.argv[at + 1] ?? '').split(',').filter(Boolean));
  const unknown = [...names].filter((name) => !allBenches.some((bench) => bench.name === name));
  if (names.size === 0 || unknown.length > 0) {
    console.error(`${flag} takes bench names from: ${allBenches.map((bench) => bench.name).join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    process.exit(2);
  }
  return names;
}
const only = namesAfter('--only');
const skip = namesAfter('--skip');
const benches = allBenches.filter((bench) => (only ? only.has(bench.name) : true) && !skip?.has(bench.name));
const leftOut = allBenches.filter((bench) => !benches.includes(bench));

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
for (const bench of leftOut) goals.push({ goal: `bench:${bench.name}`, target: 'runs to the end', measured: 'not run (left out by --only/--skip)', met: false });
goals.sort((a, b) => a.goal.localeCompare(b.goal, 'en', { numeric: true }));
console.log(`\n━━ issue 14 goals — ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, node ${process.version}, ${((Date.now() - started) / 60_000).toFixed(1)} min`);
printGoals(goals);
console.log(`${goals.filter((g) => g.met).length} of ${goals.length} goals met${failed.length ? `; benches that failed: ${failed.join(', ')}` : ''}`);
rmSync(dir, { recursive: true, force: true });
if (failed.length > 0) process.exitCode = 1;
