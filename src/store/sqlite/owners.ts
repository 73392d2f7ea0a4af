import type { Database } from 'better-sqlite3';
import type { OwnerLink, OwnerLinkSource, OwnerStore, SlackProfile } from '../store.js';
import { fromMillis, fromMillisOrNull, toMillis, toMillisOrNull } from './dates.js';

interface OwnerLinkRow {
  slack_user_id: string;
  gtmhub_user_id: string;
  email: string | null;
  source: OwnerLinkSource;
  linked_by: string | null;
  created_at: number;
  expires_at: number | null;
}

interface SlackProfileRow {
  slack_user_id: string;
  email: string | null;
  tz: string | null;
  real_name: string | null;
  fetched_at: number;
}

function ownerLinkFromRow(row: OwnerLinkRow): OwnerLink {
  return {
    slackUserId: row.slack_user_id,
    gtmhubUserId: row.gtmhub_user_id,
    email: row.email,
    source: row.source,
    linkedBy: row.linked_by,
    createdAt: fromMillis(row.created_at),
    expiresAt: fromMillisOrNull(row.expires_at),
  };
}

function slackProfileFromRow(row: SlackProfileRow): SlackProfile {
  return {
    slackUserId: row.slack_user_id,
    email: row.email,
    tz: row.tz,
    realName: row.real_name,
    fetchedAt: fromMillis(row.fetched_at),
  };
}

/** Owner links and cached Slack profiles (migration 001). */
export function sqliteOwnerStore(db: Database): OwnerStore {
  const getLink = db.prepare<[string], OwnerLinkRow>('SELECT * FROM owner_links WHERE slack_user_id = ?');
  // Manual links first: they win over email matches wherever a caller takes the first.
  const linksByGtmhubUser = db.prepare<[string], OwnerLinkRow>(
    `SELECT * FROM owner_links WHERE gtmhub_user_id = ?
     ORDER BY CASE source WHEN 'manual' THEN 0 ELSE 1 END, created_at DESC, slack_user_id`,
  );
  const putLink = db.prepare(
    `INSERT INTO owner_links (slack_user_id, gtmhub_user_id, email, source, linked_by, created_at, expires_at)
     VALUES (@slackUserId, @gtmhubUserId, @email, @source, @linkedBy, @createdAt, @expiresAt)
     ON CONFLICT (slack_user_id) DO UPDATE SET
       gtmhub_user_id = excluded.gtmhub_user_id, email = excluded.email, source = excluded.source,
       linked_by = excluded.linked_by, created_at = excluded.created_at, expires_at = excluded.expires_at`,
  );
  const deleteLink = db.prepare('DELETE FROM owner_links WHERE slack_user_id = ?');
  const getProfile = db.prepare<[string], SlackProfileRow>('SELECT * FROM slack_profiles WHERE slack_user_id = ?');
  const putProfile = db.prepare(
    `INSERT INTO slack_profiles (slack_user_id, email, tz, real_name, fetched_at)
     VALUES (@slackUserId, @email, @tz, @realName, @fetchedAt)
     ON CONFLICT (slack_user_id) DO UPDATE SET
       email = excluded.email, tz = excluded.tz, real_name = excluded.real_name, fetched_at = excluded.fetched_at`,
  );

  return {
    async getOwnerLink(slackUserId) {
      const row = getLink.get(slackUserId);
      return row ? ownerLinkFromRow(row) : null;
    },
    async findOwnerLinksByGtmhubUser(gtmhubUserId) {
      return linksByGtmhubUser.all(gtmhubUserId).map(ownerLinkFromRow);
    },
    async putOwnerLink(link) {
      putLink.run({
        slackUserId: link.slackUserId,
        gtmhubUserId: link.gtmhubUserId,
        email: link.email,
        source: link.source,
        linkedBy: link.linkedBy,
        createdAt: toMillis(link.createdAt),
        expiresAt: toMillisOrNull(link.expiresAt),
      });
    },
    async deleteOwnerLink(slackUserId) {
      return deleteLink.run(slackUserId).changes > 0;
    },
    async getSlackProfile(slackUserId) {
      const row = getProfile.get(slackUserId);
      return row ? slackProfileFromRow(row) : null;
    },
    async putSlackProfile(profile) {
      putProfile.run({
        slackUserId: profile.slackUserId,
        email: profile.email,
        tz: profile.tz,
        realName: profile.realName,
        fetchedAt: toMillis(profile.fetchedAt),
      });
    },
  };
}
