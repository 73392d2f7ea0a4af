/**
 * What the services need from Slack, as plain interfaces: the Slack layer implements them with the
 * Web API, tests and benchmarks can use the Slack emulator behind the same implementation.
 */

export interface SlackUserProfile {
  slackUserId: string;
  email: string | null;
  tz: string | null;
  realName: string | null;
  isBot: boolean;
  deleted: boolean;
}

export interface SlackDirectory {
  /** users.info; null when the user does not exist. */
  getUser(slackUserId: string): Promise<SlackUserProfile | null>;
  /** users.lookupByEmail; null when nobody in the workspace has that email. */
  findUserByEmail(email: string): Promise<SlackUserProfile | null>;
}
