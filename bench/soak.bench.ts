/**
 * `npm run bench:soak` — the soak of test/e2e/soak.test.ts at full size: 2,000 check-ins over real
 * HTTP with ~30% of Gtmhub requests broken (and some Slack ones), then the outbox drained. Prints
 * submitted, landed, duplicates, lost and the faults injected; exits 1 unless submitted = landed
 * with 0 duplicates and 0 lost. The baseline in the same run: the same check-ins with no fault.
 *
 * Options: --check-ins N (default 2000), --fault-rate R (default 0.3), --seed N (default 11).
 */
import { printSoakFigures, runSoak } from '../test/support/soak.js';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

const checkIns = argument('check-ins', 2000);
const faultRate = argument('fault-rate', 0.3);
const seed = argument('seed', 11);

const baseline = await runSoak({ checkIns, faultRate: 0, seed });
console.log(`baseline (no faults):\n${printSoakFigures(baseline)}\n`);
const figures = await runSoak({ checkIns, faultRate, seed });
console.log(`with faults (rate ${faultRate}, seed ${seed}):\n${printSoakFigures(figures)}`);
const ok = figures.landed === figures.submitted && figures.duplicates === 0 && figures.lost === 0 && baseline.landed === baseline.submitted;
console.log(ok ? '\nOK: submitted = landed, duplicates 0, lost 0' : '\nFAILED: the promise did not hold');
process.exit(ok ? 0 : 1);
