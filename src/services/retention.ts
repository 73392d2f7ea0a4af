/**
 * Keeps the bot's own history bounded: what only grows with use (finished check-ins with their
 * comments, summary runs, old reminders, caches) is kept `retentionDays` for support, then deleted.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { PrunedRows, RetentionStore } from '../store/store.js';

const DAY_MS = 86_400_000;

export class RetentionService {
  constructor(
    private readonly options: { store: RetentionStore; clock: Clock; logger: Logger; retentionDays: number },
  ) {
    if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) throw new RangeError('retentionDays must be a whole number of days ≥ 1');
  }

  async prune(): Promise<PrunedRows> {
    const before = new Date(this.options.clock.now().getTime() - this.options.retentionDays * DAY_MS);
    const pruned = await this.options.store.pruneHistory(before);
    this.options.logger.info({ before, pruned }, 'retention: deleted history older than the retention period');
    return pruned;
  }
}
