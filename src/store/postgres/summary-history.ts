import type pg from 'pg';
import type { SummaryHistoryStore, SummaryProgressPoint } from '../summary-history-store.js';
import { validDate } from './values.js';

export function postgresSummaryHistoryStore(pool: pg.Pool): SummaryHistoryStore {
  return {
    async recordSummaryProgress(key, point) {
      await pool.query(
        `INSERT INTO summary_progress (progress_key, taken_at, overall, expected, key_results) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (progress_key, taken_at) DO UPDATE SET overall = excluded.overall, expected = excluded.expected, key_results = excluded.key_results`,
        [key, validDate(point.takenAt), point.overall, point.expected, point.keyResults],
      );
    },
    async listSummaryProgress(key, limit) {
      const { rows } = await pool.query<{ taken_at: Date; overall: number; expected: number | null; key_results: number }>(
        'SELECT taken_at, overall, expected, key_results FROM summary_progress WHERE progress_key = $1 ORDER BY taken_at DESC LIMIT $2',
        [key, Math.max(0, Math.floor(limit))],
      );
      return rows
        .reverse()
        .map((row): SummaryProgressPoint => ({ takenAt: row.taken_at, overall: row.overall, expected: row.expected, keyResults: row.key_results }));
    },
  };
}
