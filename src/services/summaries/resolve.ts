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
import type { PeopleService } from '../people/people-service.js';
import type { SummarySlack } from './ports.js';
import type { SummaryScope } from './scope.js';

/** Ids per `$in` filter: keeps every request URL well under common 8 KB limits. */
export const IDS_PER_FILTER = 100;

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
  people: Pick<PeopleService, 'resolve' | 'gtmhubUsersOf'>;
  slack: Pick<SummarySlack, 'channelMembers'>;
  /** Sessions come from a cache shared with the builder. */
  sessions: () => Promise<Session[]>;
  clock: Clock;
  logger: Logger;
}

function sessionName(session: Session): string {
  return session.title ?? session.name ?? session.id;
}

export class ScopeResolver {
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
    const owners = await this.options.people.gtmhubUsersOf(members);
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
    const owner = await this.options.people.resolve(slackUserId);
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
}
