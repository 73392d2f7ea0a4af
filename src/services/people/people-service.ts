/**
 * The one home of Slack user ↔ Gtmhub user matching, for one person or many at once. An admin's
 * manual link wins; otherwise the Slack profile email is matched case-insensitively against Gtmhub
 * users. Email matches and Slack profiles are cached in the store for one TTL; Gtmhub users are
 * looked up in batches (the documented equality filter before any regex), never one per person.
 */
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { User } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { OwnerLink, OwnerStore } from '../../store/store.js';
import { mapLimited } from '../bounded.js';
import { InvalidInputError, NotAllowedError } from '../errors.js';
import type { SlackDirectory, SlackMembers, SlackUser } from '../ports.js';
import { GtmhubUsers } from './gtmhub-users.js';
import type { MetricOwner } from './metric-owners.js';
import { displayNameOf, type OwnerMatch, type OwnerResolution } from './people-types.js';

export interface PeopleServiceOptions {
  gtmhub: Pick<GtmhubClient, 'findUserByEmail' | 'listUsers'>;
  store: OwnerStore;
  slack: SlackDirectory;
  clock: Clock;
  logger: Logger;
  adminSlackUserIds: string[];
  /** How long an email match, a Slack profile and a Gtmhub user are trusted before they are looked up again. */
  matchTtlMs?: number;
}

export const DEFAULT_MATCH_TTL_MS = 24 * 60 * 60 * 1000;
/** A person nobody could match is not looked up again for this long (an optimisation; nothing depends on it). */
const NO_MATCH_TTL_MS = 60 * 60_000;
/** Past this many people to look up, one cached users.list walk beats a call per person. */
const MEMBER_LIST_THRESHOLD = 20;
const SLACK_CONCURRENCY = 4;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class PeopleService {
  private readonly ttlMs: number;
  readonly gtmhubUsers: GtmhubUsers;
  private readonly noMatchUntil = new Map<string, number>();

  constructor(private readonly options: PeopleServiceOptions) {
    this.ttlMs = options.matchTtlMs ?? DEFAULT_MATCH_TTL_MS;
    this.gtmhubUsers = new GtmhubUsers({ gtmhub: options.gtmhub, clock: options.clock, logger: options.logger, ttlMs: this.ttlMs });
  }

  isAdmin(slackUserId: string): boolean {
    return this.options.adminSlackUserIds.includes(slackUserId);
  }

  // ── one Slack person → Gtmhub ──────────────────────────────────────────────────────────────────

  async resolve(slackUserId: string): Promise<OwnerResolution> {
    const { store, clock } = this.options;
    const now = clock.now();
    const link = await store.getOwnerLink(slackUserId);
    if (link && this.isTrusted(link, now)) {
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

  /**
   * The name Gtmhub comments and messages credit, the same on every path (modal, reminder buttons,
   * "No change for all", comment edits): the Slack profile's real name — read from Slack and kept
   * when it was not known yet — else `fallback` (the Slack handle).
   */
  async nameOf(slackUserId: string, fallback: string): Promise<string> {
    const stored = await this.options.store.getSlackProfile(slackUserId);
    if (stored?.realName) return stored.realName;
    try {
      const profile = await this.options.slack.user(slackUserId);
      if (profile && !profile.deleted) {
        await this.rememberProfile(profile, this.options.clock.now());
        if (profile.realName) return profile.realName;
      }
    } catch (error) {
      this.options.logger.warn({ err: error, slackUserId }, 'could not read the Slack profile for a name; crediting the Slack handle');
    }
    return fallback;
  }

  private isTrusted(link: OwnerLink, now: Date): boolean {
    return link.source === 'manual' || (link.expiresAt !== null && link.expiresAt > now);
  }

  private async lookUp(slackUserId: string, link: OwnerLink | null, now: Date): Promise<OwnerResolution> {
    const { store } = this.options;
    const profile = await this.options.slack.user(slackUserId);
    if (!profile || profile.deleted) return { mapped: false, reason: { kind: 'no_slack_user' } };
    await this.rememberProfile(profile, now);
    if (!profile.email) return { mapped: false, reason: { kind: 'no_email' } };

    const user = await this.options.gtmhub.findUserByEmail(profile.email);
    if (!user) {
      if (link) await store.deleteOwnerLink(slackUserId);
      return { mapped: false, reason: { kind: 'no_gtmhub_user', email: profile.email } };
    }
    await this.putEmailMatch(slackUserId, user.id, profile.email, now);
    return { mapped: true, gtmhubUserId: user.id, email: profile.email, source: 'email', displayName: displayNameOf(user) };
  }

  private async putEmailMatch(slackUserId: string, gtmhubUserId: string, email: string, now: Date): Promise<void> {
    await this.options.store.putOwnerLink({
      slackUserId,
      gtmhubUserId,
      email,
      source: 'email',
      linkedBy: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlMs),
    });
  }

  private async rememberProfile(profile: SlackUser, now: Date): Promise<void> {
    await this.options.store.putSlackProfile({ slackUserId: profile.slackUserId, email: profile.email, tz: profile.tz, realName: profile.realName, fetchedAt: now });
  }

  // ── admin links ────────────────────────────────────────────────────────────────────────────────

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

  // ── many Slack people → Gtmhub (channel members) ───────────────────────────────────────────────

  /** Slack user → Gtmhub user id for those who match: links from the store, then Slack emails and batched Gtmhub lookups. */
  async gtmhubUsersOf(slackUserIds: string[]): Promise<Map<string, string>> {
    const { store, clock } = this.options;
    const now = clock.now();
    const result = new Map<string, string>();
    const unlinked: string[] = [];
    for (const slackUserId of new Set(slackUserIds)) {
      const link = await store.getOwnerLink(slackUserId);
      if (link && this.isTrusted(link, now)) result.set(slackUserId, link.gtmhubUserId);
      else if ((this.noMatchUntil.get(slackUserId) ?? 0) <= now.getTime()) unlinked.push(slackUserId);
    }
    if (unlinked.length === 0) return result;

    const byEmail = new Map<string, string[]>();
    for (const [slackUserId, email] of await this.emailsOf(unlinked, now)) {
      if (!email) continue;
      const key = email.toLowerCase();
      byEmail.set(key, [...(byEmail.get(key) ?? []), slackUserId]);
    }
    for (const [email, user] of await this.gtmhubUsers.byEmails(byEmail.keys())) {
      for (const slackUserId of byEmail.get(email) ?? []) {
        result.set(slackUserId, user.id);
        await this.putEmailMatch(slackUserId, user.id, user.email ?? email, now);
      }
    }
    for (const slackUserId of unlinked) if (!result.has(slackUserId)) this.noMatchUntil.set(slackUserId, now.getTime() + NO_MATCH_TTL_MS);
    return result;
  }

  /** Slack emails from the profile cache, then the member list (many unknown) or users.info (a few); null for bots and the deleted. */
  private async emailsOf(slackUserIds: string[], now: Date): Promise<Map<string, string | null>> {
    const emails = new Map<string, string | null>();
    const stale: string[] = [];
    for (const slackUserId of slackUserIds) {
      const cached = await this.options.store.getSlackProfile(slackUserId);
      if (cached && now.getTime() - cached.fetchedAt.getTime() < this.ttlMs) emails.set(slackUserId, cached.email);
      else stale.push(slackUserId);
    }
    const members = stale.length > MEMBER_LIST_THRESHOLD ? await this.memberList() : null;
    const rest: string[] = [];
    for (const slackUserId of stale) {
      const member = members?.get(slackUserId);
      if (member) emails.set(slackUserId, await this.remember(member, now));
      else rest.push(slackUserId);
    }
    const looked = await mapLimited(rest, SLACK_CONCURRENCY, (id) => this.emailOf(id, now));
    rest.forEach((id, index) => emails.set(id, looked[index] ?? null));
    return emails;
  }

  /** Caches the profile; bots and deactivated people are cached without an email so they are not looked up again. */
  private async remember(user: SlackUser, now: Date): Promise<string | null> {
    const email = user.deleted || user.isBot ? null : user.email;
    await this.rememberProfile({ ...user, email }, now);
    return email;
  }

  private async memberList(): Promise<SlackMembers | null> {
    try {
      return await this.options.slack.members();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not list Slack members; looking people up one by one');
      return null;
    }
  }

  private async emailOf(slackUserId: string, now: Date): Promise<string | null> {
    try {
      const user = await this.options.slack.user(slackUserId);
      return user ? await this.remember(user, now) : null;
    } catch (error) {
      this.options.logger.warn({ err: error, slackUserId }, 'could not look up a Slack member');
      return (await this.options.store.getSlackProfile(slackUserId))?.email ?? null;
    }
  }

  // ── many Gtmhub owners → Slack (reminders, summaries) ──────────────────────────────────────────

  /**
   * Each owner's Slack person: an admin's manual link, else the member with the owner's email (unless
   * that member is manually linked to someone else), else a cached email match. Owners listed
   * without an email are filled in with one batched Gtmhub lookup.
   */
  async slackUsersOf(owners: Iterable<MetricOwner>): Promise<Map<string, OwnerMatch>> {
    const now = this.options.clock.now();
    const unique = new Map<string, MetricOwner>();
    for (const owner of owners) if (!unique.has(owner.gtmhubUserId) || (!unique.get(owner.gtmhubUserId)!.email && owner.email)) unique.set(owner.gtmhubUserId, owner);
    await this.fillInEmails(unique);
    // The walk is started, not waited for: each owner's lookup waits only until the walk has reached them.
    if ([...unique.values()].filter((o) => o.email).length > MEMBER_LIST_THRESHOLD) void this.memberList();

    const matches = new Map<string, OwnerMatch>();
    for (const owner of unique.values()) {
      const slackUserId = await this.slackUserOf(owner, now);
      matches.set(owner.gtmhubUserId, { owner, slackUserId, reason: slackUserId ? null : owner.email ? 'no_slack_user' : 'no_email' });
    }
    return matches;
  }

  private async fillInEmails(owners: Map<string, MetricOwner>): Promise<void> {
    const withoutEmail = [...owners.values()].filter((o) => !o.email).map((o) => o.gtmhubUserId);
    if (withoutEmail.length === 0) return;
    try {
      for (const [id, user] of await this.gtmhubUsers.byIds(withoutEmail)) {
        const owner = owners.get(id)!;
        if (user.email) owners.set(id, { ...owner, email: user.email, name: owner.name ?? displayNameOf(user) });
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not look up key result owners in Gtmhub');
    }
  }

  private async slackUserOf(owner: MetricOwner, now: Date): Promise<string | null> {
    const { store } = this.options;
    const links = await store.findOwnerLinksByGtmhubUser(owner.gtmhubUserId);
    const manual = links.find((l) => l.source === 'manual');
    if (manual) return manual.slackUserId;
    const member = owner.email ? await this.memberWithEmail(owner) : null;
    if (member) {
      const existing = await store.getOwnerLink(member.slackUserId);
      if (!(existing?.source === 'manual' && existing.gtmhubUserId !== owner.gtmhubUserId)) return member.slackUserId;
    }
    return links.find((l) => l.expiresAt && l.expiresAt > now)?.slackUserId ?? null;
  }

  private async memberWithEmail(owner: MetricOwner): Promise<SlackUser | null> {
    try {
      const member = await this.options.slack.userByEmail(owner.email!);
      return member && !member.deleted && !member.isBot ? member : null;
    } catch (error) {
      this.options.logger.warn({ err: error, gtmhubUserId: owner.gtmhubUserId }, 'could not look an owner up in Slack');
      return null;
    }
  }
}
