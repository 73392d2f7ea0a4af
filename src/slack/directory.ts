import type { WebClient } from '@slack/web-api';
import type { SlackDirectory, SlackUserProfile } from '../services/ports.js';

/** The parts of a Slack user object (users.info, users.list, users.lookupByEmail) the app reads. */
export interface SlackApiUser {
  id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  real_name?: string;
  tz?: string;
  profile?: { email?: string; real_name?: string; display_name?: string };
}

export function toProfile(user: SlackApiUser | undefined): SlackUserProfile | null {
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

/** The `error` code of a Web API platform error (`users_not_found`, `channel_not_found`, …). */
export function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } })?.data?.error;
}

/** users.info / users.lookupByEmail through the Web API. */
export class WebApiSlackDirectory implements SlackDirectory {
  constructor(private readonly client: WebClient) {}

  async getUser(slackUserId: string): Promise<SlackUserProfile | null> {
    try {
      const response = await this.client.users.info({ user: slackUserId });
      return toProfile(response.user as SlackApiUser | undefined);
    } catch (error) {
      if (slackErrorCode(error) === 'user_not_found') return null;
      throw error;
    }
  }

  async findUserByEmail(email: string): Promise<SlackUserProfile | null> {
    try {
      const response = await this.client.users.lookupByEmail({ email });
      return toProfile(response.user as SlackApiUser | undefined);
    } catch (error) {
      if (slackErrorCode(error) === 'users_not_found') return null;
      throw error;
    }
  }
}
