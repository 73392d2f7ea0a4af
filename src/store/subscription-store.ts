/**
 * Channel summaries: scheduled subscriptions, their runs (one row per subscription and period,
 * claimed with an atomic insert-or-take-over so that replicas never post a period twice), the
 * values of the previous summary (for deltas) and on-demand summary requests (previews).
 */

export type SummaryFrequency = 'daily' | 'weekly' | 'biweekly' | 'monthly';

export type SubscriptionStatus = 'active' | 'paused';

export interface SummarySubscription {
  id: number;
  channelId: string;
  createdBy: string;
  frequency: SummaryFrequency;
  /** ISO weekday 1 (Monday) … 7 for weekly/biweekly; day of month 1…31 for monthly; null for daily. */
  day: number | null;
  /** Local time of day, "HH:MM" (24 h). */
  timeOfDay: string;
  /** IANA time zone of the subscriber when subscribing. */
  timeZone: string;
  /** Serialised SummaryScope (see services/summaries/scope.ts). */
  scope: string;
  /** Local date ("YYYY-MM-DD") of the first slot; biweekly subscriptions run in weeks of its parity. */
  anchorDate: string;
  status: SubscriptionStatus;
  pausedReason: string | null;
  createdAt: Date;
  /** Period key of the last run that finished (posted, skipped or given up). */
  lastPeriod: string | null;
  lastPostedAt: Date | null;
}

export type NewSummarySubscription = Pick<
  SummarySubscription,
  'channelId' | 'createdBy' | 'frequency' | 'day' | 'timeOfDay' | 'timeZone' | 'scope' | 'anchorDate' | 'createdAt'
>;

export type SummaryRunStatus = 'running' | 'retry' | 'posted' | 'skipped' | 'failed';

export interface SummaryRun {
  subscriptionId: number;
  /** The period's key: local date of its scheduled slot. */
  period: string;
  status: SummaryRunStatus;
  attempts: number;
  /** While running: until when the claimer holds it; while retry: when it may be claimed again. */
  leaseUntil: Date | null;
  claimedAt: Date;
  finishedAt: Date | null;
  messageTs: string | null;
  error: string | null;
}

export type SummaryRunOutcome =
  | { status: 'posted'; messageTs: string | null }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string };

/** One key result's values as the previous summary showed them. */
export interface BaselineValue {
  metricId: string;
  attainment: number;
  actual: number | null;
}

export interface SummaryBaseline {
  takenAt: Date;
  values: Map<string, BaselineValue>;
}

/** `/kr summary` waiting for "Post to #channel": the button carries only `id`. */
export interface SummaryRequest {
  id: string;
  channelId: string;
  requestedBy: string;
  /** Serialised SummaryScope. */
  scope: string;
  createdAt: Date;
  expiresAt: Date;
  /** Set once posted (or while a post is under way): a second click finds it taken. */
  postedAt: Date | null;
  cancelledAt: Date | null;
}

export interface SubscriptionStore {
  createSubscription(subscription: NewSummarySubscription): Promise<SummarySubscription>;
  getSubscription(id: number): Promise<SummarySubscription | null>;
  /** Every subscription of a channel, or all (the scheduler) when no channel is given. */
  listSubscriptions(options?: { channelId?: string; status?: SubscriptionStatus }): Promise<SummarySubscription[]>;
  /** Removes the subscription if it belongs to `channelId`; false when there is none. */
  deleteSubscription(id: number, channelId: string): Promise<boolean>;
  /** active → paused; false when it was not active (so the creator is told once). */
  pauseSubscription(id: number, reason: string): Promise<boolean>;
  /** paused → active, within its channel; false when there was nothing to resume. */
  resumeSubscription(id: number, channelId: string): Promise<boolean>;

  /**
   * Atomically takes the run of (subscription, period): inserts it as running, or takes over a row
   * that is running with an expired lease or waiting for a retry that is due. Returns null when the
   * period is already posted, skipped, failed, or held by someone else.
   */
  claimSummaryRun(subscriptionId: number, period: string, now: Date, leaseMs: number): Promise<SummaryRun | null>;
  /** Ends a claimed run and records the period as the subscription's last one. */
  finishSummaryRun(subscriptionId: number, period: string, outcome: SummaryRunOutcome, now: Date): Promise<void>;
  /** Gives a claimed run back, to be claimed again from `retryAt`. */
  retrySummaryRun(subscriptionId: number, period: string, retryAt: Date, error: string): Promise<void>;
  getSummaryRun(subscriptionId: number, period: string): Promise<SummaryRun | null>;

  getSummaryBaseline(key: string): Promise<SummaryBaseline | null>;
  /** Replaces the whole baseline of `key` in one transaction. */
  replaceSummaryBaseline(key: string, values: BaselineValue[], takenAt: Date): Promise<void>;

  createSummaryRequest(request: Omit<SummaryRequest, 'postedAt' | 'cancelledAt'>): Promise<SummaryRequest>;
  getSummaryRequest(id: string): Promise<SummaryRequest | null>;
  /** Atomically marks an open, unexpired request as posted; null when it is gone, taken, cancelled or expired. */
  claimSummaryRequest(id: string, now: Date): Promise<SummaryRequest | null>;
  /** A post that failed: the request may be posted again. */
  releaseSummaryRequest(id: string): Promise<void>;
  /** Cancels an open request; false when it was already posted or cancelled. */
  cancelSummaryRequest(id: string, now: Date): Promise<boolean>;
}
