/**
 * The account's confidence scale (levels and labels), read once and kept per process for a while:
 * the check-in modal offers its levels, summaries and DMs show its labels. Without a readable scale,
 * Gtmhub's default 0–1 in tenths (gtmhub/confidence-scale.ts holds how the settings are read).
 */
import type { Clock } from '../clock.js';
import { DEFAULT_CONFIDENCE_SCALE, type ConfidenceScale } from '../gtmhub/confidence-scale.js';
export { confidenceLabel, confidenceLevelOf, isOfferedConfidence } from '../domain/confidence-levels.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import type { Logger } from '../logger.js';

export interface ConfidenceScaleServiceOptions {
  gtmhub: Pick<GtmhubClient, 'getConfidenceScale'>;
  clock: Clock;
  logger: Logger;
  /** How long a read scale is trusted (an admin may change it in Gtmhub). */
  ttlMs?: number;
  /** After a failed read, how long the default (or the last scale) is used before asking again. */
  retryAfterMs?: number;
}

export class ConfidenceScaleService {
  private cached: { scale: ConfidenceScale; until: number } | null = null;
  private loading: Promise<ConfidenceScale> | null = null;

  constructor(private readonly options: ConfidenceScaleServiceOptions) {}

  /** The scale, from the cache while it is fresh. Never throws: a failed read gives the last known or default scale. */
  async scale(): Promise<ConfidenceScale> {
    const now = this.options.clock.now().getTime();
    if (this.cached && now < this.cached.until) return this.cached.scale;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** The scale if one was read (or fell back) before, without waiting: for answers that must be quick. */
  known(): ConfidenceScale | null {
    return this.cached?.scale ?? null;
  }

  private async load(): Promise<ConfidenceScale> {
    const started = this.options.clock.now().getTime();
    try {
      const scale = await this.options.gtmhub.getConfidenceScale();
      this.cached = { scale, until: started + (this.options.ttlMs ?? 15 * 60_000) };
      return scale;
    } catch (error) {
      const scale = this.cached?.scale ?? DEFAULT_CONFIDENCE_SCALE;
      this.options.logger.warn({ err: error }, 'could not read the confidence scale; using the last known one');
      this.cached = { scale, until: started + (this.options.retryAfterMs ?? 60_000) };
      return scale;
    }
  }
}
