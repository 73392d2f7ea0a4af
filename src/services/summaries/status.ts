/**
 * The status rule of channel summaries (README "How a summary judges a key result"):
 *
 * 1. Target reached (attainment ≥ 100 %) → on track, whatever else.
 * 2. No check-in during the summary's period (and not fed automatically) → not checked in this period.
 * 3. Otherwise compare attainment with the share of the session that has elapsed ("expected"):
 *    gap = attainment − expected; gap ≥ −10 points → on track; −25 ≤ gap < −10 → at risk; gap < −25 → behind.
 *    Without session dates the metric's own dateCreated → dueDate is the window; with neither, pace is
 *    unknown and counts as on track.
 *    A threshold key result (stay above/below) has no pace: held is rule 1, broken is behind.
 *    A key result past its due date that has not met its target is behind (flagged overdue).
 * 4. Low confidence (below 0.4 on Gtmhub's 0–1 scale) makes it one step worse: on track → at risk → behind.
 */
import { hasDueDate } from '../../gtmhub/types.js';

export type SummaryStatus = 'on_track' | 'at_risk' | 'behind' | 'not_checked_in';

export const STATUSES: readonly SummaryStatus[] = ['on_track', 'at_risk', 'behind', 'not_checked_in'];

export const STATUS_RULE = {
  /** More than this many points behind the elapsed time → at risk. */
  atRiskGap: 0.1,
  /** More than this many points behind → behind. */
  behindGap: 0.25,
  /** Confidence below this (0–1) is low. */
  lowConfidence: 0.4,
} as const;

/** Guards the boundaries against binary fractions: 0.4 − 0.5 must count as exactly −0.10. */
const EPSILON = 1e-9;

export interface StatusInput {
  attainment: number;
  /** 0–1 share of the session elapsed, or null when unknown. */
  expected: number | null;
  /** 0–1, or null when never given. */
  confidence: number | null;
  checkedInThisPeriod: boolean;
  /** A stay-above/below key result: met or not, never "on its way". */
  threshold?: boolean;
  /** Past its due date (and not met): behind, whatever the check-ins. */
  overdue?: boolean;
}

/** Gtmhub's default scale is 0–1; accounts with a 0–10 or 0–100 scale are brought onto it. */
export function normalizeConfidence(value: number | null | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  if (value <= 1) return value;
  if (value <= 10) return value / 10;
  return Math.min(1, value / 100);
}

export function isLowConfidence(confidence: number | null): boolean {
  return confidence !== null && confidence < STATUS_RULE.lowConfidence - EPSILON;
}

function paceStatus(attainment: number, expected: number | null): 'on_track' | 'at_risk' | 'behind' {
  if (expected === null) return 'on_track';
  const gap = attainment - expected;
  if (gap >= -STATUS_RULE.atRiskGap - EPSILON) return 'on_track';
  if (gap >= -STATUS_RULE.behindGap - EPSILON) return 'at_risk';
  return 'behind';
}

export function statusOf(input: StatusInput): SummaryStatus {
  if (input.attainment >= 1 - EPSILON) return 'on_track';
  if (input.overdue) return 'behind';
  if (!input.checkedInThisPeriod) return 'not_checked_in';
  const pace = input.threshold ? 'behind' : paceStatus(input.attainment, input.expected);
  if (!isLowConfidence(input.confidence)) return pace;
  return pace === 'on_track' ? 'at_risk' : 'behind';
}

function fractionOf(now: number, start: number, end: number): number | null {
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return null;
  return Math.min(1, Math.max(0, (now - start) / (end - start)));
}

/** A session's start and end for the pace, as numbers (NaN unless Gtmhub gave both). */
export function sessionPaceDates(session: { start?: string | undefined; end?: string | undefined } | undefined): { start: number; end: number } {
  return session?.start && session.end ? { start: Date.parse(session.start), end: Date.parse(session.end) } : { start: Number.NaN, end: Number.NaN };
}

/** A key result's own due date for the pace, as a number (NaN when it has none, or no dateCreated to start from). */
export function ownPaceEnd(metric: { dateCreated?: string | undefined; dueDate?: string | undefined }): number {
  return metric.dateCreated && hasDueDate(metric.dueDate) ? Date.parse(metric.dueDate) : Number.NaN;
}

/** expectedProgress at `at` (ms) from dates parsed once (NaN where missing): the session's window, else the key result's own, else null. */
export function expectedAt(at: number, sessionStart: number, sessionEnd: number, created: number, due: number): number | null {
  return fractionOf(at, sessionStart, sessionEnd) ?? fractionOf(at, created, due);
}

/** expectedProgress at `at` (ms), with the session's dates parsed once (sessionPaceDates). */
export function expectedWith(at: number, session: { start: number; end: number }, metric: { dateCreated?: string | undefined; dueDate?: string | undefined }): number | null {
  return fractionOf(at, session.start, session.end) ?? (metric.dateCreated && hasDueDate(metric.dueDate) ? fractionOf(at, Date.parse(metric.dateCreated), Date.parse(metric.dueDate)) : null);
}

/**
 * The share of a key result's time that has passed: from its session's start/end when Gtmhub gave
 * them, else from its dateCreated to its dueDate, else null.
 */
export function expectedProgress(
  session: { start?: string | undefined; end?: string | undefined } | undefined,
  metric: { dateCreated?: string | undefined; dueDate?: string | undefined },
  now: Date,
): number | null {
  return expectedWith(now.getTime(), sessionPaceDates(session), metric);
}
