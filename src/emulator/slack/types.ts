import type { KnownBlock, Block, PlainTextElement } from '@slack/types';

export interface EmulatorUserSeed {
  id: string;
  name: string;
  realName?: string;
  email?: string | null;
  /** IANA zone; default `America/Los_Angeles` (Slack's own examples). */
  tz?: string;
  isAdmin?: boolean;
  isBot?: boolean;
  deleted?: boolean;
}

export interface EmulatorChannelSeed {
  id: string;
  name: string;
  members: string[];
  isPrivate?: boolean;
  isArchived?: boolean;
}

export interface SlackEmulatorOptions {
  port?: number;
  host?: string;
  signingSecret: string;
  botToken: string;
  /** The app's request URL, e.g. `http://127.0.0.1:3000/slack/events`; settable later with `setAppUrl`. */
  appUrl?: string;
  team?: { id: string; name: string; domain?: string };
  users?: EmulatorUserSeed[];
  channels?: EmulatorChannelSeed[];
  /** Default `UBOT0001`; the bot is a member of the channels that list it in `members`. */
  botUserId?: string;
  botName?: string;
  /** When true the bot may post to public channels it is not a member of (scope `chat:write.public`). Default false. */
  chatWritePublic?: boolean;
  /** Millisecond clock for trigger/response_url expiry and message timestamps. Signatures always use the real clock. */
  now?: () => number;
  /** How long the client waits for the app's ack before giving up, like Slack's 3 s. */
  ackTimeoutMs?: number;
  /** The manifest's `app_unfurl_domains`: links to these hosts (and their subdomains) in people's messages send `link_shared`. */
  unfurlDomains?: string[];
}

export type AnyBlock = KnownBlock | Block;

export interface ViewStateValue {
  type: string;
  value?: string | null;
  selected_option?: { text: PlainTextElement | { type: string; text: string }; value: string } | null;
  selected_options?: Array<{ text: PlainTextElement | { type: string; text: string }; value: string }>;
  selected_date?: string | null;
  selected_time?: string | null;
  selected_date_time?: number | null;
  selected_user?: string | null;
  selected_users?: string[];
  selected_conversation?: string | null;
  selected_conversations?: string[];
  selected_channel?: string | null;
  selected_channels?: string[];
}

export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

/** A view as Slack returns it from views.* and sends it in payloads. */
export interface ViewOutput {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: PlainTextElement;
  close: PlainTextElement | null;
  submit: PlainTextElement | null;
  blocks: AnyBlock[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: ViewStateValues };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

/** A view as the user sees it in the emulator: the Slack shape plus field errors shown after `response_action: "errors"`. */
export interface ViewSnapshot extends ViewOutput {
  errors: Record<string, string> | null;
}

export interface MessageSnapshot {
  channel: string;
  ts: string;
  /** Author: the bot user id for app messages. */
  user: string;
  botId?: string;
  text: string;
  blocks: AnyBlock[];
  threadTs?: string;
  edited?: { user: string; ts: string };
  /** App unfurls attached with chat.unfurl, by URL. */
  unfurls?: Record<string, { blocks: AnyBlock[] }>;
}

export interface EphemeralSnapshot {
  channel: string;
  ts: string;
  text: string;
  blocks: AnyBlock[];
  threadTs?: string;
  /** How it got there: `chat.postEphemeral`, a `response_url` post, a slash command's ack, or Slack itself (Slackbot). */
  source: 'chat.postEphemeral' | 'response_url' | 'command_ack' | 'slackbot';
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
  at: number;
}

export interface DeliveryResult {
  /** False when the Slack client would not have sent anything (e.g. a required field is empty, or notify_on_close is off). */
  delivered: boolean;
  status: number;
  body: string;
  json?: unknown;
  ackMs: number;
  /** The app did not answer within the ack timeout (Slack shows the user an error). */
  timedOut?: boolean;
  /** The ack carried content Slack would reject (invalid blocks/view/options); nothing of it was applied. */
  ackError?: { error: string; messages: string[] };
  /** Client-side field errors that stopped a submission before it was sent (block_id → message). */
  clientErrors?: Record<string, string>;
}

export type SelectedOptionInput = { value: string; text?: string };

/** What `setViewValue` accepts, by element: text/number/date/time inputs take a string, selects and radios an option value, checkboxes and multi-selects a list. */
export type ViewInputValue = string | string[] | SelectedOptionInput | SelectedOptionInput[] | null;

export type EmulatorChange =
  | { type: 'message_posted' | 'message_updated' | 'message_deleted'; channel: string; ts: string }
  | { type: 'ephemeral_posted' | 'ephemeral_updated' | 'ephemeral_deleted'; user: string; channel: string; ts: string }
  | { type: 'views_changed'; user: string }
  | { type: 'home_published'; user: string };

export type RateLimitRule = { times?: number; retryAfterSeconds: number } | { perSecond: number };
