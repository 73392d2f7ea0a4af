/**
 * Tells people what became of their check-ins, and lets reminders hear of every check-in that lands,
 * whichever surface it came from: the reminder rows naming that key result are updated in place. A
 * "No change" made on a reminder already shows in its row, so it gets no separate confirmation DM
 * unless it landed late (from the outbox).
 */
import type { Logger } from '../../logger.js';
import type { OutboxEntry, RejectedKeyResult } from '../../store/store.js';
import type { CheckInChange, CheckInNotifier } from '../checkin-types.js';
import type { ReminderRows } from './reminder-rows.js';

export class ReminderAwareNotifier implements CheckInNotifier {
  constructor(
    private readonly inner: CheckInNotifier,
    private readonly rows: Pick<ReminderRows, 'checkInDelivered'>,
    private readonly logger: Logger,
  ) {}

  async delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void> {
    if (late || entry.origin === 'modal') await this.inner.delivered(entry, change, late);
    try {
      await this.rows.checkInDelivered(entry, change);
    } catch (error) {
      this.logger.warn({ err: error, outboxId: entry.id }, 'could not show a check-in on its reminder');
    }
  }

  async rejected(entry: OutboxEntry, reason: string, keyResult?: RejectedKeyResult): Promise<void> {
    await this.inner.rejected(entry, reason, keyResult);
  }
}
