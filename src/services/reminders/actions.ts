/**
 * The buttons on a reminder DM. Button payloads carry ids only: every action re-reads the reminder
 * (it must be the clicker's) and the key result (theirs, still due) before doing anything, and every
 * check-in goes through the outbox (CheckInService), like one made in the modal.
 */
import type { Clock } from '../../clock.js';
import type { Metric } from '../../gtmhub/types.js';
import { DEFAULT_CONFIDENCE_SCALE, type ConfidenceScale } from '../../gtmhub/confidence-scale.js';
import { confidenceLabel } from '../../domain/confidence-levels.js';
import type { ConfidenceScaleService } from '../confidence-scale.js';
import type { Reminder, ReminderItem, ReminderOutcome, ReminderStore } from '../../store/reminder-store.js';
import type { CheckInService } from '../checkins.js';
import type { CheckInOutcome, CheckInSubmission } from '../checkin-types.js';
import { NotFoundError } from '../errors.js';
import { lastCheckInOf, NOT_CHECKABLE_MESSAGES, type KeyResultService } from '../key-results.js';
import type { PeopleService } from '../people/people-service.js';
import { displayNameOf } from '../people/people-types.js';
import { signerOf } from '../../domain/checkin-signature.js';
import { isDueIn } from './due.js';
import type { ReminderRows } from './reminder-rows.js';
import type { SnoozeOption } from '../../domain/snooze-options.js';
import { ROWS_PER_MESSAGE } from '../../domain/limits.js';
import { snoozeUntil, type ReminderPeriod } from './schedule.js';
import type { ReminderSettingsService } from './settings.js';

export interface ActionResult {
  /** The reminder the click came from, as it is now. */
  reminder: Reminder;
  outcome: ReminderOutcome | null;
}

const NO_CHANGE_COMMENT = 'No change';
const UNMAPPED: ReminderOutcome = { kind: 'not_checkable', reason: 'kr-checkin cannot match you to a Gtmhub user any more' };

function actualOf(metric: Metric): number {
  return metric.actual ?? metric.initialValue ?? 0;
}

/** Checked in elsewhere (another person, or Gtmhub itself): the row shows what Gtmhub holds now — value, confidence, date. */
function alreadyCheckedIn(metric: Metric, by: string | null, scale: ConfidenceScale): ReminderOutcome {
  const at = lastCheckInOf(metric);
  const confidence = typeof metric.confidence?.value === 'number' && Number.isFinite(metric.confidence.value) ? confidenceLabel(scale, metric.confidence.value) : null;
  return {
    kind: 'already_checked_in',
    at: at === null ? null : new Date(at).toISOString(),
    by,
    ...(typeof metric.actual === 'number' && Number.isFinite(metric.actual) ? { value: metric.actual } : {}),
    confidence,
  };
}

/** What a "No change" check-in's outcome means for its row. */
function noChangeOutcome(outcome: CheckInOutcome, value: number): ReminderOutcome {
  switch (outcome.status) {
    case 'delivered':
      return { kind: 'no_change', value };
    case 'duplicate':
      return outcome.entry.status === 'delivered' ? { kind: 'no_change', value } : { kind: 'no_change', value, pending: true };
    case 'pending':
      return { kind: 'no_change', value, pending: true };
    case 'rejected':
      return { kind: 'not_checkable', reason: outcome.reason };
    case 'unmapped':
      return UNMAPPED;
  }
}

export interface ReminderActionsOptions {
  store: ReminderStore;
  people: Pick<PeopleService, 'resolve' | 'gtmhubUsers'>;
  keyResults: Pick<KeyResultService, 'checkFor' | 'listOwned' | 'closedSessionIds' | 'notCheckableReason'>;
  checkins: Pick<CheckInService, 'submit' | 'submitMany'>;
  settings: Pick<ReminderSettingsService, 'stateOf' | 'rules'>;
  rows: ReminderRows;
  clock: Clock;
  /** The account's confidence labels as last read (without it, Gtmhub's default 0–1 scale). */
  confidenceScale?: Pick<ConfidenceScaleService, 'known'>;
}

export class ReminderActions {
  constructor(private readonly options: ReminderActionsOptions) {}

  private scale(): ConfidenceScale {
    return this.options.confidenceScale?.known() ?? DEFAULT_CONFIDENCE_SCALE;
  }

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
   * Who made the key result's last check-in: the person our signature credits (Gtmhub records
   * kr-checkin's check-ins as the API token's user), else the Gtmhub user who changed it.
   */
  private async lastCheckedInBy(metric: Metric): Promise<string | null> {
    const last = metric.metricHistory?.at(-1);
    if (!last) return null;
    const signer = signerOf(last.comment);
    if (signer) return signer;
    if (!last.changedBy) return null;
    const user = (await this.options.people.gtmhubUsers.byIds([last.changedBy]).catch(() => null))?.get(last.changedBy);
    return user ? displayNameOf(user) : null;
  }

  /**
   * Today's state of one key result for the clicker: an outcome that ends the matter (not theirs any
   * more, not checkable, already checked in this period), or the metric to act on.
   */
  private async recheck(slackUserId: string, metricId: string): Promise<{ settled: ReminderOutcome } | { metric: Metric; period: ReminderPeriod; timeZone: string }> {
    const owner = await this.options.people.resolve(slackUserId);
    if (!owner.mapped) return { settled: UNMAPPED };
    const [check, state] = await Promise.all([this.options.keyResults.checkFor(metricId, owner.gtmhubUserId), this.options.settings.stateOf(slackUserId)]);
    if (check.reason) return { settled: { kind: 'not_checkable', reason: NOT_CHECKABLE_MESSAGES[check.reason] } };
    if (!isDueIn(check.metric, state.period)) return { settled: alreadyCheckedIn(check.metric, await this.lastCheckedInBy(check.metric), this.scale()) };
    return { metric: check.metric, period: state.period, timeZone: state.timeZone };
  }

  private noChangeSubmission(slackUserId: string, slackDisplayName: string, reminderId: number, metric: Metric, period: ReminderPeriod, origin: 'reminder' | 'bulk'): CheckInSubmission {
    return {
      slackUserId,
      slackDisplayName,
      metricId: metric.id,
      actual: actualOf(metric),
      confidence: metric.confidence?.value ?? null,
      comment: NO_CHANGE_COMMENT,
      // One "No change" per key result, reminder and period, whichever button recorded it.
      idempotencyKey: `reminder:${reminderId}:${metric.id}:no-change:${period.key}`,
      origin,
      reminderId,
    };
  }

  async noChange(slackUserId: string, slackDisplayName: string, reminderId: number, metricId: string): Promise<ActionResult> {
    const { reminder } = await this.ownItem(slackUserId, reminderId, metricId);
    const checked = await this.recheck(slackUserId, metricId);
    if ('settled' in checked) return this.options.rows.settle(reminder, metricId, checked.settled);
    const outcome = await this.options.checkins.submit(this.noChangeSubmission(slackUserId, slackDisplayName, reminderId, checked.metric, checked.period, 'reminder'));
    await this.options.store.deleteReminderMute(slackUserId, metricId);
    return this.options.rows.settle(reminder, metricId, noChangeOutcome(outcome, actualOf(checked.metric)));
  }

  /** The current value of every open row that is still due, in one bulk check-in through the outbox. */
  async noChangeForAll(slackUserId: string, slackDisplayName: string, reminderId: number): Promise<ActionResult & { recorded: number }> {
    const { store, people, keyResults, rows } = this.options;
    const reminder = await this.ownReminder(slackUserId, reminderId);
    const open = (await store.listReminderItems(reminder.id)).filter((i) => i.outcome === null);
    const owner = await people.resolve(slackUserId);
    if (!owner.mapped) throw new NotFoundError('kr-checkin cannot match you to a Gtmhub user any more.');
    const [owned, closed, state] = await Promise.all([keyResults.listOwned(owner.gtmhubUserId), keyResults.closedSessionIds(), this.options.settings.stateOf(slackUserId)]);
    const byId = new Map(owned.map((m) => [m.id, m]));
    const outcomes = new Map<string, ReminderOutcome>();
    const toRecord: Metric[] = [];
    for (const item of open) {
      const metric = byId.get(item.metricId);
      const reason = metric ? keyResults.notCheckableReason(metric, owner.gtmhubUserId, closed) : 'not_owner';
      if (!metric || reason) outcomes.set(item.metricId, { kind: 'not_checkable', reason: NOT_CHECKABLE_MESSAGES[reason ?? 'not_owner'] });
      else if (!isDueIn(metric, state.period)) outcomes.set(item.metricId, alreadyCheckedIn(metric, await this.lastCheckedInBy(metric), this.scale()));
      else toRecord.push(metric);
    }
    let recorded = 0;
    const submitted = await this.options.checkins.submitMany(toRecord.map((metric) => this.noChangeSubmission(slackUserId, slackDisplayName, reminderId, metric, state.period, 'bulk')));
    submitted.forEach((outcome, index) => {
      const metric = toRecord[index]!;
      const result = noChangeOutcome(outcome, actualOf(metric));
      if (result.kind === 'no_change' && !result.pending) recorded++;
      outcomes.set(metric.id, result);
    });
    const changed = new Map<number, Reminder>();
    for (const [metricId, outcome] of outcomes) {
      await store.deleteReminderMute(slackUserId, metricId);
      for (const r of await rows.applyEverywhere(slackUserId, metricId, outcome, reminder, false)) changed.set(r.id, r);
    }
    // Each message is updated once, with its latest rows.
    const latest = await Promise.all([...changed.keys()].map((id) => store.getReminder(id)));
    await rows.rerender(latest.filter((r): r is Reminder => r !== null));
    return { reminder: (await store.getReminder(reminder.id)) ?? reminder, outcome: null, recorded };
  }

  async snooze(slackUserId: string, reminderId: number, metricId: string, option: SnoozeOption): Promise<ActionResult> {
    const { reminder } = await this.ownItem(slackUserId, reminderId, metricId);
    const checked = await this.recheck(slackUserId, metricId);
    if ('settled' in checked) return this.options.rows.settle(reminder, metricId, checked.settled);
    const now = this.options.clock.now();
    const until = snoozeUntil(option, now, checked.timeZone, this.options.settings.rules.working);
    await this.options.store.putReminderMute({ slackUserId, metricId, kind: 'snooze', periodKey: checked.period.key, until, createdAt: now });
    await this.options.store.setNextReminderPass(until, true);
    return this.options.rows.settle(reminder, metricId, { kind: 'snoozed', until: until.toISOString() });
  }

  async skip(slackUserId: string, reminderId: number, metricId: string): Promise<ActionResult> {
    const { reminder } = await this.ownItem(slackUserId, reminderId, metricId);
    const checked = await this.recheck(slackUserId, metricId);
    if ('settled' in checked) return this.options.rows.settle(reminder, metricId, checked.settled);
    const now = this.options.clock.now();
    await this.options.store.putReminderMute({ slackUserId, metricId, kind: 'skip', periodKey: checked.period.key, until: null, createdAt: now });
    return this.options.rows.settle(reminder, metricId, { kind: 'skipped' });
  }

  /** Undo a snooze or a skip from the DM: the mute goes and the row opens again, on every open reminder. */
  async undoMute(slackUserId: string, reminderId: number, metricId: string): Promise<ActionResult> {
    const { reminder, item } = await this.ownItem(slackUserId, reminderId, metricId);
    if (item.outcome?.kind !== 'snoozed' && item.outcome?.kind !== 'skipped') return { reminder, outcome: item.outcome };
    await this.options.store.deleteReminderMute(slackUserId, metricId);
    const changed = await this.options.rows.reopen(slackUserId, metricId, ['snoozed', 'skipped']);
    return { reminder: changed.find((r) => r.id === reminder.id) ?? reminder, outcome: null };
  }

  /** "Show the next ones": the message pages through rows it cannot show at once. */
  async nextPage(slackUserId: string, reminderId: number): Promise<Reminder> {
    const reminder = await this.ownReminder(slackUserId, reminderId);
    const next = reminder.pageOffset + ROWS_PER_MESSAGE < reminder.itemCount ? reminder.pageOffset + ROWS_PER_MESSAGE : 0;
    await this.options.store.setReminderPage(reminder.id, next);
    const updated = (await this.options.store.getReminder(reminder.id))!;
    await this.options.rows.rerender([updated]);
    return updated;
  }
}
