import type pg from 'pg';
import type { OwnerLink, OwnerLinkSource, OwnerStore, SlackProfile } from '../store.js';
import { validDate, validDateOrNull } from './values.js';

interface OwnerLinkRow {
  slack_user_id: string;
  gtmhub_user_id: string;
  email: string | null;
  source: OwnerLinkSource;
  linked_by: string | null;
  created_at: Date;
  expires_at: Date | null;
}

interface SlackProfileRow {
  slack_user_id: string;
  email: string | null;
  tz: string | null;
  real_name: string | null;
  fetched_at: Date;
}

function ownerLinkFromRow(row: OwnerLinkRow): OwnerLink {
  return {
    slackUserId: row.slack_user_id,
    gtmhubUserId: row.gtmhub_user_id,
    email: row.email,
    source: row.source,
    linkedBy: row.linked_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

function slackProfileFromRow(row: SlackProfileRow): SlackProfile {
  return { slackUserId: row.slack_user_id, email: row.email, tz: row.tz, realName: row.real_name, fetchedAt: row.fetched_at };
}

/** Owner links and cached Slack profiles (migration 001). */
export function postgresOwnerStore(pool: pg.Pool): OwnerStore {
  return {
    async getOwnerLink(slackUserId) {
      const { rows } = await pool.query<OwnerLinkRow>('SELECT * FROM owner_links WHERE slack_user_id = $1', [slackUserId]);
      return rows[0] ? ownerLinkFromRow(rows[0]) : null;
    },
    async findOwnerLinksByGtmhubUser(gtmhubUserId) {
      // Manual links first: they win over email matches wherever a caller takes the first.
      const { rows } = await pool.query<OwnerLinkRow>(
        `SELECT * FROM owner_links WHERE gtmhub_user_id = $1
         ORDER BY CASE source WHEN 'manual' THEN 0 ELSE 1 END, created_at DESC, slack_user_id COLLATE "C"`,
        [gtmhubUserId],
      );
      return rows.map(ownerLinkFromRow);
    },
    async putOwnerLink(link) {
      await pool.query(
        `INSERT INTO owner_links (slack_user_id, gtmhub_user_id, email, source, linked_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (slack_user_id) DO UPDATE SET
           gtmhub_user_id = excluded.gtmhub_user_id, email = excluded.email, source = excluded.source,
           linked_by = excluded.linked_by, created_at = excluded.created_at, expires_at = excluded.expires_at`,
        [link.slackUserId, link.gtmhubUserId, link.email, link.source, link.linkedBy, validDate(link.createdAt), validDateOrNull(link.expiresAt)],
      );
    },
    async deleteOwnerLink(slackUserId) {
      return ((await pool.query('DELETE FROM owner_links WHERE slack_user_id = $1', [slackUserId])).rowCount ?? 0) > 0;
    },
    async getSlackProfile(slackUserId) {
      const { rows } = await pool.query<SlackProfileRow>('SELECT * FROM slack_profiles WHERE slack_user_id = $1', [slackUserId]);
      return rows[0] ? slackProfileFromRow(rows[0]) : null;
    },
    async putSlackProfile(profile) {
      await pool.query(
        `INSERT INTO slack_profiles (slack_user_id, email, tz, real_name, fetched_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (slack_user_id) DO UPDATE SET
           email = excluded.email, tz = excluded.tz, real_name = excluded.real_name, fetched_at = excluded.fetched_at`,
        [profile.slackUserId, profile.email, profile.tz, profile.realName, validDate(profile.fetchedAt)],
      );
    },
  };
}
