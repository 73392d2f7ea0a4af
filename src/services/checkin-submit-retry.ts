/**
 * Submitting a check-in across a database or network hiccup. `CheckInService.submit` is idempotent by
 * its key, so trying again is always safe — and it is the only way to know what happened: a failure
 * after the outbox write (a lost commit answer, a claim cut off by a database restart) leaves the
 * check-in saved although the call failed. Telling that person "not saved" would make them check in
 * twice. A later attempt that finds the key already saved answers with the saved entry instead.
 */
import type { CheckInOutcome, CheckInSubmission } from './checkin-types.js';
import { PersonFacingError } from './errors.js';

export const SUBMIT_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];

export interface SubmitRetryOptions {
  delaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (error: unknown, attempt: number) => void;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function submitRetryingFailures(
  submit: (submission: CheckInSubmission) => Promise<CheckInOutcome>,
  submission: CheckInSubmission,
  options: SubmitRetryOptions = {},
): Promise<CheckInOutcome> {
  const delays = options.delaysMs ?? SUBMIT_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? wait;
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await submit(submission);
      if (attempt === 0 || outcome.status !== 'duplicate') return outcome;
      // The key is saved: by an attempt of ours that failed after writing it (or by a twin submission).
      const { entry } = outcome;
      if (entry.status === 'delivered') return { status: 'delivered', entry, change: null };
      if (entry.status === 'rejected') return { status: 'rejected', entry, reason: entry.lastError ?? 'Gtmhub did not take it.' };
      return { status: 'pending', entry, reason: 'The database stumbled while it was being sent.' };
    } catch (error) {
      if (error instanceof PersonFacingError || attempt >= delays.length) throw error;
      options.onRetry?.(error, attempt + 1);
      await sleep(delays[attempt]!);
    }
  }
}
