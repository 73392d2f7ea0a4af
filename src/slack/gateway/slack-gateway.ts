/**
 * The one Slack gateway: everything the services ask of Slack (members, reminder DMs, summaries,
 * check-in notices) over the Web API, rendered with the pure block builders, with Slack's errors
 * translated once (`slack-errors.ts`). Rate limits are per method family, and the SDK pauses a
 * client's whole queue on a 429 (WebClient.js: `requestQueue.pause()` for Retry-After seconds), so
 * each family has its own client: interactive lookups (users.*, conversations.*), the fan-out that
 * rejects rate-limited calls at once (reminder DMs, check-in notices: their callers retry), and
 * channel messages (summaries) that wait out their own 429 without holding anything else up.
 */
import type { WebClient } from '@slack/web-api';
import type { HomeView, KnownBlock } from '@slack/types';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { CheckInChange, CheckInNotifier } from '../../services/checkin-types.js';
import type { NudgeMessage, NudgeMessenger } from '../../services/key-results-admin/nudges.js';
import { nudgeMessage } from '../blocks/nudge-message.js';
import type { SlackDirectory, SlackMembers, SlackUser } from '../../services/ports.js';
import type { FollowUpMessage, ReminderMessage, ReminderMessenger } from '../../services/reminders/ports.js';
import type { Summary } from '../../services/summaries/model.js';
import { postingProblem, type ChannelInfo, type PostedSummary, type SummarySlack } from '../../services/summaries/ports.js';
import type { OutboxEntry, RejectedKeyResult } from '../../store/store.js';
import { checkInConfirmation, checkInRejectedNotice } from '../blocks/checkin-confirmation.js';
import { followUpMessage, reminderMessage } from '../blocks/reminder-message.js';
import { summaryMessages, type SummaryMessage } from '../blocks/summary-message.js';
import { summaryChartMessages } from '../blocks/summary-chart-message.js';
import type { MessageBlock } from '../blocks/chart-types.js';
import { textReply } from '../blocks/text-reply.js';
import { HomeRefresh } from './home-refresh.js';
import { publishHomeTab } from './home-tab.js';
import { MemberDirectory } from './member-directory.js';
import { callSlack, platformErrorCode } from './slack-errors.js';
import { fanOutWebClient, interactiveWebClient, messagesWebClient, type WebClientSettings } from './web-clients.js';

const CHANNEL_MEMBERS_TTL_MS = 5 * 60_000;
/**
 * How long a conversations.info answer that lets the bot post is trusted. Only those are kept: a
 * channel with a problem (archived, bot not in it, not found) is asked again each time, so an
 * `/invite` is seen at once; a post that fails forgets the entry, so a channel that changed under
 * the cache is asked again before the next summary.
 */
const POSTABLE_CHANNEL_TTL_MS = 5 * 60_000;
/** The largest page cursor-paginated methods take (an integer up to 999, @slack/web-api's documented limit): one call for most channels. */
const CHANNEL_MEMBERS_PAGE = 999;

interface ApiChannel {
  id?: string;
  name?: string;
  is_archived?: boolean;
  is_private?: boolean;
  is_im?: boolean;
  is_member?: boolean;
}

export interface SlackGatewayOptions {
  clock: Clock;
  logger: Logger;
  /** How long the member list and per-person lookups are trusted. */
  directoryTtlMs?: number;
}

export class SlackGateway implements SlackDirectory, ReminderMessenger, SummarySlack, CheckInNotifier, NudgeMessenger {
  private readonly directory: MemberDirectory;
  private readonly channelMemberCache = new Map<string, { ids: string[]; at: number }>();
  private readonly postableChannels = new Map<string, { info: ChannelInfo; at: number }>();
  private homes: HomeRefresh | null = null;

  constructor(
    private readonly interactive: WebClient,
    private readonly fanOut: WebClient,
    private readonly options: SlackGatewayOptions,
    private readonly messages: WebClient = interactive,
  ) {
    this.directory = new MemberDirectory(interactive, fanOut, options.clock, options.directoryTtlMs);
  }

  static fromSettings(settings: WebClientSettings, options: SlackGatewayOptions): SlackGateway {
    return new SlackGateway(interactiveWebClient(settings), fanOutWebClient(settings), options, messagesWebClient(settings));
  }

  // ── members ──────────────────────────────────────────────────────────────────────────────────────

  user(slackUserId: string): Promise<SlackUser | null> {
    return this.directory.user(slackUserId);
  }

  userByEmail(email: string): Promise<SlackUser | null> {
    return this.directory.userByEmail(email);
  }

  members(): Promise<SlackMembers> {
    return this.directory.members();
  }

  timeZoneOf(slackUserId: string): Promise<string | null> {
    return this.directory.timeZoneOf(slackUserId);
  }

  // ── reminder DMs ─────────────────────────────────────────────────────────────────────────────────

  async postReminder(slackUserId: string, message: ReminderMessage): Promise<{ channel: string; ts: string }> {
    const { text, blocks } = reminderMessage(message);
    const response = await callSlack('chat.postMessage', () => this.fanOut.chat.postMessage({ channel: slackUserId, text, blocks: blocks as KnownBlock[] }));
    if (!response.channel || !response.ts) throw new Error('chat.postMessage answered without channel and ts');
    return { channel: response.channel, ts: response.ts };
  }

  async updateReminder(channel: string, ts: string, message: ReminderMessage): Promise<void> {
    const { text, blocks } = reminderMessage(message);
    await callSlack('chat.update', () => this.fanOut.chat.update({ channel, ts, text, blocks }));
  }

  async postFollowUp(channel: string, threadTs: string, message: FollowUpMessage): Promise<string> {
    const { text, blocks } = followUpMessage(message);
    const response = await callSlack('chat.postMessage', () => this.fanOut.chat.postMessage({ channel, thread_ts: threadTs, text, blocks }));
    return response.ts ?? '';
  }

  // ── channel summaries ────────────────────────────────────────────────────────────────────────────

  /** conversations.info; an answer that lets the bot post is reused for 5 minutes (see POSTABLE_CHANNEL_TTL_MS). */
  async channelInfo(channelId: string): Promise<ChannelInfo | null> {
    const now = this.options.clock.now().getTime();
    const cached = this.postableChannels.get(channelId);
    if (cached && now - cached.at < POSTABLE_CHANNEL_TTL_MS) return { ...cached.info };
    this.postableChannels.delete(channelId);
    const info = await this.askChannelInfo(channelId);
    if (info && postingProblem(info) === null) this.postableChannels.set(channelId, { info: { ...info }, at: now });
    return info;
  }

  private async askChannelInfo(channelId: string): Promise<ChannelInfo | null> {
    try {
      const response = await callSlack('conversations.info', () => this.interactive.conversations.info({ channel: channelId }));
      const channel = response.channel as ApiChannel | undefined;
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
      if (platformErrorCode(error) === 'channel_not_found') return null;
      throw error;
    }
  }

  async channelMembers(channelId: string): Promise<string[]> {
    const now = this.options.clock.now().getTime();
    const cached = this.channelMemberCache.get(channelId);
    if (cached && now - cached.at < CHANNEL_MEMBERS_TTL_MS) return cached.ids;
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await callSlack('conversations.members', () =>
        this.interactive.conversations.members({ channel: channelId, limit: CHANNEL_MEMBERS_PAGE, ...(cursor ? { cursor } : {}) }),
      );
      ids.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.channelMemberCache.set(channelId, { ids, at: now });
    return ids;
  }

  /**
   * Charts and tables first; when Slack refuses the first message's blocks (a workspace or client
   * without these blocks), the same summary goes out in the text layout instead.
   */
  async postSummary(channelId: string, summary: Summary): Promise<PostedSummary> {
    try {
      return await this.postSummaryWithFallback(channelId, summary);
    } catch (error) {
      // Whatever went wrong, the channel is asked about again before the next summary.
      this.postableChannels.delete(channelId);
      throw error;
    }
  }

  private async postSummaryWithFallback(channelId: string, summary: Summary): Promise<PostedSummary> {
    try {
      return await this.postSummaryMessages(channelId, summaryChartMessages(summary));
    } catch (error) {
      if (!(error instanceof FirstMessageRefusedError)) throw error;
      this.options.logger.warn({ channelId, err: error.cause }, 'Slack refused the summary charts; posting the text layout');
      return this.postSummaryMessages(channelId, summaryMessages(summary));
    }
  }

  private async postSummaryMessages(channelId: string, messages: SummaryMessage[]): Promise<PostedSummary> {
    let threadTs: string | undefined;
    for (const message of messages) {
      try {
        const response = await callSlack(
          'chat.postMessage',
          () =>
            this.messages.chat.postMessage({
              channel: channelId,
              text: message.text,
              blocks: message.blocks,
              unfurl_links: false,
              unfurl_media: false,
              ...(threadTs ? { thread_ts: threadTs } : {}),
            }),
          { channelId },
        );
        threadTs ??= response.ts;
      } catch (error) {
        if (!threadTs && platformErrorCode(error) === 'invalid_blocks') throw new FirstMessageRefusedError(error);
        throw error;
      }
    }
    if (!threadTs) throw new Error('chat.postMessage returned no ts');
    return { ts: threadTs, messages: messages.length };
  }

  async sendNudge(ownerSlackUserId: string, message: NudgeMessage): Promise<void> {
    const { text, blocks } = nudgeMessage(message);
    await callSlack('chat.postMessage', () => this.interactive.chat.postMessage({ channel: ownerSlackUserId, text, blocks }));
  }

  async tellUser(slackUserId: string, text: string): Promise<void> {
    await callSlack('chat.postMessage', () => this.messages.chat.postMessage({ channel: slackUserId, ...textReply(text) }));
  }

  // ── check-in notices (a DM from the app: chat.postMessage to a user id lands in the app's DM) ────

  /**
   * From now on a check-in that lands publishes its person's App Home again, as `render` shows it
   * (home-refresh.ts: coalesced per person, on the fan-out client so a 429 holds up nothing, failures logged).
   * The Home's content comes from the services, built after the gateway: the composition root (server.ts) sets it.
   */
  refreshHomesWith(render: (slackUserId: string) => Promise<HomeView>): void {
    this.homes = new HomeRefresh({
      render,
      publish: async (slackUserId, view) => {
        await callSlack('views.publish', () => publishHomeTab(this.fanOut, slackUserId, view));
      },
      logger: this.options.logger,
    });
  }

  async delivered(entry: OutboxEntry, change: CheckInChange | null, late: boolean): Promise<void> {
    // Whatever becomes of the DM (it may be sent again): the Home is refreshed once, in the background.
    this.homes?.checkInLanded(entry.id, entry.slackUserId);
    await this.notify(entry.slackUserId, checkInConfirmation(entry, change, late));
  }

  async rejected(entry: OutboxEntry, reason: string, keyResult?: RejectedKeyResult): Promise<void> {
    await this.notify(entry.slackUserId, checkInRejectedNotice(entry, reason, keyResult));
  }

  /** Fails when Slack did not take the DM: the check-in service keeps the notice and sends it again. */
  private async notify(channel: string, message: { text: string; blocks: MessageBlock[] }): Promise<void> {
    const post = (blocks: MessageBlock[]) => callSlack('chat.postMessage', () => this.fanOut.chat.postMessage({ channel, text: message.text, blocks }));
    try {
      await post(message.blocks);
    } catch (error) {
      // A client or workspace without charts: the same notice without them.
      const withoutCharts = message.blocks.filter((b, i, all) => b.type !== 'data_visualization' && all[i - 1]?.type !== 'data_visualization');
      if (platformErrorCode(error) !== 'invalid_blocks' || withoutCharts.length === message.blocks.length) throw error;
      await post(withoutCharts);
    }
  }
}

/** Nothing was posted yet: the summary can go out in another layout. */
class FirstMessageRefusedError extends Error {
  constructor(override readonly cause: unknown) {
    super('Slack refused the first summary message');
  }
}
