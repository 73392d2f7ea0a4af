/**
 * The rules a delivery applies to what Gtmhub answered: which errors are final and how to word them,
 * when a 2xx counts as delivered, how long the reads before a POST may take, and whether a check-in
 * whose answer was lost is already in Gtmhub.
 */
import { carriesRef, submissionRef } from '../domain/checkin-signature.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import { GtmhubError, GtmhubUnexpectedResponseError } from '../gtmhub/errors.js';
import type { OutboxEntry } from '../store/store.js';

/** Gtmhub's reason in plain words, for the person who submitted. */
export function rejectionReason(error: GtmhubError): string {
  const said = error.gtmhubMessage ? `Gtmhub said: “${error.gtmhubMessage}”` : '';
  switch (error.status) {
    case 400:
      return said || 'Gtmhub refused the check-in as invalid.';
    case 403:
      return `The Gtmhub account kr-checkin uses is not allowed to check in this key result. ${said}`.trim();
    case 404:
      return 'This key result no longer exists in Gtmhub.';
    default:
      return said || error.message;
  }
}

export function isPermanent(error: GtmhubError): boolean {
  return error.status === 400 || error.status === 403 || error.status === 404 || error.name === 'GtmhubValidationError';
}

export const CANNOT_TELL =
  'Gtmhub may already have this check-in: its answer was lost, and the key result has been checked in since, with a history too short to tell. It was not sent again, so that it is not recorded twice; look at the key result in Gtmhub and check in again if it is missing.';

/** The reads before a POST ran past the time the lease leaves for them. */
export class DeliveryDeadlineError extends Error {
  override name = 'DeliveryDeadlineError';
}

export async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryDeadlineError(`Gtmhub did not answer the reads before posting within ${Math.round(ms)} ms`)), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A 2xx status arrived, whatever became of the body: the write happened. */
export function answeredSuccess(error: unknown): boolean {
  if (error instanceof GtmhubUnexpectedResponseError) return true;
  return error instanceof GtmhubError && typeof error.status === 'number' && error.status >= 200 && error.status < 300;
}

export function refOf(entry: OutboxEntry): string {
  return typeof entry.context.ref === 'string' ? entry.context.ref : submissionRef(entry.idempotencyKey);
}

/**
 * Whether a check-in whose POST answer was lost is already in Gtmhub: its reference in the key
 * result's history. The history must reach back to the submission for its silence to mean "not
 * there"; a trimmed one that does not, after a later check-in, cannot tell ('unknown').
 */
export async function findLanded(gtmhub: Pick<GtmhubClient, 'getMetric'>, entry: OutboxEntry): Promise<'landed' | 'not_landed' | 'unknown'> {
  const metric = await gtmhub.getMetric(entry.metricId);
  const ref = refOf(entry);
  const since = entry.submittedAt.getTime() - 1000;
  const lastCheckIn = metric.lastCheckInDate ? Date.parse(metric.lastCheckInDate) : Number.NaN;
  const checkedInSince = Number.isFinite(lastCheckIn) && lastCheckIn >= since;
  const history = metric.metricHistory;
  if (history?.some((h) => carriesRef(h.comment, ref))) return 'landed';
  if (!checkedInSince) return 'not_landed';
  if (!history) return metric.actual === entry.actual ? 'landed' : 'not_landed';
  const oldest = Math.min(...history.map((h) => (h.createdAt ? Date.parse(h.createdAt) : Number.NaN)).filter(Number.isFinite));
  return oldest <= since ? 'not_landed' : 'unknown';
}
