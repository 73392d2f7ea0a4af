/**
 * Telling people what became of their check-ins, durably: the notice is stored with its outbox entry
 * before the first send, sent on its own (never holding up a delivery), and sent again by the outbox
 * worker after a failure or a restart until Slack takes it or it has been tried `maxAttempts` times.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CheckInNotice, OutboxEntry, OutboxStore, RejectedKeyResult } from '../store/store.js';
import type { CheckInChange, CheckInNotifier } from './checkin-types.js';
import { SlackRateLimitedError } from './ports.js';

export interface CheckInNoticesOptions {
  store: OutboxStore;
  notifier: CheckInNotifier;
  clock: Clock;
  logger: Logger;
  /** How long one send may hold a notice before the worker may send it again. */
  holdMs?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  maxAttempts?: number;
}

function storedChange(change: CheckInChange | null): Record<string, unknown> | null {
  if (!change) return null;
  const { metricHistory: _history, ...metric } = change.metric as CheckInChange['metric'] & { metricHistory?: unknown };
  return { ...change, metric };
}

export class CheckInNotices {
  private readonly running = new Set<Promise<void>>();
  private readonly holdMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly options: CheckInNoticesOptions) {
    this.holdMs = options.holdMs ?? 60_000;
    this.retryDelayMs = options.retryDelayMs ?? 30_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 12;
  }

  /** Stores the notice, then sends it in the background. */
  async tell(entry: OutboxEntry, notice: CheckInNotice): Promise<void> {
    const now = this.options.clock.now();
    await this.options.store.queueNotice(entry.id, notice, new Date(now.getTime() + this.holdMs));
    this.start(entry, notice, 0);
  }

  delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void> {
    return this.tell(entry, { kind: 'delivered', late, change: storedChange(change) });
  }

  rejected(entry: OutboxEntry, reason: string, keyResult?: RejectedKeyResult): Promise<void> {
    return this.tell(entry, { kind: 'rejected', reason, ...(keyResult ? { keyResult } : {}) });
  }

  /** Starts sending the notices that are due (failed earlier, or their process died); does not wait for them. */
  async resendDue(limit = 20): Promise<number> {
    const due = await this.options.store.claimNotices(this.options.clock.now(), limit, this.holdMs);
    for (const { entry, notice, attempts } of due) this.start(entry, notice, attempts);
    return due.length;
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private start(entry: OutboxEntry, notice: CheckInNotice, attempts: number): void {
    const running = this.send(entry, notice, attempts);
    this.running.add(running);
    void running.finally(() => this.running.delete(running));
  }

  private async send(entry: OutboxEntry, notice: CheckInNotice, attempts: number): Promise<void> {
    const { store, notifier, clock, logger } = this.options;
    try {
      try {
        if (notice.kind === 'delivered') await notifier.delivered(entry, notice.change as CheckInChange | null, notice.late);
        else await notifier.rejected(entry, notice.reason, notice.keyResult);
      } catch (error) {
        if (attempts + 1 >= this.maxAttempts) {
          logger.error({ err: error, outboxId: entry.id, attempts: attempts + 1 }, 'gave up telling the person about a check-in');
          await store.finishNotice(entry.id);
          return;
        }
        const backoff = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** Math.min(attempts, 16));
        const delay = error instanceof SlackRateLimitedError ? Math.max(error.retryAfterMs, 1000) : backoff;
        logger.warn({ err: error, outboxId: entry.id, retryInMs: delay }, 'could not tell the person about a check-in; will retry');
        await store.retryNotice(entry.id, new Date(clock.now().getTime() + delay), error instanceof Error ? error.message : String(error));
        return;
      }
      await store.finishNotice(entry.id);
    } catch (error) {
      logger.warn({ err: error, outboxId: entry.id }, 'could not record a check-in notice');
    }
  }
}
