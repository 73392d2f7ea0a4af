/**
 * What the services need from Slack, as plain interfaces: the one Slack gateway
 * (`slack/gateway/`) implements all of them over the Web API; tests use the Slack emulator behind
 * that gateway, or small fakes. Errors are translated once, in the gateway, into the classes below.
 */

/** One Slack user as the app knows them (from users.info, users.list or users.lookupByEmail). */
export interface SlackUser {
  slackUserId: string;
  email: string | null;
  tz: string | null;
  realName: string | null;
  isBot: boolean;
  deleted: boolean;
}

/** Every member from one users.list walk, by id. */
export interface SlackMembers {
  get(slackUserId: string): SlackUser | undefined;
  readonly size: number;
}

/**
 * Workspace members: one cached users.list walk, users.info and users.lookupByEmail where it cannot
 * serve. While a walk is under way, a lookup waits only until the walk has reached the member it
 * asks for (or finished), so people can be matched from the first page on.
 */
export interface SlackDirectory {
  /** users.info, fresh; null when Slack does not know the id. */
  user(slackUserId: string): Promise<SlackUser | null>;
  /**
   * The member with this email (case-insensitive), neither deleted nor a bot: from the member list
   * (cached, or the walk under way), else users.lookupByEmail; null when nobody has it.
   */
  userByEmail(email: string): Promise<SlackUser | null>;
  /**
   * Every member, from the cached users.list walk; starts the walk (or joins the one under way) and
   * resolves when it has finished; throws when the workspace refuses listing. Callers that only want
   * lookups to be served by the list start it without waiting.
   */
  members(): Promise<SlackMembers>;
  /** A member's time zone: the member list (cached, or the walk under way), else users.info (cached); null when unknown. */
  timeZoneOf(slackUserId: string): Promise<string | null>;
}

/** Slack said 429: nothing was done; try again after `retryAfterMs`. */
export class SlackRateLimitedError extends Error {
  override name = 'SlackRateLimitedError';
  constructor(
    readonly method: string,
    readonly retryAfterMs: number,
  ) {
    super(`Slack rate-limited ${method}; retry after ${retryAfterMs} ms`);
  }
}

/** Slack refused for good (deactivated account, bot not allowed to DM…): trying again will not help. */
export class SlackPermanentError extends Error {
  override name = 'SlackPermanentError';
  constructor(
    readonly method: string,
    readonly code: string,
  ) {
    super(`Slack refused ${method}: ${code}`);
  }
}
