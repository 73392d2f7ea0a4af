/**
 * The rows of people's reminder DMs: records what became of a key result on every open reminder that
 * names it, and updates those messages in place (chat.update with the stored channel and ts). Check-in
 * notifications (any surface) and the reminder buttons both come through here. A check-in made from
 * Slack also shows on the same key result's open rows in its co-owners' DMs ("already checked in by").
 * Check-ins made in Gtmhub's own web app do not come through here (a row shows them when clicked).
 */
import type { Clock } from '../../clock.js';
import { signerOf } from '../../domain/checkin-signature.js';
import { confidenceLabel } from '../../domain/confidence-levels.js';
import { DEFAULT_CONFIDENCE_SCALE } from '../../gtmhub/confidence-scale.js';
import type { Logger } from '../../logger.js';
import type { Reminder, ReminderOutcome, ReminderStore } from '../../store/reminder-store.js';
import type { OutboxEntry } from '../../store/store.js';
import type { CheckInChange } from '../checkin-types.js';
import type { ConfidenceScaleService } from '../confidence-scale.js';
import { RateLimitGate } from './pacing.js';
import type { ReminderMessage, ReminderMessenger } from './ports.js';

export interface ReminderRowsOptions {
  store: ReminderStore;
  messenger: Pick<ReminderMessenger, 'updateReminder'>;
  clock: Clock;
  logger: Logger;
  /** The account's confidence labels for a check-in's confidence (without it, Gtmhub's default 0–1 scale). */
  confidenceScale?: Pick<ConfidenceScaleService, 'known'>;
}

/** Outcomes are flat records of primitives: equal when they hold the same fields with the same values, in any order. */
function sameOutcome(a: ReminderOutcome | null, b: ReminderOutcome): boolean {
  if (a === null) return false;
  const left = a as unknown as Record<string, unknown>;
  const right = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => left[key] === right[key]);
}

/** A check-in still waiting for Gtmhub never replaces one that Gtmhub already has (concurrent clicks finish in any order). */
function isDowngrade(current: ReminderOutcome | null, next: ReminderOutcome): boolean {
  const landed = (o: ReminderOutcome | null) => (o?.kind === 'no_change' || o?.kind === 'checked_in') && !o.pending;
  return landed(current) && 'pending' in next && next.pending === true;
}

/**
 * The same check-in told twice (its delivery, then the button that made it, in either order): the
 * telling without the check-in's date and confidence keeps those the row already has.
 */
function keepDetails(current: ReminderOutcome | null, next: ReminderOutcome): ReminderOutcome {
  if (!current || next.kind !== current.kind || (next.kind !== 'no_change' && next.kind !== 'checked_in')) return next;
  const known = current as typeof next;
  if (next.at !== undefined || known.at === undefined || Boolean(next.pending) !== Boolean(known.pending)) return next;
  const same = next.kind === 'no_change' ? next.value === (known as typeof next).value : next.to === (known as typeof next).to && next.from === (known as typeof next).from;
  return same ? { ...next, at: known.at, ...(known.confidence === undefined ? {} : { confidence: known.confidence }) } : next;
}

export class ReminderRows {
  constructor(private readonly options: ReminderRowsOptions) {}

  /**
   * A check-in landed (from any surface of this app): the person's rows naming that key result in open
   * reminders say so, with its value, date and confidence; so do the open rows of the same key result
   * in other people's reminders (its co-owners'), as checked in by that person. Each message changed
   * is updated once; a message that cannot be updated is logged, never an error of the check-in.
   */
  async checkInDelivered(entry: OutboxEntry, change: CheckInChange | null): Promise<void> {
    const at = entry.submittedAt.toISOString();
    const confidence = await this.confidenceOf(entry.confidence);
    const outcome: ReminderOutcome =
      entry.origin === 'modal'
        ? { kind: 'checked_in', from: change?.previousActual ?? null, to: entry.actual, at, confidence }
        : { kind: 'no_change', value: entry.actual, at, confidence };
    await this.options.store.deleteReminderMute(entry.slackUserId, entry.metricId);
    const changed = new Map<number, Reminder>();
    try {
      for (const reminder of await this.applyEverywhere(entry.slackUserId, entry.metricId, outcome, null, false)) changed.set(reminder.id, reminder);
    } finally {
      // Whatever became of the person's own rows, their co-owners' DMs hear of the check-in.
      try {
        const coOwners: ReminderOutcome = { kind: 'already_checked_in', at, by: signerOf(entry.comment), bySlackUserId: entry.slackUserId, value: entry.actual, confidence };
        for (const reminder of await this.settleOthers(entry.slackUserId, entry.metricId, coOwners)) changed.set(reminder.id, reminder);
      } catch (error) {
        this.options.logger.warn({ err: error, outboxId: entry.id }, "could not show a check-in on its co-owners' reminders");
      }
      await this.rerender([...changed.values()]);
    }
  }

  /**
   * A check-in's confidence as the account names it; null when it had none. The scale as last read (the
   * form and the reminder pass read it), without waiting: a row's update never waits on Gtmhub.
   */
  private async confidenceOf(value: number | null): Promise<string | null> {
    if (value === null || !Number.isFinite(value)) return null;
    return confidenceLabel(this.options.confidenceScale?.known() ?? DEFAULT_CONFIDENCE_SCALE, value);
  }

  /**
   * Other people's open rows of this key result that nobody acted on (or that showed an earlier
   * check-in made elsewhere) now show `outcome`. What they did themselves (snoozed, skipped, checked in)
   * stays theirs.
   */
  private async settleOthers(slackUserId: string, metricId: string, outcome: ReminderOutcome): Promise<Reminder[]> {
    const { store, clock } = this.options;
    const now = clock.now();
    const changed: Reminder[] = [];
    for (const item of await store.findOpenReminderItemsOfKeyResult(metricId, now)) {
      if (item.slackUserId === slackUserId) continue;
      if (item.outcome !== null && item.outcome.kind !== 'already_checked_in') continue;
      if (sameOutcome(item.outcome, outcome)) continue;
      await store.setReminderItemOutcome(item.reminderId, metricId, outcome, now);
      const reminder = await store.getReminder(item.reminderId);
      if (reminder) changed.push(reminder);
    }
    return changed;
  }

  /**
   * An undone check-in, snooze or skip: the key result's rows that say so (outcome of one of `kinds`)
   * in the person's open reminders open again, buttons back.
   */
  async reopen(slackUserId: string, metricId: string, kinds: ReadonlyArray<ReminderOutcome['kind']>): Promise<Reminder[]> {
    const { store, clock } = this.options;
    const now = clock.now();
    const changed: Reminder[] = [];
    for (const item of await store.findOpenReminderItems(slackUserId, metricId, now)) {
      if (!item.outcome || !kinds.includes(item.outcome.kind)) continue;
      await store.setReminderItemOutcome(item.reminderId, metricId, null, now);
      const reminder = await store.getReminder(item.reminderId);
      if (reminder) changed.push(reminder);
    }
    // An undone check-in: co-owners' rows that showed it as "already checked in by" this person open again.
    if (kinds.includes('checked_in') || kinds.includes('no_change')) {
      try {
        for (const item of await store.findOpenReminderItemsOfKeyResult(metricId, now)) {
          if (item.slackUserId === slackUserId || item.outcome?.kind !== 'already_checked_in' || item.outcome.bySlackUserId !== slackUserId) continue;
          await store.setReminderItemOutcome(item.reminderId, metricId, null, now);
          const reminder = await store.getReminder(item.reminderId);
          if (reminder) changed.push(reminder);
        }
      } catch (error) {
        this.options.logger.warn({ err: error, metricId }, "could not reopen an undone check-in on its co-owners' reminders");
      }
    }
    await this.rerender(changed);
    return changed;
  }

  /** Records `outcome` on the clicked row and on the same key result's rows in the person's other open reminders. */
  async settle(reminder: Reminder, metricId: string, outcome: ReminderOutcome, render = true): Promise<{ reminder: Reminder; outcome: ReminderOutcome }> {
    const changed = await this.applyEverywhere(reminder.slackUserId, metricId, outcome, reminder, render);
    return { reminder: changed.find((r) => r.id === reminder.id) ?? (await this.options.store.getReminder(reminder.id)) ?? reminder, outcome };
  }

  /** The reminders whose rows changed (rendered unless `render` is false, for callers that update several at once). */
  async applyEverywhere(slackUserId: string, metricId: string, outcome: ReminderOutcome, clicked: Reminder | null, render = true): Promise<Reminder[]> {
    const { store, clock } = this.options;
    const now = clock.now();
    const items = await store.findOpenReminderItems(slackUserId, metricId, now);
    if (clicked && !items.some((i) => i.reminderId === clicked.id)) {
      const own = (await store.listReminderItems(clicked.id)).find((i) => i.metricId === metricId);
      if (own) items.push(own);
    }
    const changed: Reminder[] = [];
    for (const item of items) {
      const next = keepDetails(item.outcome, outcome);
      if (sameOutcome(item.outcome, next) || isDowngrade(item.outcome, next)) continue;
      await store.setReminderItemOutcome(item.reminderId, metricId, next, now);
      const reminder = await store.getReminder(item.reminderId);
      if (reminder) changed.push(reminder);
    }
    if (render) await this.rerender(changed);
    return changed;
  }

  /** chat.update with the stored channel and ts: the message shows what happened. */
  async rerender(reminders: Reminder[]): Promise<void> {
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
