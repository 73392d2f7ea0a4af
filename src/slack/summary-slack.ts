import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { Summary } from '../services/summaries/model.js';
import type { SlackUserProfile } from '../services/ports.js';
import { ChannelUnavailableError, type ChannelInfo, type ChannelProblem, type PostedSummary, type SummarySlack } from '../services/summaries/ports.js';
import { summaryMessages } from './blocks/summary-message.js';
import { textReply } from './blocks/text-reply.js';
import { slackErrorCode, toProfile, type SlackApiUser } from './directory.js';

const MEMBERS_TTL_MS = 5 * 60_000;
const MEMBERS_PAGE = 500;
const USERS_TTL_MS = 10 * 60_000;
const USERS_PAGE = 200;

interface SlackChannel {
  id?: string;
  name?: string;
  is_archived?: boolean;
  is_private?: boolean;
  is_im?: boolean;
  is_member?: boolean;
}

const CHANNEL_PROBLEMS: readonly string[] = ['channel_not_found', 'is_archived', 'not_in_channel'] satisfies ChannelProblem[];

/** Channel lookups and summary posting through the Web API (conversations.*, chat.postMessage). */
export class WebApiSummarySlack implements SummarySlack {
  private readonly members = new Map<string, { ids: string[]; at: number }>();
  private users: { profiles: SlackUserProfile[]; at: number } | null = null;

  constructor(
    private readonly client: WebClient,
    private readonly clock: Clock,
  ) {}

  async channelInfo(channelId: string): Promise<ChannelInfo | null> {
    try {
      const response = await this.client.conversations.info({ channel: channelId });
      const channel = response.channel as SlackChannel | undefined;
      if (!channel?.id) return null;
      return {
        id: channel.id,
        name: channel.name ?? null,
        isArchived: channel.is_archived === true,
        isPrivate: channel.is_private === true,
        isIm: channel.is_im === true,
        botIsMember: channel.is_member === true,
      };
    } catch (error) {
      if (slackErrorCode(error) === 'channel_not_found') return null;
      throw error;
    }
  }

  async channelMembers(channelId: string): Promise<string[]> {
    const now = this.clock.now().getTime();
    const cached = this.members.get(channelId);
    if (cached && now - cached.at < MEMBERS_TTL_MS) return cached.ids;
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.conversations.members({ channel: channelId, limit: MEMBERS_PAGE, ...(cursor ? { cursor } : {}) });
      ids.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.members.set(channelId, { ids, at: now });
    return ids;
  }

  async listUsers(): Promise<SlackUserProfile[]> {
    const now = this.clock.now().getTime();
    if (this.users && now - this.users.at < USERS_TTL_MS) return this.users.profiles;
    const profiles: SlackUserProfile[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.users.list({ limit: USERS_PAGE, ...(cursor ? { cursor } : {}) });
      for (const user of (page.members ?? []) as SlackApiUser[]) {
        const profile = toProfile(user);
        if (profile) profiles.push(profile);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.users = { profiles, at: now };
    return profiles;
  }

  async postSummary(channelId: string, summary: Summary): Promise<PostedSummary> {
    const messages = summaryMessages(summary);
    let threadTs: string | undefined;
    for (const message of messages) {
      try {
        const response = await this.client.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
        threadTs ??= response.ts;
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && CHANNEL_PROBLEMS.includes(code)) throw new ChannelUnavailableError(code as ChannelProblem, channelId);
        throw error;
      }
    }
    if (!threadTs) throw new Error('chat.postMessage returned no ts');
    return { ts: threadTs, messages: messages.length };
  }

  async tellUser(slackUserId: string, text: string): Promise<void> {
    await this.client.chat.postMessage({ channel: slackUserId, ...textReply(text) });
  }
}
