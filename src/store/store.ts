/**
 * State the bot owns. Async so that SQLite (default) and PostgreSQL (scale-out) implement the same
 * contract; nothing here may rely on being the only process (claims are atomic compare-and-set).
 * Gtmhub stays the source of truth for key results.
 */
import type { ActionClaimStore } from './action-claim-store.js';
import type { JobLeaseStore } from './job-lease-store.js';
import type { ReminderStore } from './reminder-store.js';
import type { SubscriptionStore } from './subscription-store.js';
import type { SummaryHistoryStore } from './summary-history-store.js';

export type OwnerLinkSource = 'manual' | 'email';

/** Slack user → Gtmhub user. Manual links (admins) never expire; email matches are a cache. */
export interface OwnerLink {
  slackUserId: string;
  gtmhubUserId: string;
  email: string | null;
  source: OwnerLinkSource;
  /** Slack user id of the admin who made a manual link. */
  linkedBy: string | null;
  createdAt: Date;
  /** Email matches expire; manual links have null. */
  expiresAt: Date | null;
}

/** What the bot knows of a Slack user (users.info), cached. */
export interface SlackProfile {
  slackUserId: string;
  email: string | null;
  tz: string | null;
  realName: string | null;
  fetchedAt: Date;
}

export type OutboxStatus = 'pending' | 'in_flight' | 'delivered' | 'rejected';

/** Where a check-in was made: the modal, a reminder's "No change" button, or "No change for all" (one bulk request). */
export type CheckInOrigin = 'modal' | 'reminder' | 'bulk';

/** A check-in the user submitted, kept until Gtmhub has it (DESIGN: never lose a check-in). */
export interface OutboxEntry {
  id: number;
  /** Same submission twice (double click, Slack retry) → same key → one entry. */
  idempotencyKey: string;
  slackUserId: string;
  gtmhubUserId: string;
  metricId: string;
  actual: number;
  confidence: number | null;
  comment: string;
  /** When the user submitted it; sent as checkInDate. */
  submittedAt: Date;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** A worker holds an in_flight entry until then; after it, the entry is claimable again. */
  leaseUntil: Date | null;
  lastError: string | null;
  /** Set once a POST was sent whose answer never came: check Gtmhub before posting again. */
  uncertain: boolean;
  snapshotId: string | null;
  deliveredAt: Date | null;
  origin: CheckInOrigin;
  /** The reminder whose button made it (origin reminder or bulk), so its message shows the outcome. */
  reminderId: number | null;
  /** Free-form context for rendering the outcome (e.g. previous value). */
  context: Record<string, unknown>;
}

export type NewOutboxEntry = Pick<
  OutboxEntry,
  'idempotencyKey' | 'slackUserId' | 'gtmhubUserId' | 'metricId' | 'actual' | 'confidence' | 'comment' | 'submittedAt' | 'origin' | 'reminderId' | 'context'
>;

export interface OwnerStore {
  getOwnerLink(slackUserId: string): Promise<OwnerLink | null>;
  /** Reverse lookup (reminders, summaries): the Slack users linked to a Gtmhub user. */
  findOwnerLinksByGtmhubUser(gtmhubUserId: string): Promise<OwnerLink[]>;
  putOwnerLink(link: OwnerLink): Promise<void>;
  deleteOwnerLink(slackUserId: string): Promise<boolean>;
  getSlackProfile(slackUserId: string): Promise<SlackProfile | null>;
  putSlackProfile(profile: SlackProfile): Promise<void>;
}

/**
 * A claim's fencing token: the entry's id and the `attempts` count its claim set. Every claim adds
 * one, so a holder whose lease ran out and whose entry was claimed again presents a stale token and
 * its writes are refused.
 */
export type OutboxClaim = Pick<OutboxEntry, 'id' | 'attempts'>;

/** What to tell the person about a finished check-in, kept until Slack has taken it. */
export type CheckInNotice =
  | { kind: 'delivered'; late: boolean; change: Record<string, unknown> | null }
  | { kind: 'rejected'; reason: string; keyResult?: RejectedKeyResult };

/** The key result a refused check-in was for, as the notice names it (absent when it was not read). */
export interface RejectedKeyResult {
  name: string;
  format?: { prefix?: string; suffix?: string; fractionSize?: number };
}

/** A notice due to be sent, with its entry (as it is now in the store). */
export interface PendingNotice {
  entry: OutboxEntry;
  notice: CheckInNotice;
  /** How many sends were tried before this one. */
  attempts: number;
}

export interface OutboxStore {
  /** Inserts, or returns the existing entry with the same idempotency key (`created: false`). */
  enqueueCheckIn(entry: NewOutboxEntry, now: Date): Promise<{ entry: OutboxEntry; created: boolean }>;
  getOutboxEntry(id: number): Promise<OutboxEntry | null>;
  /**
   * Atomically moves up to `limit` entries that are pending and due (or in_flight with an expired
   * lease) to in_flight with `leaseUntil`, and returns them. Two workers never get the same entry.
   */
  claimOutboxEntries(now: Date, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** Claims one specific entry (the submitting request delivers its own entry at once). */
  claimOutboxEntry(id: number, now: Date, leaseMs: number): Promise<OutboxEntry | null>;
  /**
   * Before sending a POST: once set, a later attempt checks Gtmhub before re-posting. False (and
   * nothing written) when the claim is no longer the entry’s latest or its lease ends before `holdUntil`
   * the holder must not post.
   */
  markOutboxUncertain(claim: OutboxClaim, holdUntil: Date): Promise<boolean>;
  /** Delivery is the truth about Gtmhub: recorded whatever the entry's state or claim, except twice. */
  markOutboxDelivered(id: number, snapshotId: string | null, now: Date): Promise<void>;
  /** False (nothing written) for a stale claim or an entry already finished. */
  markOutboxRejected(claim: OutboxClaim, reason: string, now: Date): Promise<boolean>;
  /**
   * Back to pending, to be retried at `nextAttemptAt`. `uncertain` says whether the last POST may
   * have reached Gtmhub (timeout, connection lost); an uncertain mark already set stays set. False
   * (nothing written) for a stale claim.
   */
  rescheduleOutboxEntry(claim: OutboxClaim, nextAttemptAt: Date, error: string, uncertain: boolean): Promise<boolean>;
  countOutbox(status?: OutboxStatus): Promise<number>;
  /**
   * Keeps a notice for a finished entry (one per entry; a later one replaces it), held for the first
   * send until `heldUntil`; after that the worker may take it.
   */
  queueNotice(id: number, notice: CheckInNotice, heldUntil: Date): Promise<void>;
  /** Atomically takes up to `limit` notices due at `now`, holding each until `now + leaseMs`. */
  claimNotices(now: Date, limit: number, leaseMs: number): Promise<PendingNotice[]>;
  /** The notice was sent (or given up): it is not sent again. */
  finishNotice(id: number): Promise<void>;
  /** A send failed: try again at `nextAttemptAt`. */
  retryNotice(id: number, nextAttemptAt: Date, error: string): Promise<void>;
  countPendingNotices(): Promise<number>;
}

/** What a retention pass deleted, per table. */
export type PrunedRows = Record<string, number>;

export interface RetentionStore {
  /**
   * Deletes what only grew with use and is older than `before`: finished outbox entries (with no
   * notice still to send), finished summary runs, expired summary requests, reminder pass reports,
   * reminders whose period ended, cached Slack profiles and expired email matches.
   */
  pruneHistory(before: Date): Promise<PrunedRows>;
}

export interface Store extends OwnerStore, OutboxStore, RetentionStore, ReminderStore, SubscriptionStore, SummaryHistoryStore, JobLeaseStore, ActionClaimStore {
  close(): Promise<void>;
}
