/** What a channel summary says, as plain data: the Slack layer renders it (slack/blocks/summary-message.ts). */
import type { MetricFormat } from '../../gtmhub/types.js';
import type { SummaryScope } from './scope.js';
import type { SummaryStatus } from './status.js';
import type { GoalDirection } from '../../domain/target-goal.js';
import type { SummaryProgressPoint } from '../../store/summary-history-store.js';

export type SummaryOwner =
  | { kind: 'slack'; slackUserId: string; name: string }
  /** A Gtmhub user nobody could find in Slack, or a team. */
  | { kind: 'gtmhub'; name: string; team: boolean; /** Gtmhub's user or team id: two owners of one name stay two. */ id?: string }
  | { kind: 'none' };

/** Change since the previous summary; `new` = it was not in it. */
export type SummaryChange = { attainment: number; actual: number | null } | 'new';

export interface SummaryItem {
  metricId: string;
  goalId: string;
  name: string;
  url: string;
  attainment: number;
  actual: number | null;
  target: number | null;
  format: MetricFormat | undefined;
  /** Gtmhub's `targetOperator` as sent (at_least, at_most, should_stay_above, …); null when absent. */
  targetOperator?: string | null;
  /** null when this summary has no previous one to compare with. */
  change: SummaryChange | null;
  confidence: number | null;
  /** The account's name for that confidence ("Confident"), when its scale has named levels. */
  confidenceLabel?: string;
  lowConfidence: boolean;
  owner: SummaryOwner;
  status: SummaryStatus;
  /** Attainment minus the share of time elapsed, null when the pace is unknown. */
  gap: number | null;
  lastCheckInDate: Date | null;
  /** How the value meets its target: rise to it, fall to it, or stay above / below it. */
  direction: GoalDirection;
  /** The objective's closed status (achieved, …) when it is closed. */
  goalClosedStatus?: string;
  /** Past its due date without reaching its target: flagged, and judged behind. */
  overdue?: boolean;
  dueDate?: Date | null;
}

export type { GoalDirection };

export interface SummaryObjective {
  goalId: string;
  name: string;
  items: SummaryItem[];
  /** Set when the objective is closed (achieved, …). */
  closedStatus?: string;
}

export interface OwnerCount {
  owner: SummaryOwner;
  count: number;
}

export interface SummaryPeriod {
  start: Date;
  end: Date;
  /** e.g. "23 Nov – 30 Nov 2026" */
  label: string;
}

export interface Summary {
  /** "Weekly summary", "Summary", … */
  title: string;
  scope: SummaryScope;
  /** Mrkdwn naming the scope. */
  scopeText: string;
  channelId: string;
  period: SummaryPeriod;
  generatedAt: Date;
  /** Set when a scheduled summary posts well after its slot (kr-checkin was down): the slot it was due. */
  dueAt?: Date;
  /** Who posted it (`/kr summary` → Post), shown on the posted summary. */
  postedBy?: string;
  /** When the summary this one is compared with was taken; null when there was none. */
  previousAt: Date | null;
  total: number;
  /** Mean attainment, each key result capped to 0–100 % so one overshoot does not hide the rest. */
  overall: number;
  overallChange: number | null;
  /** Mean expected progress by now (the pace), over the key results whose pace is known; null when none is. */
  expected: number | null;
  /** The overall progress recorded at this scope's previous summaries, oldest first. */
  progressHistory: SummaryProgressPoint[];
  counts: Record<SummaryStatus, number>;
  /** By objective name; every key result of the summary is in exactly one objective. */
  objectives: SummaryObjective[];
  /** Behind and low-confidence first, then at risk (a pointer list; the full line is under its objective). */
  needsAttention: SummaryItem[];
  /** Owners of key results not checked in this period, most first. */
  notCheckedIn: OwnerCount[];
}
