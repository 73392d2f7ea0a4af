/**
 * Reminder DMs: the pass (reminders-pass.ts), the buttons on a reminder, people's settings and the
 * App Home's view of their key results. Button payloads carry ids only; every action re-reads the
 * reminder (it must be the clicker's) and the key result (theirs, still due) before doing anything.
 */
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import { GtmhubError, GtmhubUnexpectedResponseError } from '../../gtmhub/errors.js';
import type { BulkCheckInItem, BulkCheckInResponse, Metric } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { Reminder, ReminderItem, ReminderOutcome, ReminderStore } from '../../store/reminder-store.js';
import type { OutboxEntry, OwnerStore } from '../../store/store.js';
import { composeComment, submissionRef, type CheckInChange, type CheckInService } from '../checkins.js';
import { lastCheckInOf, NOT_CHECKABLE_MESSAGES, type KeyResultGroup, type KeyResultService } from '../key-results.js';
import type { GtmhubPeople } from '../gtmhub-people.js';
import type { OwnerService, UnmappedReason } from '../owners.js';
import { WorkspaceDirectory } from './directory.js';
import { isDueIn, isDueSoon, isMuteActive } from './due.js';
import { RateLimitGate } from './pacing.js';
import { DEFAULT_TUNING, effectiveSchedule, ReminderPass, type ReminderPassTuning, type ReminderRules } from './pass.js';
import type { EffectiveSettings, ReminderMessage, ReminderMessenger } from './ports.js';
import { reportFromJson, type ReminderPassReport } from './report.js';
import { periodAfter, periodAt, snoozeUntil, type ReminderPeriod } from './schedule.js';
import type { SnoozeOption } from '../../domain/snooze-options.js';
import { ROWS_PER_MESSAGE } from '../../domain/limits.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { safeTimeZone } from '../zoned-time.js';


export interface ReminderServiceOptions {
  gtmhub: Pick<GtmhubClient, 'iterateMetrics' | 'iterateGoals' | 'bulkCheckIn'>;
  store: ReminderStore & Pick<OwnerStore, 'findOwnerLinksByGtmhubUser' | 'getOwnerLink' | 'getSlackProfile'>;
  owners: Pick<OwnerService, 'resolve' | 'isAdmin' | 'slackUserFor'>;
  keyResults: Pick<KeyResultService, 'closedSessionIds' | 'goalNamesFor' | 'notCheckableReason' | 'checkFor' | 'listOwned' | 'listCheckable'>;
  checkins: Pick<CheckInService, 'submit'>;
  people: Pick<GtmhubPeople, 'usersByIds'>;
  messenger: ReminderMessenger;
  clock: Clock;
  logger: Logger;
  rules: ReminderRules;
  tuning?: Partial<ReminderPassTuning>;
  /** How long the users.list snapshot is trusted. */
  directoryTtlMs?: number;
}

/** What a person's reminders look like now, for the settings modal and the App Home. */
export interface PersonReminderState {
  settings: EffectiveSettings;
  timeZone: string;
  period: ReminderPeriod;
  /** When the next reminder goes out if something is due then (null when reminders are off). */
  nextReminderAt: Date | null;
}

export interface HomeKeyResult {
  metric: Metric;
  due: boolean;
  dueSoon: boolean;
  /** Snoozed until, or skipped this period. */
  muted: { kind: 'snooze'; until: Date } | { kind: 'skip' } | null;
}

export type HomeModel =
  | { kind: 'unmapped'; reason: UnmappedReason; state: PersonReminderState }
  | { kind: 'ready'; state: PersonReminderState; groups: Array<{ goalName: string; keyResults: HomeKeyResult[] }> };

export interface ActionResult {
  /** The reminder the click came from, as it is now. */
  reminder: Reminder;
  outcome: ReminderOutcome | null;
}

export interface ReminderStatus {
  nextTickAt: Date | null;
  nextPassAt: Date | null;
  lastPass: ReminderPassReport | null;
  running: boolean;
}

const NO_CHANGE_COMMENT = 'No change';

function sameOutcome(a: ReminderOutcome | null, b: ReminderOutcome): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

function actualOf(metric: Metric): number {
  return metric.actual ?? metric.initialValue ?? 0;
}

export class ReminderService {
  readonly directory: WorkspaceDirectory;
  private readonly tuning: ReminderPassTuning;
  private running: Promise<ReminderPassReport> | null = null;
  /** Set by the composition root: when the scheduler ticks next. */
  nextTick: () => Date | null = () => null;

  constructor(private readonly options: ReminderServiceOptions) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.directory = new WorkspaceDirectory(options.messenger, options.clock, options.directoryTtlMs);
  }

  get rules(): ReminderRules {
    return this.options.rules;
  }

  isAdmin(slackUserId: string): boolean {
    return this.options.owners.isAdmin(slackUserId);
  }

  // ── passes ───────────────────────────────────────────────────────────────────────────────────

  /** A scheduler tick: a pass when something may be due, else nothing (no Gtmhub call). */
  async tick(): Promise<ReminderPassReport | null> {
    const { store, clock } = this.options;
    const now = clock.now();
    const state = await store.getReminderPassState();
    const rescanDue = !state.lastScanAt || now.getTime() - state.lastScanAt.getTime() >= this.tuning.rescanMs;
    const workDue = !state.nextPassAt || state.nextPassAt <= now;
    if (!rescanDue && !workDue) return null;
    return this.runPass('tick');
  }

  /** Runs a pass now; a pass already running in this process is joined rather than doubled. */
  runPass(trigger: string): Promise<ReminderPassReport> {
    this.running ??= (async () => {
      try {
        const pass = new ReminderPass({ ...this.options, directory: this.directory, tuning: this.tuning }, trigger);
        const report = await pass.run();
        const { sent, followUpsSent, wakeUpsSent, failed, people } = report;
        this.options.logger.info(
          { trigger, people, sent, followUpsSent, wakeUpsSent, failed, unmapped: report.unmappedCount, ms: report.durationMs },
          'reminder pass finished',
        );
        await this.options.store.recordReminderPass(
          { trigger, startedAt: new Date(report.startedAt), finishedAt: new Date(report.finishedAt), report: { ...report } },
          50,
        );
        return report;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async status(): Promise<ReminderStatus> {
    const { store } = this.options;
    const [state, last] = await Promise.all([store.getReminderPassState(), store.lastReminderPass()]);
    return { nextTickAt: this.nextTick(), nextPassAt: state.nextPassAt, lastPass: last ? reportFromJson(last.report) : null, running: this.running !== null };
  }

  // ── settings ─────────────────────────────────────────────────────────────────────────────────

  async stateOf(slackUserId: string): Promise<PersonReminderState> {
    const { store, clock, rules } = this.options;
    const now = clock.now();
    const [row, tzRaw] = await Promise.all([store.getReminderSettings(slackUserId), this.timeZoneOf(slackUserId)]);
    const timeZone = safeTimeZone(tzRaw);
    const { enabled, schedule } = effectiveSchedule(row, rules);
    const period = periodAt(now, timeZone, schedule, rules.working);
    let nextReminderAt: Date | null = null;
    if (enabled) {
      const open = await store.findReminder(slackUserId, period.key);
      nextReminderAt = !open && period.deliverAt > now ? period.deliverAt : periodAfter(period, timeZone, schedule, rules.working).deliverAt;
    }
    return { settings: { enabled, schedule, custom: row !== null }, timeZone, period, nextReminderAt };
  }

  async saveSettings(slackUserId: string, input: { enabled: boolean; days: number[]; minutes: number }): Promise<PersonReminderState> {
    const days = [...new Set(input.days)].filter((d) => Number.isInteger(d) && d >= 0 && d <= 6);
    if (input.enabled && days.length === 0) throw new InvalidInputError('Pick at least one day, or turn reminders off.');
    if (!Number.isInteger(input.minutes) || input.minutes < 0 || input.minutes > 1439) throw new InvalidInputError('Pick a time of day.');
    const now = this.options.clock.now();
    await this.options.store.putReminderSettings({ slackUserId, enabled: input.enabled, days, minutes: input.minutes, updatedAt: now });
    // The new schedule may be due at once: let the next tick look.
    await this.options.store.setNextReminderPass(now, true);
    return this.stateOf(slackUserId);
  }

  private async timeZoneOf(slackUserId: string): Promise<string | null> {
    try {
      return await this.directory.timeZoneOf(slackUserId);
    } catch (error) {
      this.options.logger.warn({ err: error, slackUserId }, 'could not read a time zone from Slack; using the cached profile');
      return (await this.options.store.getSlackProfile(slackUserId))?.tz ?? null;
    }
  }

  // ── App Home ─────────────────────────────────────────────────────────────────────────────────

  async home(slackUserId: string): Promise<HomeModel> {
    const { owners, keyResults, store, clock } = this.options;
    const [owner, state] = await Promise.all([owners.resolve(slackUserId), this.stateOf(slackUserId)]);
    if (!owner.mapped) return { kind: 'unmapped', reason: owner.reason, state };
    const now = clock.now();
    const [groups, mutes] = await Promise.all([keyResults.listCheckable(owner.gtmhubUserId), store.listReminderMutes(slackUserId)]);
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
    return { kind: 'ready', state, groups: groups.map(toHome) };
  }

  // ── buttons on a reminder ────────────────────────────────────────────────────────────────────

  private async ownReminder(slackUserId: string, reminderId: number): Promise<Reminder> {
    const reminder = Number.isSafeInteger(reminderId) ? await this.options.store.getReminder(reminderId) : null;
    if (!reminder || reminder.slackUserId !== slackUserId) throw new NotFoundError('That reminder is not one of yours.');
    return reminder;
  }

  private async ownItem(slackUserId: string, reminderId: number, metricId: string): Promise<{ reminder: Reminder; item: ReminderItem }> {
    const reminder = await this.ownReminder(slackUserId, reminderId);
    const item = (await this.options.store.listReminderItems(reminder.id)).find((i) => i.metricId === metricId);
    if (!item) throw new NotFoundError('That key result is not in this reminder.');
    return { reminder, item };
  }

  /**
   * Today's state of one key result for the clicker: an outcome that ends the matter (not theirs any
   * more, not checkable, already checked in this period), or the metric to act on.
   */
  private async recheck(slackUserId: string, metricId: string): Promise<{ settled: ReminderOutcome } | { metric: Metric; period: ReminderPeriod; timeZone: string }> {
    const owner = await this.options.owners.resolve(slackUserId);
    if (!owner.mapped) return { settled: { kind: 'not_checkable', reason: 'kr-checkin cannot match you to a Gtmhub user any more' } };
    const [check, state] = await Promise.all([this.options.keyResults.checkFor(metricId, owner.gtmhubUserId), this.stateOf(slackUserId)]);
    if (check.reason) return { settled: { kind: 'not_checkable', reason: NOT_CHECKABLE_MESSAGES[check.reason] } };
    if (!isDueIn(check.metric, state.period)) {
      const at = lastCheckInOf(check.metric);
      return { settled: { kind: 'already_checked_in', at: at === null ? null : new Date(at).toISOString() } };
    }
    return { metric: check.metric, period: state.period, timeZone: state.timeZone };
  }

  async noChange(slackUserId: string, slackDisplayName: string, reminderId: number, metricId: string): Promise<ActionResult> {
    const { reminder } = await this.ownItem(slackUserId, reminderId, metricId);
    const checked = await this.recheck(slackUserId, metricId);
    if ('settled' in checked) return this.settle(reminder, metricId, checked.settled);
    const value = actualOf(checked.metric);
    const outcome = await this.options.checkins.submit({
      slackUserId,
      slackDisplayName,
      metricId,
      actual: value,
      confidence: checked.metric.confidence?.value ?? null,
      comment: NO_CHANGE_COMMENT,
      idempotencyKey: `reminder:${reminderId}:${metricId}:no-change:${checked.period.key}`,
      notifyChannelId: null,
    });
    let result: ReminderOutcome;
    switch (outcome.status) {
      case 'delivered':
        result = { kind: 'no_change', value };
        break;
      case 'duplicate':
        result = outcome.entry.status === 'delivered' ? { kind: 'no_change', value } : { kind: 'no_change', value, pending: true };
        break;
      case 'pending':
        result = { kind: 'no_change', value, pending: true };
        break;
      case 'rejected':
        result = { kind: 'not_checkable', reason: outcome.reason };
        break;
      case 'unmapped':
        result = { kind: 'not_checkable', reason: 'kr-checkin cannot match you to a Gtmhub user any more' };
        break;
    }
    await this.options.store.deleteReminderMute(slackUserId, metricId);
    return this.settle(reminder, metricId, result);
  }

  /** One bulk check-in (POST /v1/metrics/checkins) of the current value for every open row that is still due. */
  async noChangeForAll(slackUserId: string, slackDisplayName: string, reminderId: number): Promise<ActionResult & { recorded: number }> {
    const { store, owners, keyResults, gtmhub, clock } = this.options;
    const reminder = await this.ownReminder(slackUserId, reminderId);
    const open = (await store.listReminderItems(reminder.id)).filter((i) => i.outcome === null);
    const owner = await owners.resolve(slackUserId);
    if (!owner.mapped) throw new NotFoundError('kr-checkin cannot match you to a Gtmhub user any more.');
    const [owned, closed, state] = await Promise.all([keyResults.listOwned(owner.gtmhubUserId), keyResults.closedSessionIds(), this.stateOf(slackUserId)]);
    const byId = new Map(owned.map((m) => [m.id, m]));
    const outcomes = new Map<string, ReminderOutcome>();
    const toRecord: Metric[] = [];
    for (const item of open) {
      const metric = byId.get(item.metricId);
      const reason = metric ? keyResults.notCheckableReason(metric, owner.gtmhubUserId, closed) : 'not_owner';
      if (!metric || reason) outcomes.set(item.metricId, { kind: 'not_checkable', reason: NOT_CHECKABLE_MESSAGES[reason ?? 'not_owner'] });
      else if (!isDueIn(metric, state.period)) {
        const at = lastCheckInOf(metric);
        outcomes.set(item.metricId, { kind: 'already_checked_in', at: at === null ? null : new Date(at).toISOString() });
      } else toRecord.push(metric);
    }
    let recorded = 0;
    if (toRecord.length > 0) {
      const now = clock.now();
      const comment = composeComment(NO_CHANGE_COMMENT, slackDisplayName, submissionRef(`reminder:${reminderId}:all:${state.period.key}`));
      const response = await this.bulkCheckInOrUnknown(
        toRecord.map((metric) => ({
          metricId: metric.id,
          actual: actualOf(metric),
          comment,
          checkInDate: now.toISOString(),
          ...(metric.confidence?.value === undefined ? {} : { confidence: metric.confidence.value }),
        })),
      );
      const results = new Map((response?.results ?? []).map((r) => [r.metricId, r]));
      // An answer we could not read (or never got) is not a refusal: Gtmhub tells what landed.
      const unconfirmed = toRecord.filter((m) => !results.has(m.id));
      const landed = unconfirmed.length > 0 ? await this.checkedInSince(owner.gtmhubUserId, now) : new Set<string>();
      for (const metric of toRecord) {
        const result = results.get(metric.id);
        if ((result && !result.error) || landed.has(metric.id)) {
          recorded++;
          outcomes.set(metric.id, { kind: 'no_change', value: actualOf(metric) });
        } else outcomes.set(metric.id, { kind: 'not_checkable', reason: result?.error ? `Gtmhub said: ${result.error}` : 'Gtmhub did not confirm it; try again' });
      }
    }
    const changed = new Map<number, Reminder>();
    for (const [metricId, outcome] of outcomes) {
      await store.deleteReminderMute(slackUserId, metricId);
      for (const r of await this.applyEverywhere(slackUserId, metricId, outcome, reminder, false)) changed.set(r.id, r);
    }
    // Each message is updated once, with its latest rows.
    const latest = await Promise.all([...changed.keys()].map((id) => store.getReminder(id)));
    await this.rerender(latest.filter((r): r is Reminder => r !== null));
    return { reminder: (await store.getReminder(reminder.id)) ?? reminder, outcome: null, recorded };
  }

  /**
   * The bulk POST is never retried. When its answer is lost or unreadable (the response shape is a
   * guess in API-NOTES) it may still have landed: null, and the caller reads back what did.
   */
  private async bulkCheckInOrUnknown(items: BulkCheckInItem[]): Promise<BulkCheckInResponse | null> {
    try {
      return await this.options.gtmhub.bulkCheckIn(items);
    } catch (error) {
      if (error instanceof GtmhubUnexpectedResponseError || (error instanceof GtmhubError && error.maybeDelivered)) {
        this.options.logger.warn({ err: error, items: items.length }, 'bulk check-in answer lost or unreadable; reading back what landed');
        return null;
      }
      throw error;
    }
  }

  /** Ids of the person's key results with a check-in at or after `since` (one paged list call). */
  private async checkedInSince(gtmhubUserId: string, since: Date): Promise<Set<string>> {
    const owned = await this.options.keyResults.listOwned(gtmhubUserId);
    return new Set(owned.filter((m) => (lastCheckInOf(m) ?? 0) >= since.getTime() - 1000).map((m) => m.id));
  }

  async snooze(slackUserId: string, reminderId: number, metricId: string, option: SnoozeOption): Promise<ActionResult> {
    const { reminder } = await this.ownItem(slackUserId, reminderId, metricId);
    const checked = await this.recheck(slackUserId, metricId);
    if ('settled' in checked) return this.settle(reminder, metricId, checked.settled);
    const now = this.options.clock.now();
    const until = snoozeUntil(option, now, checked.timeZone, this.options.rules.working);
    await this.options.store.putReminderMute({ slackUserId, metricId, kind: 'snooze', periodKey: checked.period.key, until, createdAt: now });
    await this.options.store.setNextReminderPass(until, true);
    return this.settle(reminder, metricId, { kind: 'snoozed', until: until.toISOString() });
  }

  async skip(slackUserId: string, reminderId: number, metricId: string): Promise<ActionResult> {
    const { reminder } = await this.ownItem(slackUserId, reminderId, metricId);
    const checked = await this.recheck(slackUserId, metricId);
    if ('settled' in checked) return this.settle(reminder, metricId, checked.settled);
    const now = this.options.clock.now();
    await this.options.store.putReminderMute({ slackUserId, metricId, kind: 'skip', periodKey: checked.period.key, until: null, createdAt: now });
    return this.settle(reminder, metricId, { kind: 'skipped' });
  }

  /** "Show the next ones": the message pages through rows it cannot show at once. */
  async nextPage(slackUserId: string, reminderId: number): Promise<Reminder> {
    const reminder = await this.ownReminder(slackUserId, reminderId);
    const next = reminder.pageOffset + ROWS_PER_MESSAGE < reminder.itemCount ? reminder.pageOffset + ROWS_PER_MESSAGE : 0;
    await this.options.store.setReminderPage(reminder.id, next);
    const updated = (await this.options.store.getReminder(reminder.id))!;
    await this.rerender([updated]);
    return updated;
  }

  /** A check-in landed (from any surface): rows naming that key result in open reminders say so. */
  async checkInDelivered(entry: OutboxEntry, change: CheckInChange | null): Promise<void> {
    const noChange = entry.idempotencyKey.startsWith('reminder:') && entry.idempotencyKey.includes(':no-change:');
    const outcome: ReminderOutcome = noChange
      ? { kind: 'no_change', value: entry.actual }
      : { kind: 'checked_in', from: change?.previousActual ?? null, to: entry.actual };
    await this.options.store.deleteReminderMute(entry.slackUserId, entry.metricId);
    await this.applyEverywhere(entry.slackUserId, entry.metricId, outcome, null);
  }

  /** Records `outcome` on the clicked row and on the same key result's rows in the person's other open reminders. */
  private async settle(reminder: Reminder, metricId: string, outcome: ReminderOutcome, render = true): Promise<ActionResult> {
    const changed = await this.applyEverywhere(reminder.slackUserId, metricId, outcome, reminder, render);
    return { reminder: changed.find((r) => r.id === reminder.id) ?? (await this.options.store.getReminder(reminder.id)) ?? reminder, outcome };
  }

  private async applyEverywhere(slackUserId: string, metricId: string, outcome: ReminderOutcome, clicked: Reminder | null, render = true): Promise<Reminder[]> {
    const { store, clock } = this.options;
    const now = clock.now();
    const items = await store.findOpenReminderItems(slackUserId, metricId, now);
    if (clicked && !items.some((i) => i.reminderId === clicked.id)) {
      const own = (await store.listReminderItems(clicked.id)).find((i) => i.metricId === metricId);
      if (own) items.push(own);
    }
    const changed: Reminder[] = [];
    for (const item of items) {
      if (sameOutcome(item.outcome, outcome)) continue;
      await store.setReminderItemOutcome(item.reminderId, metricId, outcome, now);
      const reminder = await store.getReminder(item.reminderId);
      if (reminder) changed.push(reminder);
    }
    if (render) await this.rerender(changed);
    return changed;
  }

  /** chat.update with the stored channel and ts: the message shows what happened. */
  private async rerender(reminders: Reminder[]): Promise<void> {
    const gate = new RateLimitGate();
    for (const reminder of reminders) {
      if (!reminder.channelId || !reminder.ts) continue;
      const items = await this.options.store.listReminderItems(reminder.id);
      const message: ReminderMessage = { reminder, items, now: this.options.clock.now() };
      try {
        await gate.run(() => this.options.messenger.updateReminder(reminder.channelId!, reminder.ts!, message), 3);
      } catch (error) {
        this.options.logger.warn({ err: error, reminderId: reminder.id }, 'could not update a reminder message');
      }
    }
  }
}
