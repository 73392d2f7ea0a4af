import type { Database } from 'better-sqlite3';
import type { SummaryHistoryStore, SummaryProgressPoint } from '../summary-history-store.js';
import { fromMillis, toMillis } from './dates.js';

interface ProgressRow {
  taken_at: number;
  overall: number;
  expected: number | null;
  key_results: number;
}

export function sqliteSummaryHistoryStore(db: Database): SummaryHistoryStore {
  const upsert = db.prepare(
    `INSERT INTO summary_progress (progress_key, taken_at, overall, expected, key_results) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (progress_key, taken_at) DO UPDATE SET overall = excluded.overall, expected = excluded.expected, key_results = excluded.key_results`,
  );
  const recent = db.prepare<[string, number], ProgressRow>(
    'SELECT taken_at, overall, expected, key_results FROM summary_progress WHERE progress_key = ? ORDER BY taken_at DESC LIMIT ?',
  );
  return {
    async recordSummaryProgress(key, point) {
      upsert.run(key, toMillis(point.takenAt), point.overall, point.expected, point.keyResults);
    },
    async listSummaryProgress(key, limit) {
      return recent
        .all(key, Math.max(0, Math.floor(limit)))
        .reverse()
        .map((row): SummaryProgressPoint => ({ takenAt: fromMillis(row.taken_at), overall: row.overall, expected: row.expected, keyResults: row.key_results }));
    },
  };
}
