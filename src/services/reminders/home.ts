/** The App Home's view of a person's key results: which are due, due soon, snoozed or skipped. */
import type { Clock } from '../../clock.js';
import type { Metric } from '../../gtmhub/types.js';
import type { ReminderStore } from '../../store/reminder-store.js';
import type { KeyResultGroup, KeyResultService, LeftOutKeyResult } from '../key-results.js';
import type { PeopleService } from '../people/people-service.js';
import type { UnmappedReason } from '../people/people-types.js';
import { isDueIn, isDueSoon, isMuteActive } from './due.js';
import type { PersonReminderState, ReminderSettingsService } from './settings.js';

export interface HomeKeyResult {
  metric: Metric;
  due: boolean;
  dueSoon: boolean;
  /** Snoozed until, or skipped this period. */
  muted: { kind: 'snooze'; until: Date } | { kind: 'skip' } | null;
}

export type HomeModel =
  | { kind: 'unmapped'; reason: UnmappedReason; state: PersonReminderState }
  | { kind: 'ready'; state: PersonReminderState; groups: Array<{ goalName: string; keyResults: HomeKeyResult[] }>; leftOut?: LeftOutKeyResult[] };

export interface ReminderHomeOptions {
  people: Pick<PeopleService, 'resolve'>;
  keyResults: Pick<KeyResultService, 'listForCheckIn'>;
  settings: Pick<ReminderSettingsService, 'stateOf'>;
  store: Pick<ReminderStore, 'listReminderMutes'>;
  clock: Clock;
}

export class ReminderHome {
  constructor(private readonly options: ReminderHomeOptions) {}

  async home(slackUserId: string): Promise<HomeModel> {
    const { people, keyResults, store, clock, settings } = this.options;
    const [owner, state] = await Promise.all([people.resolve(slackUserId), settings.stateOf(slackUserId)]);
    if (!owner.mapped) return { kind: 'unmapped', reason: owner.reason, state };
    const now = clock.now();
    const [{ groups, leftOut }, mutes] = await Promise.all([keyResults.listForCheckIn(owner.gtmhubUserId), store.listReminderMutes(slackUserId)]);
    const muteOf = new Map(mutes.filter((m) => isMuteActive(m, state.period, now)).map((m) => [m.metricId, m]));
    const toHome = (group: KeyResultGroup) => ({
      goalName: group.goalName,
      keyResults: group.keyResults.map((metric): HomeKeyResult => {
        const mute = muteOf.get(metric.id);
        return {
          metric,
          due: isDueIn(metric, state.period),
          dueSoon: isDueSoon(metric, now),
          muted: !mute ? null : mute.kind === 'skip' ? { kind: 'skip' } : { kind: 'snooze', until: mute.until! },
        };
      }),
    });
    return { kind: 'ready', state, groups: groups.map(toHome), leftOut };
  }
}
