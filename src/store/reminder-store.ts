/**
 * Reminder state the bot owns (migration 002). Exactly-once rests on claims that are atomic
 * compare-and-set statements in SQL (INSERT … ON CONFLICT DO UPDATE … WHERE, UPDATE … WHERE), so
 * the same contract holds on PostgreSQL with several replicas: no in-process lock is relied on.
 */

/** A person's own reminder schedule; absent = the workspace default. */
export interface ReminderSettings {
  slackUserId: string;
  enabled: boolean;
  /** Weekdays, 0 = Sunday. */
  days: number[];
  /** Minute of the local day. */
  minutes: number;
  updatedAt: Date;
}

/** `period`: the one reminder of a period; `wake`: snoozed key results coming back. */
export type ReminderKind = 'period' | 'wake';

/** claimed → sent | failed; a claim whose lease ran out is claimable again (its worker died). */
export type ReminderStatus = 'claimed' | 'sent' | 'failed';

export type FollowUpStatus = 'claimed' | 'sent' | 'skipped';

/** What a reminder row shows of a key result, as it was when the reminder was built. */
export interface ReminderItemSnapshot {
  name: string;
  goalName: string;
  url: string | null;
  initialValue: number | null;
  target: number | null;
  actual: number | null;
  targetOperator: string | null;
  format: { prefix?: string; suffix?: string; fractionSize?: number } | null;
  lastCheckInDate: string | null;
  dueDate: string | null;
  /** The key result's own due date is within 7 days. */
  dueSoon: boolean;
  /** Its last confidence as the account names it ("Confident", "0.7"); absent when it has none. */
  confidence?: string | null;
}

/**
 * What a landed check-in recorded, for the row's details: `at` is the check-in's date in Gtmhub (ISO),
 * `confidence` its confidence as the account names it, null when it had none. Absent in outcomes
 * stored before they were recorded (the row then shows when it was acted on, and no confidence).
 */
export interface CheckInDetails {
  at?: string;
  confidence?: string | null;
}

/** What became of a row. `pending`: accepted, waiting in the check-in outbox for Gtmhub. */
export type ReminderOutcome =
  | ({ kind: 'checked_in'; from: number | null; to: number; pending?: boolean } & CheckInDetails)
  | ({ kind: 'no_change'; value: number; pending?: boolean } & CheckInDetails)
  | { kind: 'snoozed'; until: string }
  | { kind: 'skipped' }
  | {
      kind: 'already_checked_in';
      at: string | null;
      by?: string | null;
      /** Made from Slack by another person (a co-owner): their Slack id, the value and confidence it recorded. */
      bySlackUserId?: string;
      value?: number;
      confidence?: string | null;
    }
  | { kind: 'not_checkable'; reason: string };

export interface ReminderItem {
  reminderId: number;
  metricId: string;
  position: number;
  snapshot: ReminderItemSnapshot;
  outcome: ReminderOutcome | null;
  actedAt: Date | null;
}

export type NewReminderItem = Pick<ReminderItem, 'metricId' | 'position' | 'snapshot'>;

export interface Reminder {
  id: number;
  slackUserId: string;
  gtmhubUserId: string;
  /** Unique per person: the period key, or `<period key>/wake/<until>` for a snooze wake-up. */
  slotKey: string;
  kind: ReminderKind;
  periodKey: string;
  periodStart: Date;
  periodEnd: Date;
  timeZone: string;
  status: ReminderStatus;
  claimToken: string | null;
  leaseUntil: Date | null;
  attempts: number;
  channelId: string | null;
  ts: string | null;
  sentAt: Date | null;
  lastError: string | null;
  /** When a follow-up nudge is due if nothing was done (null: no follow-up for this one). */
  followUpAt: Date | null;
  followUpStatus: FollowUpStatus | null;
  followUpLeaseUntil: Date | null;
  followUpTs: string | null;
  /** First row shown when there are more rows than one message holds. */
  pageOffset: number;
  createdAt: Date;
  /** Rows in total / rows somebody acted on (counted by the store when read). */
  itemCount: number;
  actedCount: number;
}

export type NewReminderClaim = Pick<
  Reminder,
  'slackUserId' | 'gtmhubUserId' | 'slotKey' | 'kind' | 'periodKey' | 'periodStart' | 'periodEnd' | 'timeZone' | 'followUpAt'
> & { items: NewReminderItem[] };

export type ClaimResult = { claimed: true; reminder: Reminder } | { claimed: false; existing: Reminder };

export type MuteKind = 'snooze' | 'skip';

/** A key result taken out of a person's reminders: snoozed until a moment, or skipped for one period. */
export interface ReminderMute {
  slackUserId: string;
  metricId: string;
  kind: MuteKind;
  periodKey: string;
  /** Snoozes only. */
  until: Date | null;
  createdAt: Date;
}

export interface ReminderPassRecord {
  id: number;
  trigger: string;
  startedAt: Date;
  finishedAt: Date;
  /** The pass report as JSON (services/reminders/report.ts). */
  report: Record<string, unknown>;
}

/** When the next pass has work (the tick skips the Gtmhub scan before then). */
export interface ReminderPassState {
  nextPassAt: Date | null;
  lastScanAt: Date | null;
}

/** What a reminder pass reads about a batch of people before planning them. */
export interface PeopleReminderState {
  settings: ReminderSettings[];
  mutes: ReminderMute[];
  /** Their reminders whose period has not ended. */
  open: Reminder[];
}

export interface ReminderStore {
  getReminderSettings(slackUserId: string): Promise<ReminderSettings | null>;
  /** Every stored setting (a pass reads them all in one query). */
  listReminderSettings(): Promise<ReminderSettings[]>;
  putReminderSettings(settings: ReminderSettings): Promise<void>;
  /**
   * These people's settings, mutes and reminders whose period has not ended at `now`, in one read:
   * a pass reads them batch by batch, so what it holds never grows with the workspace.
   */
  reminderStateOf(slackUserIds: readonly string[], now: Date): Promise<PeopleReminderState>;

  /**
   * Inserts the (person, slot) row as claimed with a fresh token and lease, or takes over a claim
   * whose lease ran out; replaces its items. Otherwise returns the row as it is. Atomic.
   */
  claimReminder(claim: NewReminderClaim, now: Date, leaseMs: number): Promise<ClaimResult>;
  /** Several claims in one transaction (one durable write for a batch of people); results in order. */
  claimReminders(claims: NewReminderClaim[], now: Date, leaseMs: number): Promise<ClaimResult[]>;
  /** Records where the message went. False when the claim is no longer this token's. */
  markReminderSent(id: number, claimToken: string, channelId: string, ts: string, now: Date): Promise<boolean>;
  /** Several posts recorded in one transaction; per entry, whether the claim was still its token's. */
  markRemindersSent(entries: Array<{ id: number; claimToken: string; channelId: string; ts: string }>, now: Date): Promise<boolean[]>;
  /** A transient failure: the claim ends now, so the next pass tries again. */
  releaseReminderClaim(id: number, claimToken: string, error: string, now: Date): Promise<void>;
  /** A permanent failure (e.g. the person's account is deactivated): not tried again this period. */
  markReminderFailed(id: number, claimToken: string, error: string): Promise<void>;
  getReminder(id: number): Promise<Reminder | null>;
  findReminder(slackUserId: string, slotKey: string): Promise<Reminder | null>;
  /** Reminders whose period has not ended at `now` (a pass reads them all in one query). */
  listOpenReminders(now: Date): Promise<Reminder[]>;
  listReminderItems(reminderId: number): Promise<ReminderItem[]>;
  /** Rows for this key result in this person's sent reminders whose period has not ended. */
  findOpenReminderItems(slackUserId: string, metricId: string, now: Date): Promise<ReminderItem[]>;
  /** Rows for this key result in anybody's sent reminders whose period has not ended (co-owners' DMs), each with whose reminder it is. */
  findOpenReminderItemsOfKeyResult(metricId: string, now: Date): Promise<Array<ReminderItem & { slackUserId: string }>>;
  /** `null` reopens the row (an undone check-in, snooze or skip). */
  setReminderItemOutcome(reminderId: number, metricId: string, outcome: ReminderOutcome | null, now: Date): Promise<void>;
  setReminderPage(reminderId: number, pageOffset: number): Promise<void>;
  /** Atomically takes the follow-up of a sent reminder; false when someone else has or had it. */
  claimFollowUp(id: number, now: Date, leaseMs: number): Promise<boolean>;
  finishFollowUp(id: number, status: 'sent' | 'skipped', ts: string | null): Promise<void>;
  releaseFollowUp(id: number, now: Date): Promise<void>;
  /** Deletes reminders (and their rows) whose period ended before `before`. */
  pruneReminders(before: Date): Promise<number>;

  putReminderMute(mute: ReminderMute): Promise<void>;
  deleteReminderMute(slackUserId: string, metricId: string): Promise<boolean>;
  /** Every mute (a pass reads them all in one query), or one person's. */
  listReminderMutes(slackUserId?: string): Promise<ReminderMute[]>;
  /** Drops snoozes that ended at or before `now` for these key results of a person. */
  deleteEndedSnoozes(slackUserId: string, metricIds: string[], now: Date): Promise<number>;

  recordReminderPass(pass: Omit<ReminderPassRecord, 'id'>, keep: number): Promise<void>;
  lastReminderPass(): Promise<ReminderPassRecord | null>;
  getReminderPassState(): Promise<ReminderPassState>;
  /** `nextPassAt` becomes `at`, or the earlier of both when `onlyEarlier`. */
  setNextReminderPass(at: Date, onlyEarlier: boolean): Promise<void>;
  setReminderScanned(at: Date): Promise<void>;
}
