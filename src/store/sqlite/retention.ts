import type { Database } from 'better-sqlite3';
import { RETENTION_RULES } from '../retention-rules.js';
import type { PrunedRows, RetentionStore } from '../store.js';
import { toMillis } from './dates.js';

export function sqliteRetentionStore(db: Database): RetentionStore {
  const deletes = RETENTION_RULES.map(({ table, where }) => ({ table, statement: db.prepare(`DELETE FROM ${table} WHERE ${where.replaceAll(':before', '@before')}`) }));
  const prune = db.transaction((before: number) => {
    const pruned: PrunedRows = {};
    for (const { table, statement } of deletes) pruned[table] = statement.run({ before }).changes;
    return pruned;
  });
  return {
    async pruneHistory(before) {
      return prune.immediate(toMillis(before));
    },
  };
}
