import { setTimeout as sleep } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../clock.js';
import { SlackRateLimitedError, type SlackDirectory, type SlackMembers, type SlackUser } from '../../services/ports.js';
import { MemberList } from './member-list.js';
import { MemberWalk, type Listed } from './member-walk.js';
import { callSlack, platformErrorCode } from './slack-errors.js';

/** The parts of a Slack user object (users.info, users.list, users.lookupByEmail) the app reads. */
interface ApiUser {
  id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  real_name?: string;
  tz?: string;
  profile?: { email?: string; real_name?: string; display_name?: string };
}

export function toSlackUser(user: ApiUser | undefined): SlackUser | null {
  if (!user?.id) return null;
  return {
    slackUserId: user.id,
    email: user.profile?.email?.trim() || null,
    tz: user.tz ?? null,
    realName: user.real_name || user.profile?.real_name || user.profile?.display_name || null,
    isBot: !!user.is_bot,
    deleted: !!user.deleted,
  };
}

interface Snapshot {
  list: MemberList;
  loadedAt: number;
}

const LIST_PAGE = 1000;
/** users.list is Tier 2: on a 429 the walk waits as told and goes on from the same cursor, this many times. */
const LIST_RATE_LIMIT_WAITS = 10;
/** After a refused listing, do not ask again for this long. */
const REFUSED_LIST_RETRY_MS = 5 * 60_000;

/**
 * The workspace's members for everything that needs them: one paged users.list walk, cached for
 * `ttlMs` and shared by reminders, summaries and people matching (instead of one users.lookupByEmail
 * per person and one users.info per time zone). Lookups made while the walk runs wait only until it
 * has reached their member (member-walk.ts). Where the workspace refuses listing, or the walk fails
 * midway, members are looked up one by one, and those answers are cached for the same time.
 */
export class MemberDirectory implements SlackDirectory {
  private current: Snapshot | null = null;
  private walking: { walk: MemberWalk; done: Promise<Snapshot> } | null = null;
  private refusedUntil = 0;
  private readonly byEmailLookups = new Map<string, { user: SlackUser | null; at: number }>();
  private readonly timeZones = new Map<string, { tz: string | null; at: number }>();

  constructor(
    /** users.info and users.lookupByEmail: a person may be waiting; waits out a 429 inside the client. */
    private readonly interactive: WebClient,
    /** users.list: rejects rate-limited calls so the walk can wait as told and resume from its cursor. */
    private readonly fanOut: WebClient,
    private readonly clock: Clock,
    private readonly ttlMs = 60 * 60_000,
  ) {}

  async user(slackUserId: string): Promise<SlackUser | null> {
    try {
      const response = await callSlack('users.info', () => this.interactive.users.info({ user: slackUserId }));
      return toSlackUser(response.user as ApiUser | undefined);
    } catch (error) {
      if (platformErrorCode(error) === 'user_not_found') return null;
      throw error;
    }
  }

  async userByEmail(email: string): Promise<SlackUser | null> {
    const key = email.trim().toLowerCase();
    const listed = await this.listed((list) => list.byEmail(key), (walk) => walk.byEmail(key));
    if (listed !== undefined) return listed;
    const now = this.clock.now().getTime();
    const cached = this.byEmailLookups.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.user;
    let user: SlackUser | null;
    try {
      const response = await callSlack('users.lookupByEmail', () => this.interactive.users.lookupByEmail({ email: email.trim() }));
      user = toSlackUser(response.user as ApiUser | undefined);
    } catch (error) {
      if (platformErrorCode(error) !== 'users_not_found') throw error;
      user = null;
    }
    this.byEmailLookups.set(key, { user, at: now });
    return user;
  }

  async members(): Promise<SlackMembers> {
    const now = this.clock.now().getTime();
    if (this.current && now - this.current.loadedAt < this.ttlMs) return this.current.list;
    if (!this.walking && now < this.refusedUntil) throw new Error('Slack refused to list members a short while ago');
    this.walking ??= this.startWalk(now);
    return (await this.walking.done).list;
  }

  async timeZoneOf(slackUserId: string): Promise<string | null> {
    const member = await this.listed((list) => list.get(slackUserId), (walk) => walk.byId(slackUserId));
    if (member) return member.tz;
    const now = this.clock.now().getTime();
    const cached = this.timeZones.get(slackUserId);
    if (cached && now - cached.at < this.ttlMs) return cached.tz;
    const tz = (await this.user(slackUserId))?.tz ?? null;
    this.timeZones.set(slackUserId, { tz, at: now });
    return tz;
  }

  /**
   * What the member list says: the fresh cached list, else the walk under way (waiting until it has
   * reached the member or ended); undefined when there is no list to ask.
   */
  private async listed(inList: (list: MemberList) => SlackUser | undefined, inWalk: (walk: MemberWalk) => Promise<Listed>): Promise<Listed> {
    const now = this.clock.now().getTime();
    if (this.current && now - this.current.loadedAt < this.ttlMs) return inList(this.current.list) ?? null;
    return this.walking ? inWalk(this.walking.walk) : undefined;
  }

  private startWalk(now: number): { walk: MemberWalk; done: Promise<Snapshot> } {
    const walk = new MemberWalk();
    const done = (async () => {
      try {
        for await (const user of this.walk()) walk.add(user);
      } catch (error) {
        this.refusedUntil = now + REFUSED_LIST_RETRY_MS;
        walk.end('failed');
        throw error;
      } finally {
        this.walking = null;
      }
      this.current = { list: walk.list, loadedAt: now };
      walk.end('finished');
      return this.current;
    })();
    // Lookups learn of a failure through the walk; members() callers through `done`.
    done.catch(() => undefined);
    return { walk, done };
  }

  private async *walk(): AsyncGenerator<SlackUser> {
    let cursor: string | undefined;
    for (let waits = 0; ; ) {
      let page;
      try {
        page = await callSlack('users.list', () => this.fanOut.users.list({ limit: LIST_PAGE, ...(cursor ? { cursor } : {}) }));
      } catch (error) {
        if (error instanceof SlackRateLimitedError && ++waits <= LIST_RATE_LIMIT_WAITS) {
          await sleep(error.retryAfterMs);
          continue;
        }
        throw error;
      }
      for (const member of (page.members ?? []) as ApiUser[]) {
        const user = toSlackUser(member);
        if (user) yield user;
      }
      cursor = page.response_metadata?.next_cursor || undefined;
      if (!cursor) return;
    }
  }
}
