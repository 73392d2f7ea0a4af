import type { Clock } from '../clock.js';
import type { Metric } from '../gtmhub/types.js';
import type { OutboxEntry, OwnerStore, RejectedKeyResult } from '../store/store.js';
import type { CheckInChange, CheckInNotifier } from './checkin-types.js';
import { NOT_CHECKABLE_MESSAGES, type KeyResultGroup, type KeyResultService, type LeftOutKeyResult } from './key-results.js';
import type { PeopleService } from './people/people-service.js';
import type { UnmappedReason } from './people/people-types.js';
import { isGtmhubId } from '../gtmhub/ids.js';

export type CheckInFormState =
  | { kind: 'unmapped'; reason: UnmappedReason }
  | { kind: 'empty'; leftOut: LeftOutKeyResult[] }
  | { kind: 'ready'; groups: KeyResultGroup[]; selected: SelectedForCheckIn | null; leftOut: LeftOutKeyResult[] };

export interface SelectedForCheckIn {
  metric: Metric;
  goalName: string;
  timeZone: string | null;
}

export type SelectionResult =
  | { kind: 'unmapped'; reason: UnmappedReason }
  | { kind: 'refused'; message: string }
  | { kind: 'selected'; groups: KeyResultGroup[]; selected: SelectedForCheckIn };

export interface CheckInFormServiceOptions {
  people: Pick<PeopleService, 'resolve'>;
  keyResults: Pick<KeyResultService, 'listCheckable' | 'listForCheckIn' | 'checkFor'>;
  store: Pick<OwnerStore, 'getSlackProfile'>;
  clock: Clock;
  /** How long what a person's form loaded is reused (type-ahead, the pick, the Enter preview) before Gtmhub is asked again. */
  loadKeptMs?: number;
}

/** What one person's form loaded, kept briefly per process (an optimisation: every write re-checks with Gtmhub). */
interface LoadedForm {
  /** The whole picker list, when it was loaded without a search. */
  groups: KeyResultGroup[] | null;
  /** Every key result the load offered, with its objective name; with its check-ins when `withHistory`. */
  offered: Map<string, { metric: Metric; goalName: string }>;
  withHistory: boolean;
  at: number;
}

const DEFAULT_LOAD_KEPT_MS = 120_000;
const PEOPLE_KEPT = 1000;

/** What the check-in modal shows: the person's checkable key results and the one they picked. */
export class CheckInFormService {
  private readonly loads = new Map<string, LoadedForm>();

  constructor(private readonly options: CheckInFormServiceOptions) {}

  /**
   * The person's checkable key results for the picker (type-ahead, and re-rendering the form after a
   * pick), reusing what the form loaded while it is fresh.
   */
  async groupsFor(slackUserId: string): Promise<KeyResultGroup[]> {
    const groups = this.freshLoad(slackUserId)?.groups;
    if (groups) return groups;
    const owner = await this.options.people.resolve(slackUserId);
    if (!owner.mapped) return [];
    const listed = await this.options.keyResults.listCheckable(owner.gtmhubUserId);
    this.remember(slackUserId, listed, true, false);
    return listed;
  }

  /** A check-in of this key result landed (from any surface): what forms loaded of it is stale. */
  forgetKeyResult(metricId: string): void {
    for (const [slackUserId, load] of this.loads) if (load.offered.has(metricId)) this.loads.delete(slackUserId);
  }

  private freshLoad(slackUserId: string): LoadedForm | undefined {
    const load = this.loads.get(slackUserId);
    const keptMs = this.options.loadKeptMs ?? DEFAULT_LOAD_KEPT_MS;
    return load && this.options.clock.now().getTime() - load.at < keptMs ? load : undefined;
  }

  private remember(slackUserId: string, groups: KeyResultGroup[], whole: boolean, withHistory: boolean): void {
    if (this.loads.size >= PEOPLE_KEPT) this.loads.clear();
    const offered = new Map<string, { metric: Metric; goalName: string }>();
    for (const group of groups) for (const metric of group.keyResults) offered.set(metric.id, { metric, goalName: group.goalName });
    this.loads.set(slackUserId, { groups: whole ? groups : null, offered, withHistory, at: this.options.clock.now().getTime() });
  }

  async prepare(slackUserId: string, search: string, preselectMetricId?: string): Promise<CheckInFormState> {
    const owner = await this.options.people.resolve(slackUserId);
    if (!owner.mapped) return { kind: 'unmapped', reason: owner.reason };
    const { groups, leftOut } = await this.options.keyResults.listForCheckIn(owner.gtmhubUserId, search, { withHistory: true });
    this.remember(slackUserId, groups, !search.trim(), true);
    const all = groups.flatMap((g) => g.keyResults);
    if (all.length === 0) return { kind: 'empty', leftOut };
    const only = all.length === 1 ? all[0]!.id : undefined;
    const wanted = preselectMetricId && all.some((m) => m.id === preselectMetricId) ? preselectMetricId : only;
    if (!wanted) return { kind: 'ready', groups, selected: null, leftOut };
    const selection = await this.select(slackUserId, wanted, groups);
    return { kind: 'ready', groups, selected: selection.kind === 'selected' ? selection.selected : null, leftOut };
  }

  /**
   * The picked key result, refused unless the person may check it in: taken from what this person's
   * form loaded moments ago (their own list, read with its check-ins), else re-read from Gtmhub.
   */
  async select(slackUserId: string, metricId: string, knownGroups?: KeyResultGroup[]): Promise<SelectionResult> {
    const owner = await this.options.people.resolve(slackUserId);
    if (!owner.mapped) return { kind: 'unmapped', reason: owner.reason };
    if (!isGtmhubId(metricId)) return { kind: 'refused', message: 'That is not a key result id.' };
    const load = this.freshLoad(slackUserId);
    const loaded = load?.withHistory ? load.offered.get(metricId) : undefined;
    if (loaded) {
      const [groups, profile] = await Promise.all([knownGroups ?? load?.groups ?? this.groupsFor(slackUserId), this.options.store.getSlackProfile(slackUserId)]);
      return { kind: 'selected', groups, selected: { metric: loaded.metric, goalName: loaded.goalName, timeZone: profile?.tz ?? null } };
    }
    const [check, groups, profile] = await Promise.all([
      this.options.keyResults.checkFor(metricId, owner.gtmhubUserId),
      knownGroups ? Promise.resolve(knownGroups) : this.groupsFor(slackUserId),
      this.options.store.getSlackProfile(slackUserId),
    ]);
    if (check.reason) return { kind: 'refused', message: `You cannot check in “${check.metric.name}”: ${NOT_CHECKABLE_MESSAGES[check.reason]}.` };
    return { kind: 'selected', groups, selected: { metric: check.metric, goalName: check.goalName, timeZone: profile?.tz ?? null } };
  }
}

/** Passes every landed check-in on, after making what forms loaded of its key result stale. */
export class FormAwareNotifier implements CheckInNotifier {
  constructor(
    private readonly inner: CheckInNotifier,
    private readonly forms: Pick<CheckInFormService, 'forgetKeyResult'>,
  ) {}

  async delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void> {
    this.forms.forgetKeyResult(entry.metricId);
    await this.inner.delivered(entry, change, late);
  }

  async rejected(entry: OutboxEntry, reason: string, keyResult?: RejectedKeyResult): Promise<void> {
    await this.inner.rejected(entry, reason, keyResult);
  }
}
