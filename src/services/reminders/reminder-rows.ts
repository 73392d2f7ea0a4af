/**
 * The rows of people's reminder DMs: records what became of a key result on every open reminder that
 * names it, and updates those messages in place (chat.update with the stored channel and ts). Check-in
 * notifications (any surface) and the reminder buttons both come through here.
 */
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Reminder, ReminderOutcome, ReminderStore } from '../../store/reminder-store.js';
import type { OutboxEntry } from '../../store/store.js';
import type { CheckInChange } from '../checkin-types.js';
import { RateLimitGate } from './pacing.js';
import type { ReminderMessage, ReminderMessenger } from './ports.js';

export interface ReminderRowsOptions {
  store: ReminderStore;
  messenger: Pick<ReminderMessenger, 'updateReminder'>;
  clock: Clock;
  logger: Logger;
}

function sameOutcome(a: ReminderOutcome | null, b: ReminderOutcome): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** A check-in still waiting for Gtmhub never replaces one that Gtmhub already has (concurrent clicks finish in any order). */
function isDowngrade(current: ReminderOutcome | null, next: ReminderOutcome): boolean {
  const landed = (o: ReminderOutcome | null) => (o?.kind === 'no_change' || o?.kind === 'checked_in') && !o.pending;
  return landed(current) && 'pending' in next && next.pending === true;
}

export class ReminderRows {
  constructor(private readonly options: ReminderRowsOptions) {}

  /** A check-in landed (from any surface): rows naming that key result in open reminders say so. */
  async checkInDelivered(entry: OutboxEntry, change: CheckInChange | null): Promise<void> {
    const outcome: ReminderOutcome = entry.origin === 'modal' ? { kind: 'checked_in', from: change?.previousActual ?? null, to: entry.actual } : { kind: 'no_change', value: entry.actual };
    await this.options.store.deleteReminderMute(entry.slackUserId, entry.metricId);
    await this.applyEverywhere(entry.slackUserId, entry.metricId, outcome, null);
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
      if (sameOutcome(item.outcome, outcome) || isDowngrade(item.outcome, outcome)) continue;
      await store.setReminderItemOutcome(item.reminderId, metricId, outcome, now);
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
