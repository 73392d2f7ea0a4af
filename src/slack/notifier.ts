import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import type { CheckInChange, CheckInNotifier } from '../services/checkins.js';
import type { OutboxEntry } from '../store/store.js';
import { checkInConfirmation, checkInRejectedNotice } from './blocks/checkin-confirmation.js';

/** Check-in outcomes as DMs from the app (chat.postMessage to a user id lands in the app's DM). */
export class SlackCheckInNotifier implements CheckInNotifier {
  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
  ) {}

  async delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void> {
    await this.post(entry.slackUserId, checkInConfirmation(entry, change, late));
  }

  async rejected(entry: OutboxEntry, reason: string): Promise<void> {
    await this.post(entry.slackUserId, checkInRejectedNotice(entry, reason));
  }

  private async post(channel: string, message: { text: string; blocks: unknown[] }): Promise<void> {
    try {
      await this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never });
    } catch (error) {
      // The check-in itself is safe in Gtmhub or the outbox; a lost notice must not undo that.
      this.logger.warn({ err: error, channel }, 'could not DM a check-in outcome');
    }
  }
}
