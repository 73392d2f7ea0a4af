import { describe, expect, it } from 'vitest';
import type { CheckInOutcome, CheckInSubmission } from '../../src/services/checkin-types.js';
import { submitRetryingFailures } from '../../src/services/checkin-submit-retry.js';
import { InvalidInputError } from '../../src/services/errors.js';
import type { OutboxEntry } from '../../src/store/store.js';

const submission = { idempotencyKey: 'view:V1:n1' } as CheckInSubmission;
const entry = (status: OutboxEntry['status'], lastError: string | null = null) => ({ id: 7, status, lastError }) as OutboxEntry;
const noSleep = { sleep: async () => {} };

/** A submit that fails the first `failures` times and then answers `then`. */
function flaky(failures: number, then: CheckInOutcome) {
  const calls: number[] = [];
  const submit = async () => {
    calls.push(calls.length + 1);
    if (calls.length <= failures) throw new Error('Connection terminated unexpectedly');
    return then;
  };
  return { submit, calls };
}

describe('submitRetryingFailures', () => {
  it('answers the first outcome when nothing fails, a duplicate included (a twin submission)', async () => {
    const { submit, calls } = flaky(0, { status: 'duplicate', entry: entry('pending') });
    expect(await submitRetryingFailures(submit, submission, noSleep)).toEqual({ status: 'duplicate', entry: entry('pending') });
    expect(calls).toEqual([1]);
  });

  it('finds a check-in saved by an attempt that failed after the outbox write: pending, delivered or rejected, never "not saved"', async () => {
    for (const [saved, expected] of [
      [entry('pending'), { status: 'pending', entry: entry('pending'), reason: 'The database stumbled while it was being sent.' }],
      [entry('in_flight'), { status: 'pending', entry: entry('in_flight'), reason: 'The database stumbled while it was being sent.' }],
      [entry('delivered'), { status: 'delivered', entry: entry('delivered'), change: null }],
      [entry('rejected', 'Gtmhub said: closed'), { status: 'rejected', entry: entry('rejected', 'Gtmhub said: closed'), reason: 'Gtmhub said: closed' }],
    ] as const) {
      const { submit, calls } = flaky(2, { status: 'duplicate', entry: saved });
      expect(await submitRetryingFailures(submit, submission, noSleep)).toEqual(expected);
      expect(calls).toEqual([1, 2, 3]);
    }
  });

  it('waits the given delays between attempts, then gives the last failure up', async () => {
    const slept: number[] = [];
    const retried: number[] = [];
    const { submit, calls } = flaky(10, { status: 'duplicate', entry: entry('pending') });
    await expect(
      submitRetryingFailures(submit, submission, { delaysMs: [5, 10, 20], sleep: async (ms) => void slept.push(ms), onRetry: (_e, n) => retried.push(n) }),
    ).rejects.toThrow('Connection terminated unexpectedly');
    expect(calls).toEqual([1, 2, 3, 4]);
    expect(slept).toEqual([5, 10, 20]);
    expect(retried).toEqual([1, 2, 3]);
  });

  it('does not retry a failure written for the person', async () => {
    let calls = 0;
    const submit = async (): Promise<CheckInOutcome> => {
      calls++;
      throw new InvalidInputError('That value is not a number.');
    };
    await expect(submitRetryingFailures(submit, submission, noSleep)).rejects.toThrow(InvalidInputError);
    expect(calls).toBe(1);
  });
});
