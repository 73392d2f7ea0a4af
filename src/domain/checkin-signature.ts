/**
 * The line kr-checkin adds to every comment it sends to Gtmhub: Gtmhub records a check-in as made
 * by the API token's user, so the comment names the person, and carries the submission's reference
 * so a check-in whose answer was lost can be recognised in the key result's history.
 * The one place that builds, recognises and strips it.
 */
import { createHash, randomBytes } from 'node:crypto';

const SIGNATURE = /\n*— checked in from Slack by .*$/s;

/**
 * A new submission's reference, written into its Gtmhub comment to recognise it later: random, so
 * nobody can write it into a comment of their own before it lands (it is stored with the entry).
 */
export function newSubmissionRef(): string {
  return randomBytes(5).toString('hex');
}

/** The reference earlier versions derived from the idempotency key, for entries stored without one. */
export function submissionRef(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 10);
}

/** The person's words followed by the signature naming them and the submission's reference. */
export function signComment(comment: string, displayName: string, ref: string): string {
  const signature = `— checked in from Slack by ${displayName} (kr-checkin ${ref})`;
  return comment.trim() ? `${comment.trim()}\n\n${signature}` : signature;
}

/** The signature line of a stored comment, or null when it has none. */
export function signatureOf(comment: string): string | null {
  return comment.match(SIGNATURE)?.[0].trim() ?? null;
}

/** The person's own words of a stored comment, without the signature. */
export function ownWords(comment: string): string {
  return comment.replace(SIGNATURE, '').trim();
}

/**
 * Whether a comment (e.g. in a key result's history) is the one kr-checkin sent for this submission:
 * its last line is the signature with the reference. A reference written anywhere else (a person's
 * own words quoting one) does not count.
 */
export function carriesRef(comment: unknown, ref: string): boolean {
  if (typeof comment !== 'string') return false;
  const lastLine = comment.trimEnd().split('\n').at(-1) ?? '';
  return /^— checked in from Slack by .* \(kr-checkin [0-9a-f]+\)$/.test(lastLine) && lastLine.endsWith(`(kr-checkin ${ref})`);
}

/** A new comment in place of the person's words, keeping the signature (or adding one). */
export function replaceOwnWords(stored: string, comment: string, displayName: string, ref: string): string {
  const signature = signatureOf(stored);
  if (!signature) return signComment(comment, displayName, ref);
  return comment.trim() ? `${comment.trim()}\n\n${signature}` : signature;
}
