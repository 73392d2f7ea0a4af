import type { Clock } from '../clock.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import type { User } from '../gtmhub/types.js';
import type { Logger } from '../logger.js';
import type { OwnerLink, OwnerStore } from '../store/store.js';
import { InvalidInputError, NotAllowedError } from './errors.js';
import type { SlackDirectory } from './ports.js';

/** Why a Slack user has no Gtmhub owner. Each has its own message. */
export type UnmappedReason =
  | { kind: 'no_slack_user' }
  | { kind: 'no_email' }
  | { kind: 'no_gtmhub_user'; email: string };

export type OwnerResolution =
  | { mapped: true; gtmhubUserId: string; email: string | null; source: OwnerLink['source']; displayName: string | null }
  | { mapped: false; reason: UnmappedReason };

export interface OwnerServiceOptions {
  gtmhub: Pick<GtmhubClient, 'findUserByEmail'>;
  store: OwnerStore;
  slack: SlackDirectory;
  clock: Clock;
  logger: Logger;
  /** How long an email match is trusted before it is looked up again. */
  emailMatchTtlMs?: number;
  adminSlackUserIds: string[];
}


const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function displayNameOf(user: User): string | null {
  const full = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return full || user.name || null;
}

/**
 * Slack user → Gtmhub user: an admin's manual link wins; otherwise the Slack profile email is matched
 * (case-insensitively) against Gtmhub users and the match is cached for a while.
 */
export class OwnerService {
  private readonly ttlMs: number;

  constructor(private readonly options: OwnerServiceOptions) {
    this.ttlMs = options.emailMatchTtlMs ?? 24 * 60 * 60 * 1000;
  }

  isAdmin(slackUserId: string): boolean {
    return this.options.adminSlackUserIds.includes(slackUserId);
  }

  async resolve(slackUserId: string): Promise<OwnerResolution> {
    const { store, clock } = this.options;
    const now = clock.now();
    const link = await store.getOwnerLink(slackUserId);
    if (link && (link.source === 'manual' || (link.expiresAt && link.expiresAt > now))) {
      return { mapped: true, gtmhubUserId: link.gtmhubUserId, email: link.email, source: link.source, displayName: null };
    }

    try {
      return await this.lookUp(slackUserId, link, now);
    } catch (error) {
      // Slack or Gtmhub unreachable: an expired email match is better than refusing a check-in.
      if (!link) throw error;
      this.options.logger.warn({ err: error, slackUserId }, 'owner lookup failed; using the expired email match');
      return { mapped: true, gtmhubUserId: link.gtmhubUserId, email: link.email, source: link.source, displayName: null };
    }
  }

  private async lookUp(slackUserId: string, link: OwnerLink | null, now: Date): Promise<OwnerResolution> {
    const { store } = this.options;
    const profile = await this.options.slack.getUser(slackUserId);
    if (!profile || profile.deleted) return { mapped: false, reason: { kind: 'no_slack_user' } };
    await store.putSlackProfile({ slackUserId, email: profile.email, tz: profile.tz, realName: profile.realName, fetchedAt: now });
    if (!profile.email) return { mapped: false, reason: { kind: 'no_email' } };

    const user = await this.options.gtmhub.findUserByEmail(profile.email);
    if (!user) {
      if (link) await store.deleteOwnerLink(slackUserId);
      return { mapped: false, reason: { kind: 'no_gtmhub_user', email: profile.email } };
    }
    await store.putOwnerLink({
      slackUserId,
      gtmhubUserId: user.id,
      email: profile.email,
      source: 'email',
      linkedBy: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlMs),
    });
    return { mapped: true, gtmhubUserId: user.id, email: profile.email, source: 'email', displayName: displayNameOf(user) };
  }

  /** Admin command: link `slackUserId` to the Gtmhub user with `email`, overriding the email match. */
  async link(adminSlackUserId: string, slackUserId: string, email: string): Promise<{ gtmhubUserId: string; displayName: string | null }> {
    if (!this.isAdmin(adminSlackUserId)) throw new NotAllowedError('Only kr-checkin admins can link people to Gtmhub accounts.');
    const trimmed = email.trim();
    if (!EMAIL.test(trimmed)) throw new InvalidInputError(`\`${trimmed}\` is not an email address.`);
    const user = await this.options.gtmhub.findUserByEmail(trimmed);
    if (!user) throw new InvalidInputError(`No Gtmhub user has the email ${trimmed}.`);
    const now = this.options.clock.now();
    await this.options.store.putOwnerLink({
      slackUserId,
      gtmhubUserId: user.id,
      email: user.email ?? trimmed,
      source: 'manual',
      linkedBy: adminSlackUserId,
      createdAt: now,
      expiresAt: null,
    });
    this.options.logger.info({ slackUserId, gtmhubUserId: user.id, by: adminSlackUserId }, 'owner linked manually');
    return { gtmhubUserId: user.id, displayName: displayNameOf(user) };
  }

  /** Admin command: remove a link; the person falls back to the email match. */
  async unlink(adminSlackUserId: string, slackUserId: string): Promise<boolean> {
    if (!this.isAdmin(adminSlackUserId)) throw new NotAllowedError('Only kr-checkin admins can unlink people.');
    const removed = await this.options.store.deleteOwnerLink(slackUserId);
    this.options.logger.info({ slackUserId, by: adminSlackUserId, removed }, 'owner unlinked');
    return removed;
  }

  /** Gtmhub owner → Slack user: a manual or cached link first, then the owner's email in Slack. */
  async slackUserFor(gtmhubUserId: string, email: string | undefined): Promise<string | null> {
    const links = await this.options.store.findOwnerLinksByGtmhubUser(gtmhubUserId);
    const manual = links.find((l) => l.source === 'manual');
    if (manual) return manual.slackUserId;
    const now = this.options.clock.now();
    const cached = links.find((l) => l.expiresAt && l.expiresAt > now);
    if (cached) return cached.slackUserId;
    if (!email) return null;
    const profile = await this.options.slack.findUserByEmail(email);
    if (!profile || profile.deleted || profile.isBot) return null;
    // A manual link of that Slack user to someone else wins over the email match.
    const existing = await this.options.store.getOwnerLink(profile.slackUserId);
    if (existing?.source === 'manual' && existing.gtmhubUserId !== gtmhubUserId) return null;
    await this.options.store.putOwnerLink({
      slackUserId: profile.slackUserId,
      gtmhubUserId,
      email,
      source: 'email',
      linkedBy: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlMs),
    });
    return profile.slackUserId;
  }
}
