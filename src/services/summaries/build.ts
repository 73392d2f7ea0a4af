/**
 * Builds a channel summary: resolve the scope, walk the matching key results with paged list calls
 * (the cost grows with key results / page size, not per key result or per person), judge each with
 * the status rule, compare with the stored previous summary, and map owners to Slack people through
 * cached lookups.
 */
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import { keyResultUrl } from '../../gtmhub/links.js';
import { hasDueDate, type Metric, type Session } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { BaselineValue, SubscriptionStore, SummaryBaseline } from '../../store/subscription-store.js';
import type { SummaryHistoryStore, SummaryProgressPoint } from '../../store/summary-history-store.js';
import { METRIC_LIST_FIELDS, type KeyResultService } from '../key-results.js';
import type { MetricOwner } from '../people/metric-owners.js';
import type { PeopleService } from '../people/people-service.js';
import { attainment as attainmentOf } from '../progress.js';
import { targetGoalOf } from '../../domain/target-goal.js';
import { confidenceLabel } from '../../domain/confidence-levels.js';
import { DEFAULT_CONFIDENCE_SCALE, type ConfidenceScale } from '../../gtmhub/confidence-scale.js';
import type { ConfidenceScaleService } from '../confidence-scale.js';
import type { OwnerCount, Summary, SummaryItem, SummaryObjective, SummaryOwner, SummaryPeriod } from './model.js';
import type { SummarySlack } from './ports.js';
import { HISTORY_FIELD, progressFromHistory } from './progress-history.js';
import { IDS_PER_FILTER, ScopeResolver, type ResolvedScope } from './resolve.js';
import { mapLimited } from '../bounded.js';
import { chunk } from '../../gtmhub/query.js';
import { describeScope, type SummaryScope } from './scope.js';
import { expectedWith, isLowConfidence, normalizeConfidence, sessionPaceDates, STATUSES, statusOf, type SummaryStatus } from './status.js';

/** goalName is a GUESS field (API-NOTES); when Gtmhub leaves it out, names come from GET /v2/goals. */
export const SUMMARY_METRIC_FIELDS = `${METRIC_LIST_FIELDS},dateCreated`;

/** Gtmhub's largest page: a summary reads every matching key result, so fewer, larger pages cost less. */
const DEFAULT_PAGE_SIZE = 1000;
/** Owner-chunk filters walked at once. */
export const FILTERS_AT_ONCE = 4;
/** A Gtmhub owner nobody found in Slack is not looked up again for this long. */
const UNKNOWN_OWNER_TTL_MS = 60 * 60_000;
const SLACK_CONCURRENCY = 4;

export interface SummaryBuildRequest {
  scope: SummaryScope;
  channelId: string;
  title: string;
  period: SummaryPeriod;
  /** Whose previous summary this one is compared with (a subscription, or channel + scope). */
  baselineKey: string;
}

/** `progress` is what to record once the summary is posted (the next summaries' progress line). */
export type SummaryBuild = { ok: true; summary: Summary; baseline: BaselineValue[]; progress: SummaryProgressPoint } | { ok: false; reason: string };

/** Previous summaries drawn on the progress line; with this summary the line has Slack's 20 points at most. */
export const PROGRESS_HISTORY_POINTS = 19;

export interface SummaryBuilderOptions {
  gtmhub: Pick<GtmhubClient, 'iterateMetrics' | 'iterateGoals' | 'listUsers'>;
  keyResults: Pick<KeyResultService, 'goalNamesOf' | 'sessions'>;
  people: Pick<PeopleService, 'resolve' | 'gtmhubUsersOf' | 'slackUsersOf'>;
  store: Pick<SubscriptionStore, 'getSummaryBaseline'> & Pick<SummaryHistoryStore, 'listSummaryProgress'>;
  slack: Pick<SummarySlack, 'channelMembers'>;
  clock: Clock;
  logger: Logger;
  /** Gtmhub web app base, for links when a metric has no `url`. */
  appUrl?: string | undefined;
  pageSize?: number;
  /** The account's confidence levels, to show a confidence by its label. */
  confidenceScale?: Pick<ConfidenceScaleService, 'scale'>;
}

function ownerKey(owner: SummaryOwner): string {
  if (owner.kind === 'slack') return `slack:${owner.slackUserId}`;
  if (owner.kind === 'gtmhub') return `gtmhub:${owner.name.toLowerCase()}`;
  return 'none';
}

function finite(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** `localeCompare` builds its collator on every call; sorting 10,000 key results shares one. */
const byDefaultLocale = new Intl.Collator().compare;
/** Numeric order reads naturally: "KR 2" before "KR 10". */
const naturally = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

/** Worst first: behind or low confidence, then at risk; within each the furthest behind schedule. */
function byAttention(a: SummaryItem, b: SummaryItem): number {
  const rank = (item: SummaryItem) => (item.status === 'behind' || item.lowConfidence ? 0 : 1);
  return rank(a) - rank(b) || (a.gap ?? a.attainment) - (b.gap ?? b.attainment) || byDefaultLocale(a.name, b.name) || byDefaultLocale(a.metricId, b.metricId);
}

export class SummaryBuilder {
  readonly resolver: ScopeResolver;

  constructor(private readonly options: SummaryBuilderOptions) {
    this.resolver = new ScopeResolver({
      gtmhub: options.gtmhub,
      slack: options.slack,
      people: options.people,
      sessions: () => this.sessions(),
      clock: options.clock,
      logger: options.logger,
    });
  }

  private sessionsLoading: Promise<Session[]> | null = null;

  /** Sessions, from the cache every feature shares; one request while several wait for it. */
  sessions(): Promise<Session[]> {
    this.sessionsLoading ??= this.options.keyResults.sessions().finally(() => {
      this.sessionsLoading = null;
    });
    return this.sessionsLoading;
  }

  async build(request: SummaryBuildRequest): Promise<SummaryBuild> {
    // What does not depend on the scope is read while the scope is resolved.
    const recordedRead = settledLater(this.options.store.listSummaryProgress(request.baselineKey, PROGRESS_HISTORY_POINTS));
    const sessionsRead = settledLater(this.sessions());
    const baselineRead = settledLater(this.options.store.getSummaryBaseline(request.baselineKey));
    const scaleRead = settledLater(this.options.confidenceScale?.scale() ?? Promise.resolve(DEFAULT_CONFIDENCE_SCALE));
    const resolved = await this.resolver.resolve(request.scope, request.channelId);
    if (!resolved.ok) return { ok: false, reason: resolved.reason };
    const recorded = await recordedRead;
    // Until a scope has summaries of its own to draw, its progress line comes from Gtmhub's history.
    const fromGtmhub = recorded.length < 2;
    const [metrics, sessions, baseline, scale] = await Promise.all([
      this.fetchMetrics(resolved, fromGtmhub ? `${SUMMARY_METRIC_FIELDS},${HISTORY_FIELD}` : SUMMARY_METRIC_FIELDS),
      sessionsRead,
      baselineRead,
      scaleRead,
    ]);
    const sessionById = new Map(sessions.map((s) => [s.id, s]));
    const closed = new Set(sessions.filter((s) => s.status === 'closed').map((s) => s.id));
    const included = metrics.filter(
      (m) => m.goalClosedStatus?.status !== 'abandoned' && (resolved.includeClosedSessions || !m.sessionId || !closed.has(m.sessionId)),
    );
    if (included.length === 0) return { ok: false, reason: resolved.nothingFound };

    const [goalNames, owners] = await Promise.all([this.goalNames(included, resolved), this.ownersOf(included, resolved.knownSlackUsers)]);
    const now = this.options.clock.now();
    const paceDates = new Map<string, { start: number; end: number }>();
    const items = included.map((metric) => {
      const sessionId = metric.sessionId ?? '';
      let pace = paceDates.get(sessionId);
      if (!pace) paceDates.set(sessionId, (pace = sessionPaceDates(sessionById.get(sessionId))));
      return this.item(metric, request.period, pace, baseline, owners, now, scale);
    });
    const earlier = fromGtmhub ? progressFromHistory(included, sessionById, recorded[0]?.takenAt ?? now, PROGRESS_HISTORY_POINTS - recorded.length) : [];
    const summary = { ...this.assemble(request, items, goalNames, baseline, now), progressHistory: [...earlier, ...recorded] };
    const progress = { takenAt: now, overall: summary.overall, expected: summary.expected, keyResults: summary.total };
    return { ok: true, summary, baseline: items.map(baselineValueOf), progress };
  }

  private async fetchMetrics(resolved: Extract<ResolvedScope, { ok: true }>, fields: string): Promise<Metric[]> {
    const byId = new Map<string, Metric>();
    // The filters' walks do not depend on each other; their results merge in filter order.
    const walks = await mapLimited(resolved.filters, FILTERS_AT_ONCE, async (filter) => {
      const metrics: Metric[] = [];
      for await (const metric of this.options.gtmhub.iterateMetrics({ filter, fields, sort: 'id', pageSize: this.options.pageSize ?? DEFAULT_PAGE_SIZE })) {
        metrics.push(metric);
      }
      return metrics;
    });
    for (const metrics of walks) for (const metric of metrics) if (!byId.has(metric.id)) byId.set(metric.id, metric);
    return [...byId.values()];
  }

  private async goalNames(metrics: Metric[], resolved: Extract<ResolvedScope, { ok: true }>): Promise<Map<string, string>> {
    return this.options.keyResults.goalNamesOf(metrics, resolved.goalNames);
  }

  /** Gtmhub owner id → Slack user (null when nobody matches), for every user-owned key result: known ones, then the people service. */
  private async ownersOf(metrics: Metric[], known: Map<string, string>): Promise<Map<string, string | null>> {
    const result = new Map<string, string | null>(known);
    const owners: MetricOwner[] = [];
    for (const metric of metrics) {
      const assignee = metric.assignee;
      const id = assignee?.type === 'team' ? undefined : (assignee?.id ?? metric.ownerIds?.[0] ?? metric.ownerId);
      if (id && !result.has(id)) owners.push({ gtmhubUserId: id, email: assignee?.email?.trim() || null, name: assignee?.name?.trim() || null });
    }
    for (const [id, match] of await this.options.people.slackUsersOf(owners)) result.set(id, match.slackUserId);
    return result;
  }

  private ownerOf(metric: Metric, slackUsers: Map<string, string | null>): SummaryOwner {
    const assignee = metric.assignee;
    if (assignee?.type === 'team') return { kind: 'gtmhub', name: assignee.name || 'a team', team: true };
    const id = assignee?.id ?? metric.ownerIds?.[0] ?? metric.ownerId;
    if (!id) return { kind: 'none' };
    const name = assignee?.name || assignee?.email || 'someone';
    const slackUserId = slackUsers.get(id);
    return slackUserId ? { kind: 'slack', slackUserId, name } : { kind: 'gtmhub', name, team: false };
  }

  private item(
    metric: Metric,
    period: SummaryPeriod,
    sessionPace: { start: number; end: number },
    baseline: SummaryBaseline | null,
    slackUsers: Map<string, string | null>,
    now: Date,
    scale: ConfidenceScale,
  ): SummaryItem {
    const goal = targetGoalOf(metric.targetOperator);
    // A threshold is held or not; Gtmhub's own figure is used only for goals with a way to go.
    const attainment = goal.threshold ? attainmentOf(metric) : (finite(metric.attainment) ?? attainmentOf(metric));
    const expected = expectedWith(now.getTime(), sessionPace, metric);
    const confidence = normalizeConfidence(metric.confidence?.value);
    const lastCheckIn = metric.lastCheckInDate ? new Date(metric.lastCheckInDate) : null;
    const checkedInThisPeriod = metric.dynamic === true || (lastCheckIn !== null && lastCheckIn.getTime() >= period.start.getTime());
    const due = hasDueDate(metric.dueDate) ? new Date(metric.dueDate) : null;
    const overdue = due !== null && due.getTime() < now.getTime() && attainment < 1;
    const status = statusOf({ attainment, expected, confidence, checkedInThisPeriod, threshold: goal.threshold, overdue });
    const actual = finite(metric.actual);
    const previous = baseline?.values.get(metric.id);
    const change = !baseline
      ? null
      : previous
        ? { attainment: attainment - previous.attainment, actual: actual !== null && previous.actual !== null ? actual - previous.actual : null }
        : ('new' as const);
    return {
      metricId: metric.id,
      goalId: metric.goalId,
      name: metric.name,
      url: keyResultUrl(metric, this.options.appUrl) ?? '',
      attainment,
      actual,
      target: finite(metric.target),
      format: metric.format,
      targetOperator: metric.targetOperator ?? null,
      change,
      confidence,
      ...(scale.source === 'account' && typeof metric.confidence?.value === 'number' ? { confidenceLabel: confidenceLabel(scale, metric.confidence.value) } : {}),
      lowConfidence: isLowConfidence(confidence),
      owner: this.ownerOf(metric, slackUsers),
      status,
      gap: expected === null ? null : attainment - expected,
      lastCheckInDate: lastCheckIn && !Number.isNaN(lastCheckIn.getTime()) ? lastCheckIn : null,
      direction: goal.direction,
      ...(overdue ? { overdue, dueDate: due } : {}),
      ...(metric.goalClosedStatus?.status && metric.goalClosedStatus.status !== 'active' ? { goalClosedStatus: metric.goalClosedStatus.status } : {}),
    };
  }

  private assemble(
    request: SummaryBuildRequest,
    items: SummaryItem[],
    goalNames: Map<string, string>,
    baseline: SummaryBaseline | null,
    now: Date,
  ): Omit<Summary, 'progressHistory'> {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<SummaryStatus, number>;
    for (const item of items) counts[item.status] += 1;

    const objectives = new Map<string, SummaryObjective>();
    for (const item of items) {
      let objective = objectives.get(item.goalId);
      if (!objective) {
        objective = { goalId: item.goalId, name: goalNames.get(item.goalId) ?? 'Objective', items: [], ...(item.goalClosedStatus ? { closedStatus: item.goalClosedStatus } : {}) };
        objectives.set(item.goalId, objective);
      }
      objective.items.push(item);
    }
    const sortedObjectives = [...objectives.values()].sort((a, b) => naturally(a.name, b.name) || byDefaultLocale(a.goalId, b.goalId));
    for (const objective of sortedObjectives) objective.items.sort((a, b) => naturally(a.name, b.name) || byDefaultLocale(a.metricId, b.metricId));

    const owners = new Map<string, OwnerCount>();
    for (const item of items) {
      if (item.status !== 'not_checked_in') continue;
      const key = ownerKey(item.owner);
      const entry = owners.get(key) ?? { owner: item.owner, count: 0 };
      entry.count += 1;
      owners.set(key, entry);
    }
    const ownerName = (o: SummaryOwner) => (o.kind === 'none' ? '' : o.name);
    const notCheckedIn = [...owners.values()].sort((a, b) => b.count - a.count || byDefaultLocale(ownerName(a.owner), ownerName(b.owner)));

    const capped = (value: number) => Math.min(1, Math.max(0, value));
    const overall = items.reduce((sum, item) => sum + capped(item.attainment), 0) / items.length;
    const compared = items.filter((item) => item.change !== null && item.change !== 'new');
    const overallChange =
      compared.length === 0
        ? null
        : compared.reduce((sum, item) => sum + capped(item.attainment) - capped(baseline!.values.get(item.metricId)!.attainment), 0) / compared.length;

    const paced = items.filter((item) => item.gap !== null);
    const expected = paced.length === 0 ? null : paced.reduce((sum, item) => sum + capped(item.attainment - item.gap!), 0) / paced.length;

    return {
      title: request.title,
      scope: request.scope,
      scopeText: describeScope(request.scope, request.channelId),
      channelId: request.channelId,
      period: request.period,
      generatedAt: now,
      previousAt: baseline?.takenAt ?? null,
      total: items.length,
      overall,
      overallChange,
      expected,
      counts,
      objectives: sortedObjectives,
      needsAttention: items.filter((item) => item.status === 'behind' || item.status === 'at_risk').sort(byAttention),
      notCheckedIn,
    };
  }
}

/** `promise`, marked as handled: started early, it may be left unread when the build stops first. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function baselineValueOf(item: SummaryItem): BaselineValue {
  return { metricId: item.metricId, attainment: item.attainment, actual: item.actual };
}
