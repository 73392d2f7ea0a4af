import { IdFactory } from './ids.js';
import type {
  AnyBlock,
  EmulatorChange,
  EphemeralSnapshot,
  MessageSnapshot,
  SlackEmulatorOptions,
  ViewOutput,
  ViewSnapshot,
  ViewStateValues,
} from './types.js';
import { buildState, withGeneratedIds } from './view-state.js';

export const TRIGGER_TTL_MS = 3_000;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;
export const RESPONSE_URL_MAX_USES = 5;
export const MODAL_STACK_LIMIT = 3;
const DEFAULT_TZ = 'America/Los_Angeles';

export interface UserRecord {
  id: string;
  name: string;
  realName: string;
  email: string | null;
  tz: string;
  isAdmin: boolean;
  isBot: boolean;
  deleted: boolean;
}

export interface ChannelRecord {
  id: string;
  name: string;
  members: Set<string>;
  isPrivate: boolean;
  isArchived: boolean;
  isIm: boolean;
  isMpim: boolean;
  /** The human on the other side of an app DM. */
  imUser?: string;
  created: number;
}

export interface MessageRecord {
  channel: string;
  ts: string;
  user: string;
  botId?: string;
  text: string;
  blocks: AnyBlock[];
  threadTs?: string;
  edited?: { user: string; ts: string };
  /** What the app attached with chat.unfurl, by URL. */
  unfurls?: Record<string, { blocks: AnyBlock[] }>;
}

export interface EphemeralRecord extends EphemeralSnapshot {
  user: string;
}

export interface ViewRecord {
  userId: string;
  output: ViewOutput;
  errors: Record<string, string> | null;
  /** Inputs the user changed; only these survive a views.update. */
  touched: Set<string>;
  /** Options the app last returned for each external select (action_id → options). */
  externalOptions: Map<string, Array<Record<string, unknown>>>;
}

export interface TriggerRecord {
  id: string;
  userId: string;
  createdAt: number;
  used: boolean;
  /** Set when the interaction happened inside a view, so views.push can stack onto it. */
  viewId?: string;
}

export interface ResponseUrlRecord {
  url: string;
  userId: string;
  channelId: string;
  createdAt: number;
  uses: number;
  /** The message whose interaction produced this URL (replace_original / delete_original act on it). */
  source?: { channel: string; ts: string; ephemeral: boolean };
}

/** Workspace data plus the state the Slack client shows; all mutations go through here and notify listeners. */
export class Workspace {
  readonly ids: IdFactory;
  readonly now: () => number;
  readonly team: { id: string; name: string; domain: string };
  readonly bot: { userId: string; botId: string; appId: string; name: string };
  readonly chatWritePublic: boolean;
  unfurlDomains: string[];
  readonly users = new Map<string, UserRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  private readonly history = new Map<string, MessageRecord[]>();
  private readonly ephemeralsByUser = new Map<string, EphemeralRecord[]>();
  private readonly modalStacks = new Map<string, ViewRecord[]>();
  private readonly homes = new Map<string, ViewRecord>();
  readonly triggers = new Map<string, TriggerRecord>();
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  private readonly openedIms = new Set<string>();
  private readonly listeners = new Set<(change: EmulatorChange) => void>();

  constructor(options: SlackEmulatorOptions) {
    this.now = options.now ?? Date.now;
    this.ids = new IdFactory(this.now);
    const team = options.team ?? { id: 'T0EMULATE', name: 'Emulated Workspace' };
    this.team = { id: team.id, name: team.name, domain: team.domain ?? team.name.toLowerCase().replace(/[^a-z0-9]+/g, '-') };
    this.bot = { userId: options.botUserId ?? 'UBOT0001', botId: 'BEMU00001', appId: 'AEMU00001', name: options.botName ?? 'kr-checkin' };
    this.chatWritePublic = options.chatWritePublic ?? false;
    this.unfurlDomains = (options.unfurlDomains ?? []).map((d) => d.toLowerCase());
    const created = Math.floor(this.now() / 1000);
    for (const seed of options.users ?? []) {
      this.users.set(seed.id, {
        id: seed.id,
        name: seed.name,
        realName: seed.realName ?? seed.name,
        email: seed.email ?? null,
        tz: seed.tz ?? DEFAULT_TZ,
        isAdmin: seed.isAdmin ?? false,
        isBot: seed.isBot ?? false,
        deleted: seed.deleted ?? false,
      });
    }
    if (!this.users.has(this.bot.userId)) {
      this.users.set(this.bot.userId, {
        id: this.bot.userId,
        name: this.bot.name,
        realName: this.bot.name,
        email: null,
        tz: DEFAULT_TZ,
        isAdmin: false,
        isBot: true,
        deleted: false,
      });
    }
    for (const seed of options.channels ?? []) {
      this.channels.set(seed.id, {
        id: seed.id,
        name: seed.name,
        members: new Set(seed.members),
        isPrivate: seed.isPrivate ?? false,
        isArchived: seed.isArchived ?? false,
        isIm: false,
        isMpim: false,
        created,
      });
    }
    for (const user of this.users.values()) {
      if (user.isBot) continue;
      const id = dmChannelIdFor(user.id);
      this.channels.set(id, {
        id,
        name: user.id,
        members: new Set([user.id, this.bot.userId]),
        isPrivate: true,
        isArchived: false,
        isIm: true,
        isMpim: false,
        imUser: user.id,
        created,
      });
    }
  }

  subscribe(listener: (change: EmulatorChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: EmulatorChange): void {
    for (const listener of this.listeners) listener(change);
  }

  // ---- people and conversations ----

  humanUser(userId: string): UserRecord {
    const user = this.users.get(userId);
    if (!user || user.isBot) throw new Error(`Unknown user ${userId}`);
    return user;
  }

  dmOf(userId: string): ChannelRecord | undefined {
    return this.channels.get(dmChannelIdFor(userId));
  }

  /** Whether the IM had been opened before (conversations.open answers `already_open` then). */
  markImOpened(channelId: string): boolean {
    const before = this.openedIms.has(channelId);
    this.openedIms.add(channelId);
    return before;
  }

  createMpim(userIds: string[]): ChannelRecord {
    const members = [...userIds, this.bot.userId].sort();
    for (const channel of this.channels.values()) {
      if (channel.isMpim && [...channel.members].sort().join() === members.join()) return channel;
    }
    const id = this.ids.channelId('G');
    const channel: ChannelRecord = {
      id,
      name: `mpdm-${userIds.map((u) => this.users.get(u)?.name ?? u).join('--')}-1`,
      members: new Set(members),
      isPrivate: true,
      isArchived: false,
      isIm: false,
      isMpim: true,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(id, channel);
    return channel;
  }

  /** A channel by id, or by name with or without `#`. */
  findChannel(idOrName: string): ChannelRecord | undefined {
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    for (const channel of this.channels.values()) {
      if (!channel.isIm && !channel.isMpim && channel.name === name) return channel;
    }
    return undefined;
  }

  /** Private conversations exist for the bot only when it is in them (Slack answers channel_not_found otherwise). */
  botCanSee(channel: ChannelRecord): boolean {
    return !channel.isPrivate || channel.members.has(this.bot.userId);
  }

  // ---- messages ----

  messagesIn(channelId: string): MessageRecord[] {
    return this.history.get(channelId) ?? [];
  }

  findMessage(channelId: string, ts: string): MessageRecord | undefined {
    return this.messagesIn(channelId).find((m) => m.ts === ts);
  }

  postMessage(input: { channel: string; user: string; text: string; blocks: readonly unknown[] | undefined; threadTs?: string }): MessageRecord {
    const message: MessageRecord = {
      channel: input.channel,
      ts: this.ids.messageTs(),
      user: input.user,
      text: input.text,
      blocks: withGeneratedIds(input.blocks ?? [], () => this.ids.shortId()),
    };
    if (input.user === this.bot.userId) message.botId = this.bot.botId;
    if (input.threadTs) message.threadTs = input.threadTs;
    const list = this.history.get(input.channel) ?? [];
    list.push(message);
    this.history.set(input.channel, list);
    this.emit({ type: 'message_posted', channel: message.channel, ts: message.ts });
    return message;
  }

  updateMessage(message: MessageRecord, change: { text: string; blocks?: readonly unknown[] }): MessageRecord {
    message.text = change.text;
    if (change.blocks !== undefined) message.blocks = withGeneratedIds(change.blocks, () => this.ids.shortId());
    message.edited = { user: this.bot.userId, ts: this.ids.messageTs() };
    this.emit({ type: 'message_updated', channel: message.channel, ts: message.ts });
    return message;
  }

  /** Links in `text` (`<url>`, `<url|label>` or bare) whose host is one of the app's unfurl domains. */
  unfurlableLinks(text: string): Array<{ url: string; domain: string }> {
    const links: Array<{ url: string; domain: string }> = [];
    for (const match of text.matchAll(/<(https?:\/\/[^|>\s]+)(?:\|[^>]*)?>|(https?:\/\/[^\s<>]+)/g)) {
      const url = match[1] ?? match[2]!;
      let host: string;
      try {
        host = new URL(url).hostname.toLowerCase();
      } catch {
        continue;
      }
      const domain = this.unfurlDomains.find((d) => host === d || host.endsWith(`.${d}`));
      if (domain && !links.some((l) => l.url === url)) links.push({ url, domain });
    }
    return links;
  }

  setUnfurls(message: MessageRecord, unfurls: Record<string, { blocks: AnyBlock[] }>): void {
    message.unfurls = { ...message.unfurls, ...unfurls };
    this.emit({ type: 'message_updated', channel: message.channel, ts: message.ts });
  }

  deleteMessage(message: MessageRecord): void {
    const list = this.history.get(message.channel) ?? [];
    this.history.set(
      message.channel,
      list.filter((m) => m !== message),
    );
    this.emit({ type: 'message_deleted', channel: message.channel, ts: message.ts });
  }

  messageJson(message: MessageRecord): Record<string, unknown> {
    const json: Record<string, unknown> = {
      user: message.user,
      type: 'message',
      ts: message.ts,
      text: message.text,
      team: this.team.id,
      blocks: message.blocks,
    };
    if (message.botId) {
      json.bot_id = message.botId;
      json.app_id = this.bot.appId;
      json.bot_profile = { id: this.bot.botId, app_id: this.bot.appId, name: this.bot.name, deleted: false, team_id: this.team.id };
    }
    if (message.threadTs) json.thread_ts = message.threadTs;
    if (message.unfurls) json.attachments = Object.entries(message.unfurls).map(([url, unfurl], i) => ({ id: i + 1, app_unfurl_url: url, is_app_unfurl: true, blocks: unfurl.blocks }));
    if (message.edited) json.edited = { ...message.edited };
    return json;
  }

  messageSnapshot(message: MessageRecord): MessageSnapshot {
    const snapshot: MessageSnapshot = {
      channel: message.channel,
      ts: message.ts,
      user: message.user,
      text: message.text,
      blocks: structuredClone(message.blocks),
    };
    if (message.botId) snapshot.botId = message.botId;
    if (message.threadTs) snapshot.threadTs = message.threadTs;
    if (message.edited) snapshot.edited = { ...message.edited };
    if (message.unfurls) snapshot.unfurls = structuredClone(message.unfurls);
    return snapshot;
  }

  // ---- ephemerals ----

  ephemeralsOf(userId: string): EphemeralRecord[] {
    return this.ephemeralsByUser.get(userId) ?? [];
  }

  postEphemeral(input: { user: string; channel: string; text: string; blocks: readonly unknown[] | undefined; threadTs?: string; source: EphemeralRecord['source'] }): EphemeralRecord {
    const record: EphemeralRecord = {
      user: input.user,
      channel: input.channel,
      ts: this.ids.messageTs(),
      text: input.text,
      blocks: withGeneratedIds(input.blocks ?? [], () => this.ids.shortId()),
      source: input.source,
    };
    if (input.threadTs) record.threadTs = input.threadTs;
    const list = this.ephemeralsByUser.get(input.user) ?? [];
    list.push(record);
    this.ephemeralsByUser.set(input.user, list);
    this.emit({ type: 'ephemeral_posted', user: record.user, channel: record.channel, ts: record.ts });
    return record;
  }

  replaceEphemeral(record: EphemeralRecord, change: { text: string; blocks: readonly unknown[] | undefined }): void {
    record.text = change.text;
    record.blocks = withGeneratedIds(change.blocks ?? [], () => this.ids.shortId());
    this.emit({ type: 'ephemeral_updated', user: record.user, channel: record.channel, ts: record.ts });
  }

  deleteEphemeral(record: EphemeralRecord): void {
    const list = this.ephemeralsByUser.get(record.user) ?? [];
    this.ephemeralsByUser.set(
      record.user,
      list.filter((e) => e !== record),
    );
    this.emit({ type: 'ephemeral_deleted', user: record.user, channel: record.channel, ts: record.ts });
  }

  // ---- triggers and response URLs ----

  newTrigger(userId: string, viewId?: string): string {
    const id = this.ids.triggerId(this.team.id.replace(/\D/g, '') || '1');
    const record: TriggerRecord = { id, userId, createdAt: this.now(), used: false };
    if (viewId) record.viewId = viewId;
    this.triggers.set(id, record);
    return id;
  }

  newResponseUrl(baseUrl: string, kind: 'commands' | 'actions', record: Omit<ResponseUrlRecord, 'url' | 'createdAt' | 'uses'>): string {
    const url = `${baseUrl}/${kind}/${this.team.id}/${this.ids.sequence()}/${this.ids.secret()}`;
    this.responseUrls.set(new URL(url).pathname, { ...record, url, createdAt: this.now(), uses: 0 });
    return url;
  }

  // ---- views ----

  modalStack(userId: string): ViewRecord[] {
    return this.modalStacks.get(userId) ?? [];
  }

  home(userId: string): ViewRecord | undefined {
    return this.homes.get(userId);
  }

  findView(viewId: string): ViewRecord | undefined {
    for (const stack of this.modalStacks.values()) {
      const found = stack.find((v) => v.output.id === viewId);
      if (found) return found;
    }
    for (const home of this.homes.values()) if (home.output.id === viewId) return home;
    return undefined;
  }

  findViewByExternalId(externalId: string): ViewRecord | undefined {
    if (!externalId) return undefined;
    for (const stack of this.modalStacks.values()) {
      const found = stack.find((v) => v.output.external_id === externalId);
      if (found) return found;
    }
    for (const home of this.homes.values()) if (home.output.external_id === externalId) return home;
    return undefined;
  }

  /** Builds the stored view Slack returns: generated ids, defaults, fresh hash, state. */
  private materialize(view: Record<string, unknown>, id: string, previous?: ViewRecord): ViewOutput {
    const blocks = withGeneratedIds(Array.isArray(view.blocks) ? view.blocks : [], () => this.ids.shortId());
    const type = view.type === 'home' ? 'home' : 'modal';
    const output: ViewOutput = {
      id,
      team_id: this.team.id,
      type,
      close: (view.close as ViewOutput['close']) ?? null,
      submit: (view.submit as ViewOutput['submit']) ?? null,
      blocks,
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      state: { values: buildState(blocks, previous?.output.state.values, previous?.touched) },
      hash: this.ids.viewHash(),
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      root_view_id: previous?.output.root_view_id ?? id,
      previous_view_id: previous?.output.previous_view_id ?? null,
      app_id: this.bot.appId,
      app_installed_team_id: this.team.id,
      bot_id: this.bot.botId,
    };
    if (view.title !== undefined) output.title = view.title as ViewOutput['title'];
    return output;
  }

  openModal(userId: string, view: Record<string, unknown>): ViewRecord {
    const record = this.newRecord(userId, this.materialize(view, this.ids.viewId()));
    this.modalStacks.set(userId, [record]);
    this.emit({ type: 'views_changed', user: userId });
    return record;
  }

  pushModal(userId: string, view: Record<string, unknown>): ViewRecord {
    const stack = this.modalStack(userId);
    const top = stack[stack.length - 1];
    const output = this.materialize(view, this.ids.viewId());
    output.root_view_id = stack[0]?.output.id ?? output.id;
    output.previous_view_id = top?.output.id ?? null;
    const record = this.newRecord(userId, output);
    this.modalStacks.set(userId, [...stack, record]);
    this.emit({ type: 'views_changed', user: userId });
    return record;
  }

  /** Replaces a view's content in place (views.update, response_action update); keeps its id and position. */
  replaceView(record: ViewRecord, view: Record<string, unknown>): ViewRecord {
    const output = this.materialize(view, record.output.id, record);
    const touchedStill = new Set<string>();
    for (const [blockId, actions] of Object.entries(output.state.values)) {
      for (const actionId of Object.keys(actions)) {
        const key = `${blockId}\u0000${actionId}`;
        if (record.touched.has(key)) touchedStill.add(key);
      }
    }
    record.output = output;
    record.errors = null;
    record.touched = touchedStill;
    this.emit(output.type === 'home' ? { type: 'home_published', user: record.userId } : { type: 'views_changed', user: record.userId });
    return record;
  }

  publishHome(userId: string, view: Record<string, unknown>): ViewRecord {
    const existing = this.homes.get(userId);
    if (existing) return this.replaceView(existing, view);
    const record = this.newRecord(userId, this.materialize(view, this.ids.viewId()));
    this.homes.set(userId, record);
    this.emit({ type: 'home_published', user: userId });
    return record;
  }

  /** Closes the top modal (or all of them when `all`). */
  closeModals(userId: string, all: boolean): void {
    const stack = this.modalStack(userId);
    this.modalStacks.set(userId, all ? [] : stack.slice(0, -1));
    this.emit({ type: 'views_changed', user: userId });
  }

  setViewErrors(record: ViewRecord, errors: Record<string, string> | null): void {
    record.errors = errors;
    this.emit({ type: 'views_changed', user: record.userId });
  }

  setStateValue(record: ViewRecord, blockId: string, actionId: string, value: ViewStateValues[string][string]): void {
    (record.output.state.values[blockId] ??= {})[actionId] = value;
    record.touched.add(`${blockId}\u0000${actionId}`);
    this.emit({ type: 'views_changed', user: record.userId });
  }

  private newRecord(userId: string, output: ViewOutput): ViewRecord {
    return { userId, output, errors: null, touched: new Set(), externalOptions: new Map() };
  }

  viewSnapshot(record: ViewRecord): ViewSnapshot {
    return { ...structuredClone(record.output), errors: record.errors ? { ...record.errors } : null };
  }

  // ---- JSON shapes of users and conversations ----

  userJson(user: UserRecord): Record<string, unknown> {
    const { offset, label } = zoneInfo(user.tz, this.now());
    const [first = user.realName, ...rest] = user.realName.split(' ');
    const profile: Record<string, unknown> = {
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.name,
      display_name_normalized: user.name,
      first_name: first,
      last_name: rest.join(' '),
      title: '',
      phone: '',
      skype: '',
      status_text: '',
      status_emoji: '',
      avatar_hash: 'g0000000000',
      image_24: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=24`,
      image_48: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=48`,
      image_72: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=72`,
      team: this.team.id,
    };
    if (user.email !== null && !user.isBot) profile.email = user.email;
    if (user.isBot) {
      profile.bot_id = this.bot.botId;
      profile.api_app_id = this.bot.appId;
      profile.always_active = true;
    }
    return {
      id: user.id,
      team_id: this.team.id,
      name: user.name,
      deleted: user.deleted,
      color: '9f69e7',
      real_name: user.realName,
      tz: user.tz,
      tz_label: label,
      tz_offset: offset,
      profile,
      is_admin: user.isAdmin,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
      is_email_confirmed: user.email !== null,
      who_can_share_contact_card: 'EVERYONE',
    };
  }

  channelJson(channel: ChannelRecord): Record<string, unknown> {
    if (channel.isIm) {
      return {
        id: channel.id,
        created: channel.created,
        is_im: true,
        is_org_shared: false,
        user: channel.imUser,
        is_user_deleted: this.users.get(channel.imUser ?? '')?.deleted ?? false,
        priority: 0,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !channel.isPrivate,
      is_group: channel.isPrivate && !channel.isMpim,
      is_im: false,
      is_mpim: channel.isMpim,
      is_private: channel.isPrivate,
      created: channel.created,
      is_archived: channel.isArchived,
      is_general: channel.name === 'general',
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_org_shared: false,
      is_member: channel.members.has(this.bot.userId),
      num_members: channel.members.size,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    };
  }
}

/** The app DM channel id of a user: stable, derived from the user id. */
export function dmChannelIdFor(userId: string): string {
  return `D${userId.replace(/^[UW]/, '')}`;
}

/** Formatters per time zone: building one costs far more than formatting, and users.list formats every member. */
const zoneFormatters = new Map<string, { offset: Intl.DateTimeFormat; label: Intl.DateTimeFormat }>();

function zoneInfo(tz: string, at: number): { offset: number; label: string } {
  try {
    let formatters = zoneFormatters.get(tz);
    if (!formatters) {
      formatters = {
        offset: new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }),
        label: new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' }),
      };
      zoneFormatters.set(tz, formatters);
    }
    const parts = formatters.offset.formatToParts(at);
    const raw = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(raw);
    const offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
    const label = formatters.label.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? tz;
    return { offset, label };
  } catch {
    return { offset: 0, label: tz };
  }
}
