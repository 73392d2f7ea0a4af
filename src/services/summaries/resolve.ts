/**
 * Turns a SummaryScope into Gtmhub list filters for `GET /v2/metrics`, asking Gtmhub with paged
 * list calls (goals by name, users by email in batches) and Slack through cached lookups — never one
 * Gtmhub call per person or per key result.
 */
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Filter, Session } from '../../gtmhub/types.js';
import { chunk, escapeRegExp } from '../../gtmhub/query.js';
import type { Logger } from '../../logger.js';
import type { OwnerStore } from '../../store/store.js';
import { mapLimited } from '../bounded.js';
import type { GtmhubPeople } from '../gtmhub-people.js';
import type { OwnerService } from '../owners.js';
import type { SlackDirectory } from '../ports.js';
import type { SummarySlack } from './ports.js';
import type { SummaryScope } from './scope.js';

/** Ids per `$in` filter: keeps every request URL well under common 8 KB limits. */
export const IDS_PER_FILTER = 100;
const EMAIL_MATCH_TTL_MS = 24 * 3600_000;
const PROFILE_TTL_MS = 24 * 3600_000;
const SLACK_CONCURRENCY = 4;
/** Past this many unknown members, one paged users.list beats a users.info each (Tier 2 vs Tier 4 calls). */
const LIST_USERS_THRESHOLD = 20;
/** A Slack person whose email matches no Gtmhub user is not looked up again for this long. */
const NO_MATCH_TTL_MS = 60 * 60_000;

export type ResolvedScope =
  | {
      ok: true;
      /** One metrics list walk per filter; results are merged and de-duplicated by id. */
      filters: Filter[];
      /** Gtmhub user → Slack user, known already (channel members, the named person). */
      knownSlackUsers: Map<string, string>;
      /** Goal names already fetched while resolving (goal scope). */
      goalNames: Map<string, string>;
      /** Key results of closed sessions count only when the scope names the session. */
      includeClosedSessions: boolean;
      /** Said when the filters match no key result. */
      nothingFound: string;
    }
  | { ok: false; reason: string };

export interface ScopeResolverOptions {
  gtmhub: Pick<GtmhubClient, 'iterateGoals' | 'listUsers'>;
  owners: Pick<OwnerService, 'resolve'>;
  store: Pick<OwnerStore, 'getOwnerLink' | 'putOwnerLink' | 'getSlackProfile' | 'putSlackProfile'>;
  directory: Pick<SlackDirectory, 'getUser'>;
  slack: Pick<SummarySlack, 'channelMembers' | 'listUsers'>;
  people: Pick<GtmhubPeople, 'usersByEmails'>;
  /** Sessions come from a cache shared with the builder. */
  sessions: () => Promise<Session[]>;
  clock: Clock;
  logger: Logger;
}

function sessionName(session: Session): string {
  return session.title ?? session.name ?? session.id;
}

export class ScopeResolver {
  private readonly noMatchUntil = new Map<string, number>();

  constructor(private readonly options: ScopeResolverOptions) {}

  async resolve(scope: SummaryScope, channelId: string): Promise<ResolvedScope> {
    switch (scope.kind) {
      case 'channel':
        return this.channel(channelId);
      case 'user':
        return this.user(scope.slackUserId);
      case 'goal':
        return this.goal(scope.text);
      case 'session':
        return this.session(scope.name);
      case 'team':
        return this.team(scope.name);
    }
  }

  private ownerFilters(gtmhubUserIds: string[]): Filter[] {
    return chunk(gtmhubUserIds, IDS_PER_FILTER).map((ids) => (ids.length === 1 ? { ownerIds: ids[0]! } : { ownerIds: { $in: ids } }));
  }

  private async channel(channelId: string): Promise<ResolvedScope> {
    const members = await this.options.slack.channelMembers(channelId);
    const owners = await this.gtmhubUsersOf(members);
    if (owners.size === 0) {
      return {
        ok: false,
        reason: 'None of the members of this channel is linked to a Gtmhub user, so there is nothing to summarise here.',
      };
    }
    const knownSlackUsers = new Map<string, string>();
    for (const [slackUserId, gtmhubUserId] of owners) if (!knownSlackUsers.has(gtmhubUserId)) knownSlackUsers.set(gtmhubUserId, slackUserId);
    return {
      ok: true,
      filters: this.ownerFilters([...knownSlackUsers.keys()]),
      knownSlackUsers,
      goalNames: new Map(),
      includeClosedSessions: false,
      nothingFound: `The ${owners.size} member${owners.size === 1 ? '' : 's'} of this channel linked to Gtmhub own no key results in open sessions.`,
    };
  }

  private async user(slackUserId: string): Promise<ResolvedScope> {
    const owner = await this.options.owners.resolve(slackUserId);
    if (!owner.mapped) {
      const why =
        owner.reason.kind === 'no_gtmhub_user'
          ? `no Gtmhub user has their Slack email (${owner.reason.email})`
          : owner.reason.kind === 'no_email'
            ? 'their Slack profile shows no email'
            : 'Slack does not know them';
      return { ok: false, reason: `<@${slackUserId}> is not linked to a Gtmhub user: ${why}. A kr-checkin admin can link them with \`/kr link\`.` };
    }
    return {
      ok: true,
      filters: this.ownerFilters([owner.gtmhubUserId]),
      knownSlackUsers: new Map([[owner.gtmhubUserId, slackUserId]]),
      goalNames: new Map(),
      includeClosedSessions: false,
      nothingFound: `<@${slackUserId}> owns no key results in open sessions.`,
    };
  }

  private async goal(text: string): Promise<ResolvedScope> {
    const goalNames = new Map<string, string>();
    for await (const goal of this.options.gtmhub.iterateGoals({
      fields: 'id,name',
      filter: { name: { $regex: escapeRegExp(text), $options: 'i' } },
      sort: 'name',
      pageSize: 200,
    })) {
      goalNames.set(goal.id, goal.name);
    }
    if (goalNames.size === 0) return { ok: false, reason: `No objective's name contains “${text}”.` };
    return {
      ok: true,
      filters: chunk([...goalNames.keys()], IDS_PER_FILTER).map((ids) => ({ goalId: { $in: ids } })),
      knownSlackUsers: new Map(),
      goalNames,
      includeClosedSessions: false,
      nothingFound: `The ${goalNames.size} objective${goalNames.size === 1 ? '' : 's'} matching “${text}” have no key results in open sessions.`,
    };
  }

  private async session(name: string): Promise<ResolvedScope> {
    const sessions = await this.options.sessions();
    const wanted = name.toLowerCase();
    const exact = sessions.filter((s) => sessionName(s).toLowerCase() === wanted);
    const matching = exact.length > 0 ? exact : sessions.filter((s) => sessionName(s).toLowerCase().includes(wanted));
    if (matching.length === 0) {
      const known = sessions
        .filter((s) => s.status !== 'closed')
        .slice(0, 5)
        .map((s) => `“${sessionName(s)}”`);
      return {
        ok: false,
        reason: `No OKR session is called “${name}”.${known.length > 0 ? ` Sessions in progress: ${known.join(', ')}.` : ''}`,
      };
    }
    return {
      ok: true,
      filters: chunk(
        matching.map((s) => s.id),
        IDS_PER_FILTER,
      ).map((ids) => ({ sessionId: { $in: ids } })),
      knownSlackUsers: new Map(),
      goalNames: new Map(),
      includeClosedSessions: true,
      nothingFound: `Session “${sessionName(matching[0]!)}” has no key results.`,
    };
  }

  private async team(name: string): Promise<ResolvedScope> {
    // Gtmhub has no public way to list a team's members (API-NOTES), so a team scope covers the
    // key results the team itself owns.
    return {
      ok: true,
      filters: [{ 'assignee.type': 'team', 'assignee.name': { $regex: escapeRegExp(name), $options: 'i' } }],
      knownSlackUsers: new Map(),
      goalNames: new Map(),
      includeClosedSessions: false,
      nothingFound: `No team whose name contains “${name}” owns key results in open sessions.`,
    };
  }

  /**
   * Slack user → Gtmhub user for many people at once: manual links and fresh email matches from the
   * store, Slack profiles from the store or users.info, then Gtmhub users in batches by email.
   */
  async gtmhubUsersOf(slackUserIds: string[]): Promise<Map<string, string>> {
    const { store, clock } = this.options;
    const now = clock.now();
    const result = new Map<string, string>();
    const unlinked: string[] = [];
    for (const slackUserId of new Set(slackUserIds)) {
      const link = await store.getOwnerLink(slackUserId);
      if (link && (link.source === 'manual' || (link.expiresAt && link.expiresAt > now))) result.set(slackUserId, link.gtmhubUserId);
      else if ((this.noMatchUntil.get(slackUserId) ?? 0) <= now.getTime()) unlinked.push(slackUserId);
    }
    if (unlinked.length === 0) return result;

    const emails = new Map<string, string[]>();
    for (const [slackUserId, email] of await this.emailsOf(unlinked, now)) {
      if (!email) continue;
      const key = email.toLowerCase();
      emails.set(key, [...(emails.get(key) ?? []), slackUserId]);
    }

    for (const [email, user] of await this.options.people.usersByEmails(emails.keys())) {
      for (const slackUserId of emails.get(email) ?? []) {
        result.set(slackUserId, user.id);
        await store.putOwnerLink({
          slackUserId,
          gtmhubUserId: user.id,
          email: user.email ?? email,
          source: 'email',
          linkedBy: null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + EMAIL_MATCH_TTL_MS),
        });
      }
    }
    for (const slackUserId of unlinked) if (!result.has(slackUserId)) this.noMatchUntil.set(slackUserId, now.getTime() + NO_MATCH_TTL_MS);
    return result;
  }

  /** Slack emails from the profile cache, then users.list (many unknown) or users.info (a few); null for bots and the deleted. */
  private async emailsOf(slackUserIds: string[], now: Date): Promise<Map<string, string | null>> {
    const emails = new Map<string, string | null>();
    const stale: string[] = [];
    for (const slackUserId of slackUserIds) {
      const cached = await this.options.store.getSlackProfile(slackUserId);
      if (cached && now.getTime() - cached.fetchedAt.getTime() < PROFILE_TTL_MS) emails.set(slackUserId, cached.email);
      else stale.push(slackUserId);
    }
    if (stale.length > LIST_USERS_THRESHOLD) {
      try {
        const everyone = new Map((await this.options.slack.listUsers()).map((p) => [p.slackUserId, p]));
        for (const slackUserId of stale) {
          const profile = everyone.get(slackUserId);
          if (!profile) continue;
          const email = profile.deleted || profile.isBot ? null : profile.email;
          await this.options.store.putSlackProfile({ slackUserId, email, tz: profile.tz, realName: profile.realName, fetchedAt: now });
          emails.set(slackUserId, email);
        }
      } catch (error) {
        this.options.logger.warn({ err: error }, 'could not list Slack users; looking members up one by one');
      }
    }
    const rest = stale.filter((id) => !emails.has(id));
    const looked = await mapLimited(rest, SLACK_CONCURRENCY, (id) => this.emailOf(id, now));
    rest.forEach((id, index) => emails.set(id, looked[index] ?? null));
    return emails;
  }

  /** One person's Slack email through users.info (cached in the store). */
  private async emailOf(slackUserId: string, now: Date): Promise<string | null> {
    const cached = await this.options.store.getSlackProfile(slackUserId);
    try {
      const profile = await this.options.directory.getUser(slackUserId);
      if (!profile) return null;
      // Bots and deactivated people are cached without an email so they are not looked up again.
      const email = profile.deleted || profile.isBot ? null : profile.email;
      await this.options.store.putSlackProfile({ slackUserId, email, tz: profile.tz, realName: profile.realName, fetchedAt: now });
      return email;
    } catch (error) {
      this.options.logger.warn({ err: error, slackUserId }, 'could not look up a channel member in Slack');
      return cached?.email ?? null;
    }
  }
}
