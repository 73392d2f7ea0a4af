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
import type { KeyResultService } from '../key-results.js';
import type { MetricOwner } from '../people/metric-owners.js';
import type { PeopleService } from '../people/people-service.js';
import { displayNameOf } from '../people/people-types.js';
import { attainment as attainmentOf } from '../progress.js';
import { targetGoalOf } from '../../domain/target-goal.js';
import { confidenceLabel } from '../../domain/confidence-levels.js';
import { DEFAULT_CONFIDENCE_SCALE, type ConfidenceScale } from '../../gtmhub/confidence-scale.js';
import type { ConfidenceScaleService } from '../confidence-scale.js';
import type { OwnerCount, Summary, SummaryItem, SummaryObjective, SummaryOwner, SummaryPeriod } from './model.js';
import type { SummarySlack } from './ports.js';
import { historyOf, pointsFrom, sessionDatesOf, type KeyResultHistory, type SessionDates } from './progress-history.js';
import { summaryMetricFields } from './metric-fields.js';
import { IDS_PER_FILTER, ScopeResolver, type ResolvedScope } from './resolve.js';
import { mapLimited } from '../bounded.js';
import { chunk } from '../../gtmhub/query.js';
import { describeScope, type SummaryScope } from './scope.js';
import { expectedWith, isLowConfidence, normalizeConfidence, STATUSES, statusOf, type SummaryStatus } from './status.js';

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
  /** `gtmhubUsers`: owners the listing leaves unnamed are named from its batched, cached Gtmhub users lookup. */
  people: Pick<PeopleService, 'resolve' | 'gtmhubUsersOf' | 'slackUsersOf' | 'gtmhubUsers'>;
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

/** Who an owner is for counting: their Slack person, else their Gtmhub id — never their name, which two people may share. */
function ownerKey(owner: SummaryOwner, gtmhubId: string | undefined): string {
  if (owner.kind === 'slack') return `slack:${owner.slackUserId}`;
  if (owner.kind === 'gtmhub') return `gtmhub:${gtmhubId ?? owner.name.toLowerCase()}`;
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
    const now = this.options.clock.now();
    const judging = settledLater(
      Promise.all([sessionsRead, baselineRead, scaleRead]).then(([sessions, baseline, scale]) => this.judge(request.period, sessions, baseline, scale, now, resolved.includeClosedSessions, fromGtmhub)),
    );
    const read = await this.readMetrics(resolved, summaryMetricFields({ withHistory: fromGtmhub }), judging);
    const { baseline } = await judging;
    if (read.length === 0) return { ok: false, reason: resolved.nothingFound };

    const [goalNames, owners] = await Promise.all([this.goalNames(read, resolved), this.ownersOf(read, resolved.knownSlackUsers)]);
    // One pass over what was read: each item gets its Slack owner, and the history and baseline are collected alongside.
    const items = new Array<SummaryItem>(read.length);
    const ownerIds = new Array<string | undefined>(read.length);
    const baselineValues = new Array<BaselineValue>(read.length);
    const histories: KeyResultHistory[] = [];
    for (let i = 0; i < read.length; i++) {
      const { item, owner, history } = read[i]!;
      item.owner = this.ownerOf(owner, owners);
      ownerIds[i] = ownerIdOf(owner);
      items[i] = item;
      baselineValues[i] = baselineValueOf(item);
      if (history) histories.push(history);
    }
    const earlier = fromGtmhub ? pointsFrom(histories, recorded[0]?.takenAt ?? now, PROGRESS_HISTORY_POINTS - recorded.length) : [];
    const summary: Summary = this.assemble(request, items, ownerIds, goalNames, baseline, now, [...earlier, ...recorded]);
    const progress = { takenAt: now, overall: summary.overall, expected: summary.expected, keyResults: summary.total };
    return { ok: true, summary, baseline: baselineValues, progress };
  }

  /**
   * How each key result is judged as its page arrives, so that judging overlaps the next page's
   * round trip and a page's key results can be let go once read.
   */
  private judge(
    period: SummaryPeriod,
    sessions: Session[],
    baseline: SummaryBaseline | null,
    scale: ConfidenceScale,
    now: Date,
    includeClosedSessions: boolean,
    withHistory: boolean,
  ): { baseline: SummaryBaseline | null; read: (metric: Metric) => ReadKeyResult | null } {
    const sessionById = new Map(sessions.map((s) => [s.id, s]));
    const closed = new Set(sessions.filter((s) => s.status === 'closed').map((s) => s.id));
    const dates = new Map<string, SessionDates>();
    const read = (metric: Metric): ReadKeyResult | null => {
      if (metric.goalClosedStatus?.status === 'abandoned' || (!includeClosedSessions && metric.sessionId && closed.has(metric.sessionId))) return null;
      const sessionId = metric.sessionId ?? '';
      let session = dates.get(sessionId);
      if (!session) dates.set(sessionId, (session = sessionDatesOf(sessionById.get(sessionId))));
      return {
        id: metric.id,
        goalId: metric.goalId,
        goalName: metric.goalName,
        owner: { assignee: metric.assignee, firstOwnerId: metric.ownerIds?.[0] ?? metric.ownerId },
        item: this.item(metric, period, session, baseline, now, scale),
        history: withHistory ? historyOf(metric, session) : null,
      };
    };
    return { baseline, read };
  }

  /** The scope's key results, judged as read; the filters' walks run at once and merge in filter order (a key result in two filters counts once). */
  private async readMetrics(
    resolved: Extract<ResolvedScope, { ok: true }>,
    fields: string,
    judging: Promise<{ read: (metric: Metric) => ReadKeyResult | null }>,
  ): Promise<ReadKeyResult[]> {
    const walks = await mapLimited(resolved.filters, FILTERS_AT_ONCE, async (filter) => {
      const reads: ReadKeyResult[] = [];
      let judge: ((metric: Metric) => ReadKeyResult | null) | undefined;
      for await (const metric of this.options.gtmhub.iterateMetrics({ filter, fields, sort: 'id', pageSize: this.options.pageSize ?? DEFAULT_PAGE_SIZE })) {
        judge ??= (await judging).read;
        const read = judge(metric);
        if (read) reads.push(read);
      }
      return reads;
    });
    const seen = new Set<string>();
    const merged: ReadKeyResult[] = [];
    for (const reads of walks) {
      for (const read of reads) {
        if (seen.has(read.id)) continue;
        seen.add(read.id);
        merged.push(read);
      }
    }
    return merged;
  }

  private async goalNames(read: ReadKeyResult[], resolved: Extract<ResolvedScope, { ok: true }>): Promise<Map<string, string>> {
    return this.options.keyResults.goalNamesOf(read, resolved.goalNames);
  }

  /**
   * Gtmhub owner id → their Slack person (null when nobody matches) and the best name the app knows,
   * for every user-owned key result: the known channel members, then the people service (which fills
   * in, with one batched Gtmhub lookup, the owners the listing gives no email). Owners still unnamed are
   * named from the same cached Gtmhub users lookup (batched `_id $in`, never one request per key result).
   */
  private async ownersOf(read: ReadKeyResult[], known: Map<string, string>): Promise<Map<string, KnownOwner>> {
    const listed = new Map<string, MetricOwner>();
    for (const { owner } of read) {
      const id = ownerIdOf(owner);
      if (!id || owner.assignee?.type === 'team') continue;
      // What the listing says of the person (their assignee details), from any of their key results.
      const email = owner.assignee?.email?.trim() || null;
      const name = owner.assignee?.name?.trim() || null;
      const seen = listed.get(id);
      if (!seen) listed.set(id, { gtmhubUserId: id, email, name });
      else listed.set(id, { gtmhubUserId: id, email: seen.email ?? email, name: seen.name ?? name });
    }
    const result = new Map<string, KnownOwner>();
    const toMatch: MetricOwner[] = [];
    for (const owner of listed.values()) {
      const slackUserId = known.get(owner.gtmhubUserId);
      if (slackUserId) result.set(owner.gtmhubUserId, { slackUserId, name: owner.name, email: owner.email });
      else toMatch.push(owner);
    }
    if (toMatch.length > 0) {
      const matches = await this.options.people.slackUsersOf(toMatch);
      for (const owner of toMatch) {
        const match = matches.get(owner.gtmhubUserId);
        result.set(owner.gtmhubUserId, {
          slackUserId: match?.slackUserId ?? null,
          name: owner.name ?? (match?.owner.name?.trim() || null),
          email: owner.email ?? (match?.owner.email?.trim() || null),
        });
      }
    }
    const unnamed = [...result].filter(([, owner]) => !owner.name).map(([id]) => id);
    if (unnamed.length > 0) {
      try {
        for (const [id, user] of await this.options.people.gtmhubUsers.byIds(unnamed)) {
          const owner = result.get(id)!;
          owner.name = displayNameOf(user);
          owner.email ??= user.email?.trim() || null;
        }
      } catch (error) {
        this.options.logger.warn({ err: error, owners: unnamed.length }, 'could not look up the names of key result owners in Gtmhub');
      }
    }
    return result;
  }

  private ownerOf(owner: OwnerFields, known: Map<string, KnownOwner>): SummaryOwner {
    const assignee = owner.assignee;
    if (assignee?.type === 'team') return { kind: 'gtmhub', name: assignee.name || 'a team', team: true, ...(assignee.id ? { id: assignee.id } : {}) };
    const id = ownerIdOf(owner);
    if (!id) return { kind: 'none' };
    const person = known.get(id);
    const name = person?.name || person?.email || 'someone';
    return person?.slackUserId ? { kind: 'slack', slackUserId: person.slackUserId, name } : { kind: 'gtmhub', name, team: false, id };
  }

  private item(
    metric: Metric,
    period: SummaryPeriod,
    sessionPace: { start: number; end: number },
    baseline: SummaryBaseline | null,
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
    const item: SummaryItem = {
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
      lowConfidence: isLowConfidence(confidence),
      // Who this is in Slack is known once every key result is read (ownerOf).
      owner: UNMATCHED,
      status,
      gap: expected === null ? null : attainment - expected,
      lastCheckInDate: lastCheckIn && !Number.isNaN(lastCheckIn.getTime()) ? lastCheckIn : null,
      direction: goal.direction,
    };
    // Optional fields are set only when they apply (no object spread per key result).
    const heldConfidence = metric.confidence?.value;
    if (typeof heldConfidence === 'number' && Number.isFinite(heldConfidence)) {
      if (scale.source === 'account') item.confidenceLabel = confidenceLabel(scale, heldConfidence);
      // A 0–10 or 0–100 scale the app could not read: judged on 0–1, shown as Gtmhub holds it.
      else if (heldConfidence > 1) item.confidenceLabel = String(heldConfidence);
    }
    if (overdue) {
      item.overdue = overdue;
      item.dueDate = due;
    }
    if (metric.goalClosedStatus?.status && metric.goalClosedStatus.status !== 'active') item.goalClosedStatus = metric.goalClosedStatus.status;
    return item;
  }

  private assemble(
    request: SummaryBuildRequest,
    items: SummaryItem[],
    ownerIds: Array<string | undefined>,
    goalNames: Map<string, string>,
    baseline: SummaryBaseline | null,
    now: Date,
    progressHistory: SummaryProgressPoint[],
  ): Summary {
    // One pass gathers every figure; sums run over the items in the same order as before, so they come out the same to the last bit.
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<SummaryStatus, number>;
    const objectives = new Map<string, SummaryObjective>();
    const owners = new Map<string, OwnerCount>();
    const needsAttention: SummaryItem[] = [];
    const capped = (value: number) => Math.min(1, Math.max(0, value));
    let overallSum = 0;
    let comparedSum = 0;
    let compared = 0;
    let pacedSum = 0;
    let paced = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      counts[item.status] += 1;
      let objective = objectives.get(item.goalId);
      if (!objective) {
        objective = { goalId: item.goalId, name: goalNames.get(item.goalId) ?? 'Objective', items: [] };
        if (item.goalClosedStatus) objective.closedStatus = item.goalClosedStatus;
        objectives.set(item.goalId, objective);
      }
      objective.items.push(item);
      if (item.status === 'not_checked_in') {
        const key = ownerKey(item.owner, ownerIds[i]);
        const entry = owners.get(key);
        if (entry) entry.count += 1;
        else owners.set(key, { owner: item.owner, count: 1 });
      } else if (item.status === 'behind' || item.status === 'at_risk') needsAttention.push(item);
      overallSum += capped(item.attainment);
      if (item.change !== null && item.change !== 'new') {
        comparedSum = comparedSum + capped(item.attainment) - capped(baseline!.values.get(item.metricId)!.attainment);
        compared += 1;
      }
      if (item.gap !== null) {
        pacedSum += capped(item.attainment - item.gap);
        paced += 1;
      }
    }
    const sortedObjectives = [...objectives.values()].sort((a, b) => naturally(a.name, b.name) || byDefaultLocale(a.goalId, b.goalId));
    for (const objective of sortedObjectives) objective.items.sort((a, b) => naturally(a.name, b.name) || byDefaultLocale(a.metricId, b.metricId));
    const ownerName = (o: SummaryOwner) => (o.kind === 'none' ? '' : o.name);
    const notCheckedIn = [...owners.values()].sort((a, b) => b.count - a.count || byDefaultLocale(ownerName(a.owner), ownerName(b.owner)));
    const overall = overallSum / items.length;
    const overallChange = compared === 0 ? null : comparedSum / compared;
    const expected = paced === 0 ? null : pacedSum / paced;

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
      needsAttention: needsAttention.sort(byAttention),
      notCheckedIn,
      progressHistory,
    };
  }
}

/** Who owns a key result, as its listing says: enough to find their Slack person once all are read. */
interface OwnerFields {
  assignee: Metric['assignee'];
  firstOwnerId: string | undefined;
}

/** The Gtmhub user or team who owns a key result: its assignee, else its first owner id. */
function ownerIdOf(owner: OwnerFields): string | undefined {
  return owner.assignee?.id ?? owner.firstOwnerId;
}

/** An owner once looked up: their Slack person (null when nobody matches) and what Gtmhub says their name and email are. */
interface KnownOwner {
  slackUserId: string | null;
  name: string | null;
  email: string | null;
}

const UNMATCHED: SummaryOwner = { kind: 'none' };

/** A key result as the summary keeps it once its page is read: judged, with its owner and history left to finish. */
interface ReadKeyResult {
  id: string;
  goalId: string;
  goalName: string | undefined;
  owner: OwnerFields;
  item: SummaryItem;
  history: KeyResultHistory | null;
}

/** `promise`, marked as handled: started early, it may be left unread when the build stops first. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function baselineValueOf(item: SummaryItem): BaselineValue {
  return { metricId: item.metricId, attainment: item.attainment, actual: item.actual };
}
