/**
 * Publishing a person's App Home again after their check-in lands: a modal opened from the Home tab
 * closes back onto it, and its row must show the new value and no longer "due". views.publish is
 * rate-limited (Tier 4), so the Home is published only for the person who checked in, at most once per
 * delivery, and a burst of deliveries (the outbox catching up, a late "No change for all") is one
 * publish per person: a check-in that lands while that person's publish waits joins it; one that lands
 * while it runs brings one more after it (the running one may have read Gtmhub before it landed). It
 * never holds up anything: failures are logged and the tab keeps its last content until the next
 * refresh or the next time the person opens it (app_home_opened).
 */
import type { HomeView } from '@slack/types';
import type { Logger } from '../../logger.js';

/** How long a refresh waits for more check-ins of the same person before it publishes. */
export const HOME_REFRESH_WAIT_MS = 1000;
/** How many delivered check-ins are remembered, so a notice sent again does not publish again. */
const REMEMBERED_DELIVERIES = 10_000;

export interface HomeRefreshOptions {
  /** The person's Home as it is now (the Slack app renders it from the services). */
  render: (slackUserId: string) => Promise<HomeView>;
  publish: (slackUserId: string, view: HomeView) => Promise<void>;
  logger: Logger;
  waitMs?: number;
}

type Pending = { state: 'waiting' } | { state: 'running'; again: boolean };

export class HomeRefresh {
  private readonly pending = new Map<string, Pending>();
  private readonly refreshed = new Set<number>();
  private readonly waitMs: number;

  constructor(private readonly options: HomeRefreshOptions) {
    this.waitMs = options.waitMs ?? HOME_REFRESH_WAIT_MS;
  }

  /** A check-in (its outbox entry) landed for this person; returns at once. */
  checkInLanded(outboxId: number, slackUserId: string): void {
    if (this.refreshed.has(outboxId)) return;
    this.refreshed.add(outboxId);
    if (this.refreshed.size > REMEMBERED_DELIVERIES) this.refreshed.delete(this.refreshed.values().next().value!);
    this.request(slackUserId);
  }

  private request(slackUserId: string): void {
    const pending = this.pending.get(slackUserId);
    if (pending?.state === 'waiting') return;
    if (pending?.state === 'running') {
      pending.again = true;
      return;
    }
    this.pending.set(slackUserId, { state: 'waiting' });
    setTimeout(() => void this.publish(slackUserId), this.waitMs).unref();
  }

  private async publish(slackUserId: string): Promise<void> {
    const running: Pending = { state: 'running', again: false };
    this.pending.set(slackUserId, running);
    try {
      await this.options.publish(slackUserId, await this.options.render(slackUserId));
    } catch (error) {
      this.options.logger.warn({ err: error, slackUserId }, 'could not publish the App Home after a check-in');
    } finally {
      this.pending.delete(slackUserId);
      if (running.again) this.request(slackUserId);
    }
  }
}
