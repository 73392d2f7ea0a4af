/** Shared pieces of the fault-injection tests: a submission as the check-in service takes it, and what Gtmhub holds. */
import type { CheckInSubmission } from '../../src/services/checkin-types.js';
import type { Harness } from '../support/harness.js';

let submissions = 0;

export function submission(h: Harness, gtmhubUserId: string, metricId: string, actual: number, overrides: Partial<CheckInSubmission> = {}): CheckInSubmission {
  submissions += 1;
  return {
    slackUserId: h.slackIdFor(gtmhubUserId),
    slackDisplayName: 'someone',
    metricId,
    actual,
    confidence: null,
    comment: `fault test ${submissions}`,
    idempotencyKey: `fault-test:${process.pid}:${submissions}:${Math.random()}`,
    origin: 'modal',
    reminderId: null,
    ...overrides,
  };
}

/** Snapshots Gtmhub holds for a key result. */
export function snapshotsOf(h: Harness, metricId: string) {
  return h.gtmhub.state.snapshots.filter((s) => s.metricId === metricId);
}

/** Check-in POSTs that reached the Gtmhub emulator. */
export function checkInPostsReaching(h: Harness, metricId?: string): number {
  return h.gtmhub.requests.filter((r) => r.method === 'POST' && (metricId ? r.path.endsWith(`/metrics/${metricId}/checkin`) : /\/checkin$/.test(r.path))).length;
}
