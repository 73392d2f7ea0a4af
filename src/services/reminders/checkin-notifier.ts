/**
 * Wraps the check-in notifier so that reminders hear of every check-in that lands, whichever
 * surface it came from: the reminder rows naming that key result are updated in place. A "No
 * change" clicked on a reminder already shows in its row, so it gets no separate confirmation DM
 * unless it landed late (from the outbox).
 */
import type { Logger } from '../../logger.js';
import type { OutboxEntry } from '../../store/store.js';
import type { CheckInChange, CheckInNotifier } from '../checkins.js';
import type { ReminderService } from './reminder-service.js';

export class ReminderAwareNotifier implements CheckInNotifier {
  private reminders: Pick<ReminderService, 'checkInDelivered'> | null = null;

  constructor(
    private readonly inner: CheckInNotifier,
    private readonly logger: Logger,
  ) {}

  /** Late binding: the reminder service is built after the check-in service it listens to. */
  attach(reminders: Pick<ReminderService, 'checkInDelivered'>): void {
    this.reminders = reminders;
  }

  async delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void> {
    const fromReminder = entry.idempotencyKey.startsWith('reminder:');
    if (late || !fromReminder) await this.inner.delivered(entry, change, late);
    try {
      await this.reminders?.checkInDelivered(entry, change);
    } catch (error) {
      this.logger.warn({ err: error, outboxId: entry.id }, 'could not show a check-in on its reminder');
    }
  }

  async rejected(entry: OutboxEntry, reason: string): Promise<void> {
    await this.inner.rejected(entry, reason);
  }
}
