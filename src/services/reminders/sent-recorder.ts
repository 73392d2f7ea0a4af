import type { Clock } from '../../clock.js';
import type { ReminderStore } from '../../store/reminder-store.js';

export type SentEntry = { id: number; claimToken: string; channelId: string; ts: string };

/**
 * Records posted reminders (channel + ts) in small batches: one durable write per batch instead of
 * one fsync per person, at most `maxDelayMs` after the post.
 */
export class SentRecorder {
  private queue: Array<{ entry: SentEntry; resolve: (recorded: boolean) => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Pick<ReminderStore, 'markRemindersSent'>,
    private readonly clock: Clock,
    private readonly maxBatch = 25,
    private readonly maxDelayMs = 50,
  ) {}

  record(entry: SentEntry): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (this.queue.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
    });
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0);
    if (batch.length === 0) return;
    try {
      const results = await this.store.markRemindersSent(batch.map((b) => b.entry), this.clock.now());
      batch.forEach((b, i) => b.resolve(results[i] ?? false));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}
