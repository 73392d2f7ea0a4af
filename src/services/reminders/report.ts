import type { PacedRate } from './pacing.js';
/** What one reminder pass did, for `/kr remind now`, `/kr remind status` and the logs. */

export interface UnmappedOwner {
  gtmhubUserId: string;
  name: string | null;
  email: string | null;
  /** Why no Slack person was found. */
  reason: 'no_email' | 'no_slack_user';
}

export interface ReminderPassReport {
  trigger: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** The tick found nothing due before `nextPassAt` and did not scan Gtmhub. */
  idle: boolean;
  keyResultsScanned: number;
  /** Owners mapped to a Slack person who own at least one remindable key result. */
  people: number;
  sent: number;
  followUpsSent: number;
  wakeUpsSent: number;
  /** Already reminded this period (by this or an earlier pass, or another replica). */
  alreadySent: number;
  /** Another worker holds a live claim for this person right now. */
  inProgress: number;
  quietHours: number;
  /** Every due key result is snoozed or skipped. */
  snoozed: number;
  nothingDue: number;
  /** Their reminder time this period has not come yet. */
  notYet: number;
  off: number;
  /** Slack refused or failed; transient failures are tried again by the next pass. */
  failed: number;
  /** The first MAX_UNMAPPED_KEPT owners with no Slack match (the report is stored; the count is complete). */
  unmapped: UnmappedOwner[];
  unmappedCount: number;
  rateLimited: number;
  rateLimitPausedMs: number;
  /** The calls per second the Slack gate paced at after each 429 lesson or probe, from when (ms after the pass began). */
  pacedRates: PacedRate[];
  nextPassAt: string | null;
  /** Where the time went. */
  phaseMs: { gtmhub: number; slackDirectory: number; plan: number; goalNames: number; send: number };
  error?: string;
}

export const MAX_UNMAPPED_KEPT = 200;

export function emptyReport(trigger: string, startedAt: Date): ReminderPassReport {
  return {
    trigger,
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    durationMs: 0,
    idle: false,
    keyResultsScanned: 0,
    people: 0,
    sent: 0,
    followUpsSent: 0,
    wakeUpsSent: 0,
    alreadySent: 0,
    inProgress: 0,
    quietHours: 0,
    snoozed: 0,
    nothingDue: 0,
    notYet: 0,
    off: 0,
    failed: 0,
    unmapped: [],
    unmappedCount: 0,
    rateLimited: 0,
    rateLimitPausedMs: 0,
    pacedRates: [],
    nextPassAt: null,
    phaseMs: { gtmhub: 0, slackDirectory: 0, plan: 0, goalNames: 0, send: 0 },
  };
}

/** A stored report back into shape (it went through JSON and may come from an older version). */
export function reportFromJson(json: Record<string, unknown>): ReminderPassReport {
  const base = emptyReport(typeof json.trigger === 'string' ? json.trigger : 'unknown', new Date(0));
  const merged = { ...base, ...json } as ReminderPassReport;
  if (!Array.isArray(merged.unmapped)) merged.unmapped = [];
  if (!Array.isArray(merged.pacedRates)) merged.pacedRates = [];
  if (typeof merged.unmappedCount !== 'number') merged.unmappedCount = merged.unmapped.length;
  return merged;
}
