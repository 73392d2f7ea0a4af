import type { Database } from 'better-sqlite3';
import type { ActionClaimStore } from '../action-claim-store.js';
import { fromMillis, toMillis } from './dates.js';

/** Action claims (migration 009): the insert that wins is the claim. */
export function sqliteActionClaimStore(db: Database): ActionClaimStore {
  const insert = db.prepare('INSERT INTO action_claims (key, claimed_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
  const read = db.prepare<[string], { key: string; claimed_at: number; result: string | null }>('SELECT key, claimed_at, result FROM action_claims WHERE key = ?');
  const setResult = db.prepare('UPDATE action_claims SET result = ? WHERE key = ?');
  const release = db.prepare('DELETE FROM action_claims WHERE key = ?');
  return {
    async claimAction(key, now) {
      if (insert.run(key, toMillis(now)).changes > 0) return { claimed: true };
      const row = read.get(key);
      if (!row) return this.claimAction(key, now);
      return { claimed: false, claim: { key: row.key, claimedAt: fromMillis(row.claimed_at), result: row.result } };
    },
    async getActionClaim(key) {
      const row = read.get(key);
      return row ? { key: row.key, claimedAt: fromMillis(row.claimed_at), result: row.result } : null;
    },
    async setActionResult(key, result) {
      setResult.run(result, key);
    },
    async releaseAction(key) {
      return release.run(key).changes > 0;
    },
  };
}
