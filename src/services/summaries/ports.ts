/**
 * What channel summaries need from Slack, as plain interfaces (the Slack layer implements them in
 * slack/summary-slack.ts; tests may use the Slack emulator behind that implementation).
 */
import type { Summary } from './model.js';

export interface ChannelInfo {
  id: string;
  name: string | null;
  isArchived: boolean;
  isPrivate: boolean;
  /** A direct message with the app: the bot is in it without being a "member". */
  isIm: boolean;
  botIsMember: boolean;
}

/** Why the bot cannot post in a channel. */
export type ChannelProblem = 'channel_not_found' | 'is_archived' | 'not_in_channel';

export class ChannelUnavailableError extends Error {
  override name = 'ChannelUnavailableError';
  constructor(
    readonly problem: ChannelProblem,
    readonly channelId: string,
  ) {
    super(`cannot post in ${channelId}: ${problem}`);
  }
}

export interface PostedSummary {
  /** ts of the first message; the rest are replies in its thread. */
  ts: string;
  messages: number;
}

export interface SummarySlack {
  /** conversations.info; null when the channel does not exist or the bot cannot see it. */
  channelInfo(channelId: string): Promise<ChannelInfo | null>;
  /** conversations.members, every page (cached briefly by the implementation). */
  channelMembers(channelId: string): Promise<string[]>;
  /** Posts the summary: the first message in the channel, the rest as replies in its thread. Throws ChannelUnavailableError. */
  postSummary(channelId: string, summary: Summary): Promise<PostedSummary>;
  /** A DM from the app (a subscription's creator is told it was paused). */
  tellUser(slackUserId: string, text: string): Promise<void>;
}

/** What stands in the way of posting to `info`, or null when the bot can post there. */
export function postingProblem(info: ChannelInfo | null): ChannelProblem | null {
  if (!info) return 'channel_not_found';
  if (info.isArchived) return 'is_archived';
  if (!info.isIm && !info.botIsMember) return 'not_in_channel';
  return null;
}
