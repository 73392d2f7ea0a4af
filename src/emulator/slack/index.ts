/**
 * A strict local Slack: serves the Web API the app calls (with Slack's shapes, ids, errors and Block Kit limits) and
 * plays the Slack client, delivering signed slash commands, block actions, view submissions and events to the app's
 * request URL and applying what the app acks.
 *
 *   const slack = await startSlackEmulator({ signingSecret, botToken, users, channels });
 *   const app = new App({ signingSecret, token: botToken, clientOptions: { slackApiUrl: slack.apiUrl } });
 *   slack.setAppUrl('http://127.0.0.1:3000/slack/events');
 *   await slack.slashCommand('U1', 'C1', '/kr', 'checkin');
 */
import { startHttpServer } from './http-server.js';
import { SlackClient, type ClickOptions, type ClickTarget } from './slack-client.js';
import type {
  DeliveryResult,
  EmulatorChange,
  EphemeralSnapshot,
  MessageSnapshot,
  RateLimitRule,
  RecordedCall,
  SelectedOptionInput,
  SlackEmulatorOptions,
  ViewInputValue,
  ViewSnapshot,
} from './types.js';
import { WebApi } from './web-api.js';
import { Workspace, dmChannelIdFor } from './workspace.js';

export type * from './types.js';
export type { ClickOptions, ClickTarget } from './slack-client.js';
export { signSlackRequest } from './signing.js';

export interface SlackEmulator {
  /** `http://127.0.0.1:P/api/` — for Bolt's `clientOptions.slackApiUrl` / WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  /** Base URL of the emulator (response_urls live under it). */
  readonly url: string;
  readonly team: { id: string; name: string; domain: string };
  readonly bot: { userId: string; botId: string; appId: string; name: string };
  /** Every Web API call and response_url post, in order (tokens removed, JSON arguments decoded). */
  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** History of a conversation (C…, G…, D…; a U… id means that user's app DM), oldest first. */
  messages(channelId: string): MessageSnapshot[];
  message(channelId: string, ts: string): MessageSnapshot | undefined;
  ephemerals(userId: string): EphemeralSnapshot[];
  /** The user's modal stack, bottom first (the last one is what they see). */
  openViews(userId: string): ViewSnapshot[];
  homeView(userId: string): ViewSnapshot | undefined;
  view(viewId: string): ViewSnapshot | undefined;
  dmChannelId(userId: string): string;
  users(): Array<{ id: string; name: string; realName: string; email: string | null; tz: string; isBot: boolean; deleted: boolean }>;
  channels(): Array<{ id: string; name: string; members: string[]; isPrivate: boolean; isArchived: boolean; isIm: boolean }>;
  rateLimit(method: string, rule: RateLimitRule): void;
  failNext(method: string, error: string): void;
  setAppUrl(url: string): void;
  /** Live changes (messages, ephemerals, views) for a UI. Returns an unsubscribe function. */
  subscribe(listener: (change: EmulatorChange) => void): () => void;

  slashCommand(userId: string, channelId: string, command: string, text: string): Promise<DeliveryResult>;
  /**
   * A command Slack answers itself, as the Slack client does for commands that are not the app's:
   * `/invite @<bot>` adds the bot to the channel; anything else gets Slack's "not a valid command".
   * The answer is an ephemeral from Slackbot.
   */
  builtInCommand(userId: string, channelId: string, command: string, text: string): { handled: 'invited' | 'not_a_command' };
  clickButton(userId: string, where: ClickTarget, actionId: string, opts?: ClickOptions): Promise<DeliveryResult>;
  selectInView(userId: string, viewId: string, actionId: string, selected: SelectedOptionInput, opts?: { blockId?: string }): Promise<DeliveryResult>;
  setViewValue(userId: string, viewId: string, blockId: string, actionId: string, value: ViewInputValue): void;
  /** Types into a text/number input and presses Enter (block_actions only with dispatch_action). */
  pressEnter(userId: string, viewId: string, blockId: string, actionId: string, value: string): Promise<DeliveryResult>;
  submitView(userId: string, viewId: string): Promise<DeliveryResult>;
  closeView(userId: string, viewId: string): Promise<DeliveryResult>;
  requestOptions(userId: string, viewId: string, actionId: string, query: string, opts?: { blockId?: string }): Promise<DeliveryResult>;
  deliverEvent(event: Record<string, unknown>): Promise<DeliveryResult>;
  /** Sends `app_home_opened` for the user (with their published Home view, if any). */
  openHome(userId: string): Promise<DeliveryResult>;
  /** A person posts a message; links to `unfurlDomains` send `link_shared` to the app. */
  postUserMessage(userId: string, channelId: string, text: string): Promise<{ ts: string; linkShared: DeliveryResult | null }>;
  /** A person uses the app's message shortcut on a message. */
  messageShortcut(userId: string, channelId: string, ts: string, callbackId: string): Promise<DeliveryResult>;
  /** The manifest's `app_unfurl_domains`. */
  setUnfurlDomains(domains: string[]): void;
  sign(body: string, timestamp?: number): { signature: string; timestamp: string };
  close(): Promise<void>;
}

export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const ws = new Workspace(options);
  const api = new WebApi(ws, options.botToken);
  const http = await startHttpServer(ws, api, options.host ?? '127.0.0.1', options.port ?? 0);
  let appUrl = options.appUrl;
  const client = new SlackClient(ws, {
    signingSecret: options.signingSecret,
    appUrl: () => appUrl,
    baseUrl: () => http.baseUrl,
    ackTimeoutMs: options.ackTimeoutMs ?? 3_000,
  });
  const conversationId = (id: string) => (/^[UW]/.test(id) ? dmChannelIdFor(id) : id);

  return {
    apiUrl: `${http.baseUrl}/api/`,
    url: http.baseUrl,
    team: ws.team,
    bot: ws.bot,
    calls: api.calls,
    callsTo: (method) => api.calls.filter((call) => call.method === method),
    messages: (channelId) => ws.messagesIn(conversationId(channelId)).map((m) => ws.messageSnapshot(m)),
    message: (channelId, ts) => {
      const found = ws.findMessage(conversationId(channelId), ts);
      return found ? ws.messageSnapshot(found) : undefined;
    },
    ephemerals: (userId) => ws.ephemeralsOf(userId).map(({ user: _user, ...rest }) => structuredClone(rest)),
    openViews: (userId) => ws.modalStack(userId).map((v) => ws.viewSnapshot(v)),
    homeView: (userId) => {
      const home = ws.home(userId);
      return home ? ws.viewSnapshot(home) : undefined;
    },
    view: (viewId) => {
      const record = ws.findView(viewId);
      return record ? ws.viewSnapshot(record) : undefined;
    },
    dmChannelId: (userId) => dmChannelIdFor(userId),
    users: () =>
      [...ws.users.values()].map((u) => ({ id: u.id, name: u.name, realName: u.realName, email: u.email, tz: u.tz, isBot: u.isBot, deleted: u.deleted })),
    channels: () =>
      [...ws.channels.values()].map((c) => ({ id: c.id, name: c.name, members: [...c.members], isPrivate: c.isPrivate, isArchived: c.isArchived, isIm: c.isIm })),
    rateLimit: (method, rule) => api.rateLimit(method, rule),
    failNext: (method, error) => api.failNext(method, error),
    setAppUrl: (url) => {
      appUrl = url;
    },
    subscribe: (listener) => ws.subscribe(listener),
    slashCommand: (userId, channelId, command, text) => client.slashCommand(userId, conversationId(channelId), command, text),
    builtInCommand: (userId, channelId, command, text) => {
      const channel = ws.findChannel(conversationId(channelId));
      const botMention = new RegExp(`^(@?${ws.bot.name}|<@${ws.bot.userId}(\\|[^>]*)?>)$`, 'i');
      const say = (text: string) => ws.postEphemeral({ user: userId, channel: channel?.id ?? channelId, text, blocks: undefined, source: 'slackbot' });
      if (command === '/invite' && channel && !channel.isIm && botMention.test(text.trim())) {
        channel.members.add(ws.bot.userId);
        say(channel.members.has(userId) ? `You added @${ws.bot.name} to #${channel.name}.` : `@${ws.bot.name} was added to #${channel.name}.`);
        return { handled: 'invited' };
      }
      say(`${command} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`);
      return { handled: 'not_a_command' };
    },
    clickButton: (userId, where, actionId, opts) =>
      client.clickButton(userId, 'channelId' in where ? { ...where, channelId: conversationId(where.channelId) } : where, actionId, opts),
    selectInView: (userId, viewId, actionId, selected, opts) => client.selectInView(userId, viewId, actionId, selected, opts),
    setViewValue: (userId, viewId, blockId, actionId, value) => client.setViewValue(userId, viewId, blockId, actionId, value),
    pressEnter: (userId, viewId, blockId, actionId, value) => client.pressEnter(userId, viewId, blockId, actionId, value),
    submitView: (userId, viewId) => client.submitView(userId, viewId),
    closeView: (userId, viewId) => client.closeView(userId, viewId),
    requestOptions: (userId, viewId, actionId, query, opts) => client.requestOptions(userId, viewId, actionId, query, opts),
    deliverEvent: (event) => client.deliverEvent(event),
    openHome: (userId) => client.openHome(userId),
    postUserMessage: (userId, channelId, text) => client.postUserMessage(userId, conversationId(channelId), text),
    messageShortcut: (userId, channelId, ts, callbackId) => client.messageShortcut(userId, conversationId(channelId), ts, callbackId),
    setUnfurlDomains: (domains) => {
      ws.unfurlDomains = domains.map((d) => d.toLowerCase());
    },
    sign: (body, timestamp) => client.sign(body, timestamp),
    close: () => http.close(),
  };
}
