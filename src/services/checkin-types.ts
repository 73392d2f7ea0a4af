/** A check-in as submitted, what became of it, and who is told. */
import type { Metric } from '../gtmhub/types.js';
import type { CheckInOrigin, OutboxEntry, RejectedKeyResult } from '../store/store.js';
import type { UnmappedReason } from './people/people-types.js';

export interface CheckInSubmission {
  slackUserId: string;
  /** Who to name in the Gtmhub comment when the Slack profile has no real name. */
  slackDisplayName: string;
  metricId: string;
  actual: number;
  confidence: number | null;
  comment: string;
  /** The same key for the same submission (Slack redelivery, double click). */
  idempotencyKey: string;
  origin: CheckInOrigin;
  /** The reminder whose button made it, for origin reminder and bulk. */
  reminderId: number | null;
}

export interface CheckInChange {
  metric: Metric;
  goalName: string;
  previousActual: number | null;
  previousAttainment: number;
  newActual: number;
  newAttainment: number;
  snapshotId: string | null;
}

export type CheckInOutcome =
  | { status: 'delivered'; entry: OutboxEntry; change: CheckInChange | null }
  | { status: 'pending'; entry: OutboxEntry; reason: string }
  | { status: 'rejected'; entry: OutboxEntry; reason: string }
  | { status: 'unmapped'; reason: UnmappedReason }
  /** Already submitted before: nothing new happened. */
  | { status: 'duplicate'; entry: OutboxEntry };

/** Tells people (and their reminder messages) what became of their check-ins. */
export interface CheckInNotifier {
  delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void>;
  rejected(entry: OutboxEntry, reason: string, keyResult?: RejectedKeyResult): Promise<void>;
}
