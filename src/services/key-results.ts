import type { Clock } from '../clock.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import { hasDueDate, type Metric, type Session } from '../gtmhub/types.js';
import { chunk } from '../gtmhub/query.js';
import type { Logger } from '../logger.js';

/** Past this many objectives to name, one paged walk of all goals beats filtered requests. */
const GOALS_BY_ID_LIMIT = 100;
/** Ids per `$in` filter: keeps every request URL well under common 8 KB limits. */
const GOAL_IDS_PER_FILTER = 100;

/** Fields every listing asks for: enough to render, check and sort, nothing more. */
export const METRIC_LIST_FIELDS = [
  'id',
  'name',
  'goalId',
  'goalName',
  'sessionId',
  'ownerId',
  'ownerIds',
  'assignee',
  'initialValue',
  'target',
  'actual',
  'targetOperator',
  'manualType',
  'format',
  'attainment',
  'dynamic',
  'dueDate',
  'goalClosedStatus',
  'confidence',
  'lastCheckInDate',
  'url',
].join(',');

/** The check-in form's listing also carries each key result's check-ins, so picking one needs no second read. */
export const METRIC_FORM_FIELDS = `${METRIC_LIST_FIELDS},metricHistory`;

export interface ListOptions {
  /** Ask for `metricHistory` too (the person's own key results only: a few, each with its check-ins). */
  withHistory?: boolean;
}

export type NotCheckableReason = 'dynamic' | 'goal_abandoned' | 'session_closed' | 'past_due' | 'not_owner';

export const NOT_CHECKABLE_MESSAGES: Record<NotCheckableReason, string> = {
  dynamic: 'it is updated automatically from a data source, so it takes no manual check-ins',
  goal_abandoned: 'its objective was abandoned',
  session_closed: 'its OKR session is closed',
  past_due: 'its due date has passed',
  not_owner: 'it is not one of your key results',
};

/** A key result of the person's that takes no check-in here, and why (shown, never silently dropped). */
export interface LeftOutKeyResult {
  metric: Metric;
  reason: Extract<NotCheckableReason, 'dynamic' | 'session_closed' | 'past_due'>;
}

const LISTED_WHEN_LEFT_OUT: ReadonlySet<NotCheckableReason> = new Set(['dynamic', 'session_closed', 'past_due']);

export interface KeyResultGroup {
  goalId: string;
  goalName: string;
  keyResults: Metric[];
}

export interface KeyResultServiceOptions {
  gtmhub: Pick<GtmhubClient, 'iterateMetrics' | 'getMetric' | 'iterateGoals' | 'listSessions'>;
  clock: Clock;
  logger: Logger;
  pageSize?: number;
  /** Goal names and closed sessions change rarely; keep them this long. */
  catalogTtlMs?: number;
}

export function isOwnedBy(metric: Metric, gtmhubUserId: string): boolean {
  if (metric.ownerIds?.includes(gtmhubUserId)) return true;
  if (metric.ownerId === gtmhubUserId) return true;
  return metric.assignee?.type === 'user' && metric.assignee.id === gtmhubUserId;
}

/** When the key result was last checked in (epoch ms), or null when never or unreadable. */
export function lastCheckInOf(metric: Pick<Metric, 'lastCheckInDate'>): number | null {
  if (!metric.lastCheckInDate) return null;
  const at = Date.parse(metric.lastCheckInDate);
  return Number.isNaN(at) ? null : at;
}

/** Stalest first (never checked in before everything), then by name: the order key results are shown in. */
export function byStalestFirst(a: Metric, b: Metric): number {
  return (lastCheckInOf(a) ?? 0) - (lastCheckInOf(b) ?? 0) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

/**
 * Whether the key result's objective is still being worked on. Only these are listed for check-in
 * and reminded; an achieved one's key results still accept a check-in that reaches them (a reminder
 * sent before, a check-in queued before the objective closed).
 */
export function objectiveIsActive(metric: Pick<Metric, 'goalClosedStatus'>): boolean {
  const status = metric.goalClosedStatus?.status;
  return !status || status === 'active';
}

function matchesSearch(metric: Metric, goalName: string, words: string[]): boolean {
  const haystack = `${metric.name} ${goalName}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/**
 * The rules of which key results a person may check in, and the listings built on them. Gtmhub
 * is asked with paged list calls filtered by owner, never one call per key result.
 */
export class KeyResultService {
  private goalNames = new Map<string, string>();
  private sessionCache: { sessions: Session[]; at: number } | null = null;
  private readonly ttlMs: number;

  constructor(private readonly options: KeyResultServiceOptions) {
    this.ttlMs = options.catalogTtlMs ?? 5 * 60 * 1000;
  }

  /**
   * Why `metric` cannot take a check-in from `gtmhubUserId` now, or null when it can. An achieved
   * objective still takes check-ins (API-NOTES: only abandoned ones refuse them); it is just not
   * offered or reminded (`objectiveIsActive`).
   */
  notCheckableReason(metric: Metric, gtmhubUserId: string, closedSessionIds: Set<string>): NotCheckableReason | null {
    if (!isOwnedBy(metric, gtmhubUserId)) return 'not_owner';
    if (metric.dynamic) return 'dynamic';
    if (metric.goalClosedStatus?.status === 'abandoned') return 'goal_abandoned';
    if (metric.sessionId && closedSessionIds.has(metric.sessionId)) return 'session_closed';
    if (hasDueDate(metric.dueDate) && Date.parse(metric.dueDate) < this.options.clock.now().getTime()) return 'past_due';
    return null;
  }

  /**
   * OKR sessions, cached for a few minutes and shared by every feature. Sessions are not in the Key
   * Results API: when they cannot be listed this is empty (Gtmhub's own 400 still guards closed ones).
   */
  async sessions(): Promise<Session[]> {
    const now = this.options.clock.now().getTime();
    if (this.sessionCache && now - this.sessionCache.at < this.ttlMs) return this.sessionCache.sessions;
    try {
      this.sessionCache = { sessions: await this.options.gtmhub.listSessions(), at: now };
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not list sessions; treating all as open');
      this.sessionCache = { sessions: this.sessionCache?.sessions ?? [], at: now };
    }
    return this.sessionCache.sessions;
  }

  async closedSessionIds(): Promise<Set<string>> {
    return new Set((await this.sessions()).filter((s) => s.status === 'closed').map((s) => s.id));
  }

  /** Names of the given goals, fetched in pages for the ones not cached yet. */
  async goalNamesFor(goalIds: Iterable<string>): Promise<Map<string, string>> {
    const wanted = [...new Set(goalIds)];
    const missing = wanted.filter((id) => !this.goalNames.has(id));
    try {
      if (missing.length > GOALS_BY_ID_LIMIT) {
        // Many objectives: one paged walk of all of them beats many filtered requests.
        const left = new Set(missing);
        for await (const goal of this.options.gtmhub.iterateGoals({ fields: 'id,name', sort: 'id', pageSize: 1000 })) {
          if (left.has(goal.id)) this.goalNames.set(goal.id, goal.name);
        }
      } else {
        for (const ids of chunk(missing, GOAL_IDS_PER_FILTER)) {
          for await (const goal of this.options.gtmhub.iterateGoals({ fields: 'id,name', filter: { _id: { $in: ids } } })) this.goalNames.set(goal.id, goal.name);
        }
      }
    } catch (error) {
      this.options.logger.warn({ err: error, goals: missing.length }, 'could not fetch objective names');
    }
    const names = new Map<string, string>();
    for (const id of wanted) names.set(id, this.goalNames.get(id) ?? 'Objective');
    return names;
  }

  /** The objective name of each metric's goal: the name the list gave (goalName) first, Gtmhub's goals only for the rest. */
  async goalNamesOf(metrics: Iterable<Pick<Metric, 'goalId' | 'goalName'>>, known: ReadonlyMap<string, string> = new Map()): Promise<Map<string, string>> {
    const names = new Map(known);
    const missing: string[] = [];
    for (const metric of metrics) {
      if (names.has(metric.goalId)) continue;
      if (typeof metric.goalName === 'string' && metric.goalName) names.set(metric.goalId, metric.goalName);
      else missing.push(metric.goalId);
    }
    if (missing.length > 0) for (const [id, name] of await this.goalNamesFor(missing)) if (!names.has(id)) names.set(id, name);
    return names;
  }

  async listOwned(gtmhubUserId: string, options: ListOptions = {}): Promise<Metric[]> {
    const metrics: Metric[] = [];
    for await (const metric of this.options.gtmhub.iterateMetrics({
      filter: { ownerIds: gtmhubUserId },
      fields: options.withHistory ? METRIC_FORM_FIELDS : METRIC_LIST_FIELDS,
      sort: 'id',
      pageSize: this.options.pageSize ?? 200,
    })) {
      if (isOwnedBy(metric, gtmhubUserId)) metrics.push(metric);
    }
    return metrics;
  }

  /** The person's key results that take a check-in now, grouped by objective, stalest first. */
  async listCheckable(gtmhubUserId: string, search = ''): Promise<KeyResultGroup[]> {
    return (await this.listForCheckIn(gtmhubUserId, search)).groups;
  }

  /**
   * The checkable key results (as listCheckable) and those left out because they are past due, in a
   * closed session or automated, so the modal and App Home can say why instead of dropping them.
   * (Abandoned objectives are not listed: they are over by choice.)
   */
  async listForCheckIn(gtmhubUserId: string, search = '', options: ListOptions = {}): Promise<{ groups: KeyResultGroup[]; leftOut: LeftOutKeyResult[] }> {
    const [owned, closed] = await Promise.all([this.listOwned(gtmhubUserId, options), this.closedSessionIds()]);
    const leftOut: LeftOutKeyResult[] = [];
    const checkable = owned.filter((m) => {
      const reason = this.notCheckableReason(m, gtmhubUserId, closed);
      if (reason && LISTED_WHEN_LEFT_OUT.has(reason) && !search.trim()) leftOut.push({ metric: m, reason: reason as LeftOutKeyResult['reason'] });
      return reason === null && objectiveIsActive(m);
    });
    const names = await this.goalNamesOf(checkable);
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    const groups = new Map<string, KeyResultGroup>();
    for (const metric of checkable.sort(byStalestFirst)) {
      const goalName = names.get(metric.goalId) ?? 'Objective';
      if (words.length > 0 && !matchesSearch(metric, goalName, words)) continue;
      let group = groups.get(metric.goalId);
      if (!group) {
        group = { goalId: metric.goalId, goalName, keyResults: [] };
        groups.set(metric.goalId, group);
      }
      group.keyResults.push(metric);
    }
    // Map keeps insertion order: groups come in the order of their stalest key result.
    return { groups: [...groups.values()], leftOut: leftOut.sort((a, b) => a.metric.name.localeCompare(b.metric.name)) };
  }

  /** Re-reads one key result from Gtmhub and applies the rules (used before every write). */
  async checkFor(metricId: string, gtmhubUserId: string): Promise<{ metric: Metric; goalName: string; reason: NotCheckableReason | null }> {
    const [metric, closed] = await Promise.all([this.options.gtmhub.getMetric(metricId), this.closedSessionIds()]);
    const goalName = metric.goalName || ((await this.goalNamesFor([metric.goalId])).get(metric.goalId) ?? 'Objective');
    return { metric, goalName, reason: this.notCheckableReason(metric, gtmhubUserId, closed) };
  }
}
