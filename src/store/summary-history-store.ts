/** Each posted summary's overall progress, so the next one can draw the line of progress against pace. */

export interface SummaryProgressPoint {
  takenAt: Date;
  /** Mean attainment (each key result capped to 0–100 %), as the summary showed it. */
  overall: number;
  /** Mean expected progress by then (the pace), null when no key result had a known pace. */
  expected: number | null;
  keyResults: number;
}

export interface SummaryHistoryStore {
  /** Records a posted summary's progress under `key` (a subscription, or channel + scope). */
  recordSummaryProgress(key: string, point: SummaryProgressPoint): Promise<void>;
  /** The most recent `limit` points of `key`, oldest first. */
  listSummaryProgress(key: string, limit: number): Promise<SummaryProgressPoint[]>;
}
