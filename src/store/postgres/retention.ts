import type pg from 'pg';
import { RETENTION_RULES } from '../retention-rules.js';
import type { PrunedRows, RetentionStore } from '../store.js';
import { validDate } from './values.js';

export function postgresRetentionStore(pool: pg.Pool): RetentionStore {
  return {
    async pruneHistory(before) {
      const pruned: PrunedRows = {};
      // One statement per table: each commits on its own, so a long pass never holds every table at once.
      for (const { table, where } of RETENTION_RULES) {
        const result = await pool.query(`DELETE FROM ${table} WHERE ${where.replaceAll(':before', '$1')}`, [validDate(before)]);
        pruned[table] = result.rowCount ?? 0;
      }
      return pruned;
    },
  };
}
