import type pg from 'pg';
import type { ActionClaimStore } from '../action-claim-store.js';
import { validDate } from './values.js';

/** Action claims (migration 009): the insert that wins is the claim. */
export function postgresActionClaimStore(pool: pg.Pool): ActionClaimStore {
  return {
    async claimAction(key, now) {
      const inserted = await pool.query('INSERT INTO action_claims (key, claimed_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, validDate(now)]);
      if ((inserted.rowCount ?? 0) > 0) return { claimed: true };
      const { rows } = await pool.query<{ key: string; claimed_at: Date; result: string | null }>('SELECT key, claimed_at, result FROM action_claims WHERE key = $1', [key]);
      const row = rows[0];
      if (!row) return this.claimAction(key, now);
      return { claimed: false, claim: { key: row.key, claimedAt: row.claimed_at, result: row.result } };
    },
    async getActionClaim(key) {
      const { rows } = await pool.query<{ key: string; claimed_at: Date; result: string | null }>('SELECT key, claimed_at, result FROM action_claims WHERE key = $1', [key]);
      const row = rows[0];
      return row ? { key: row.key, claimedAt: row.claimed_at, result: row.result } : null;
    },
    async setActionResult(key, result) {
      await pool.query('UPDATE action_claims SET result = $1 WHERE key = $2', [result, key]);
    },
    async releaseAction(key) {
      return ((await pool.query('DELETE FROM action_claims WHERE key = $1', [key])).rowCount ?? 0) > 0;
    },
  };
}
