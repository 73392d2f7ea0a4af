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

/** Workspace members: one cached users.list walk, users.info and users.lookupByEmail where it cannot serve. */
export interface SlackDirectory {
  /** users.info, fresh; null when Slack does not know the id. */
  user(slackUserId: string): Promise<SlackUser | null>;
  /** The member with this email (case-insensitive): from the member list, else users.lookupByEmail; null when nobody has it. */
  userByEmail(email: string): Promise<SlackUser | null>;
  /** Every member, from the cached users.list walk; throws when the workspace refuses listing. */
  members(): Promise<ReadonlyMap<string, SlackUser>>;
  /** A member's time zone: the cached member list, else users.info (cached); null when unknown. */
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
