import type { Clock } from '../clock.js';
import type { Metric } from '../gtmhub/types.js';
import type { OwnerStore } from '../store/store.js';
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
  /** Type-ahead asks on every keystroke; the list it filters is kept this long per person. */
  typeAheadCacheMs?: number;
}

/** What the check-in modal shows: the person's checkable key results and the one they picked. */
export class CheckInFormService {
  private readonly typeAhead = new Map<string, { groups: KeyResultGroup[]; at: number }>();

  constructor(private readonly options: CheckInFormServiceOptions) {}

  /**
   * The person's checkable key results for the picker (type-ahead, and re-rendering the form after a
   * pick). Kept briefly per process — only an optimisation: every write re-checks with Gtmhub.
   */
  async groupsFor(slackUserId: string): Promise<KeyResultGroup[]> {
    const now = this.options.clock.now().getTime();
    const cached = this.typeAhead.get(slackUserId);
    if (cached && now - cached.at < (this.options.typeAheadCacheMs ?? 120_000)) return cached.groups;
    const owner = await this.options.people.resolve(slackUserId);
    if (!owner.mapped) return [];
    const groups = await this.options.keyResults.listCheckable(owner.gtmhubUserId);
    this.remember(slackUserId, groups);
    return groups;
  }

  private remember(slackUserId: string, groups: KeyResultGroup[]): void {
    if (this.typeAhead.size > 1000) this.typeAhead.clear();
    this.typeAhead.set(slackUserId, { groups, at: this.options.clock.now().getTime() });
  }

  async prepare(slackUserId: string, search: string, preselectMetricId?: string): Promise<CheckInFormState> {
    const owner = await this.options.people.resolve(slackUserId);
    if (!owner.mapped) return { kind: 'unmapped', reason: owner.reason };
    const { groups, leftOut } = await this.options.keyResults.listForCheckIn(owner.gtmhubUserId, search);
    if (!search.trim()) this.remember(slackUserId, groups);
    const all = groups.flatMap((g) => g.keyResults);
    if (all.length === 0) return { kind: 'empty', leftOut };
    const only = all.length === 1 ? all[0]!.id : undefined;
    const wanted = preselectMetricId && all.some((m) => m.id === preselectMetricId) ? preselectMetricId : only;
    if (!wanted) return { kind: 'ready', groups, selected: null, leftOut };
    const selection = await this.select(slackUserId, wanted, groups);
    return { kind: 'ready', groups, selected: selection.kind === 'selected' ? selection.selected : null, leftOut };
  }

  /** The picked key result, re-read from Gtmhub with its history; refused unless the person may check it in. */
  async select(slackUserId: string, metricId: string, knownGroups?: KeyResultGroup[]): Promise<SelectionResult> {
    const owner = await this.options.people.resolve(slackUserId);
    if (!owner.mapped) return { kind: 'unmapped', reason: owner.reason };
    if (!isGtmhubId(metricId)) return { kind: 'refused', message: 'That is not a key result id.' };
    const [check, groups, profile] = await Promise.all([
      this.options.keyResults.checkFor(metricId, owner.gtmhubUserId),
      knownGroups ? Promise.resolve(knownGroups) : this.groupsFor(slackUserId),
      this.options.store.getSlackProfile(slackUserId),
    ]);
    if (check.reason) return { kind: 'refused', message: `You cannot check in “${check.metric.name}”: ${NOT_CHECKABLE_MESSAGES[check.reason]}.` };
    return { kind: 'selected', groups, selected: { metric: check.metric, goalName: check.goalName, timeZone: profile?.tz ?? null } };
  }
}
