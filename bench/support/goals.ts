/**
 * Issue 14's goals, as each benchmark measured them: every bench records its own here (a JSON
 * file per bench under BENCH_RESULTS_DIR) and `npm run bench` (run-all.ts) prints one table of all.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GoalResult {
  /** The goal's number in issue 14 and a few words. */
  goal: string;
  target: string;
  measured: string;
  met: boolean;
}

export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR ?? join(tmpdir(), 'kr-checkin-bench-goals');
}

/** Prints the bench's goals and stores them for the final table. */
export function recordGoals(bench: string, goals: GoalResult[]): void {
  console.log(`\ngoals measured by bench:${bench}`);
  printGoals(goals);
  mkdirSync(resultsDir(), { recursive: true });
  writeFileSync(join(resultsDir(), `${bench}.json`), JSON.stringify(goals, null, 2));
}

export function readGoals(dir = resultsDir()): Map<string, GoalResult[]> {
  const all = new Map<string, GoalResult[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    all.set(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, file), 'utf8')) as GoalResult[]);
  }
  return all;
}

export function printGoals(goals: GoalResult[]): void {
  const header = ['goal', 'target', 'measured', 'met'];
  const rows = goals.map((g) => [g.goal, g.target, g.measured, g.met ? 'met' : 'NOT MET']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
