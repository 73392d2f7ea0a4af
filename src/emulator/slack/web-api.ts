import {
  formatProblem,
  isViewTooLarge,
  validateMessageBlocks,
  validateView,
  type BlockKitProblem,
} from './block-kit-validator.js';
import type { AnyBlock, RateLimitRule, RecordedCall } from './types.js';
import {
  MODAL_STACK_LIMIT,
  TRIGGER_TTL_MS,
  dmChannelIdFor,
  type ChannelRecord,
  type MessageRecord,
  type ViewRecord,
  type Workspace,
} from './workspace.js';

export type Args = Record<string, unknown>;

/** A Slack Web API error answer: `{ ok: false, error, ...extra }`. */
export class ApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const MAX_MESSAGE_TEXT = 40_000;

function withMessages(error: string, problems: BlockKitProblem[]): ApiError {
  return new ApiError(error, { response_metadata: { messages: problems.map(formatProblem) } });
}

/** Slack answers invalid blocks with the reasons twice: a top-level `errors` array and `response_metadata.messages`. */
function invalidBlocks(problems: BlockKitProblem[]): ApiError {
  return new ApiError('invalid_blocks', {
    errors: problems.map((problem) => `${problem.reason} [json-pointer:${problem.pointer}]`),
    response_metadata: { messages: problems.map(formatProblem) },
  });
}

function invalidArguments(...messages: string[]): ApiError {
  return new ApiError('invalid_arguments', { response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } });
}

export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

export function bool(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Form bodies carry JSON arguments as strings (that is how @slack/web-api sends blocks and views). */
function jsonArg(args: Args, key: string, onParseError: () => ApiError): unknown {
  const value = args[key];
  if (typeof value !== 'string') return value;
  if (value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw onParseError();
  }
}

type Handler = (args: Args) => Record<string, unknown>;

interface RateLimitState {
  rule: RateLimitRule;
  remaining: number;
  recent: number[];
}

/** The Web API surface: dispatch, auth, recorded calls, injected failures and rate limits. */
export class WebApi {
  readonly calls: RecordedCall[] = [];
  private readonly failures = new Map<string, string[]>();
  private readonly rateLimits = new Map<string, RateLimitState>();
  private readonly handlers: Record<string, Handler>;

  constructor(
    private readonly ws: Workspace,
    private readonly botToken: string,
  ) {
    this.handlers = {
      'api.test': (args) => ({ args: redactToken(args) }),
      'auth.test': () => this.authTest(),
      'chat.postMessage': (args) => this.postMessage(args),
      'chat.update': (args) => this.update(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'chat.delete': (args) => this.deleteMessage(args),
      'chat.getPermalink': (args) => this.permalink(args),
      'chat.unfurl': (args) => this.unfurl(args),
      'views.open': (args) => this.viewsOpen(args),
      'views.push': (args) => this.viewsPush(args),
      'views.update': (args) => this.viewsUpdate(args),
      'views.publish': (args) => this.viewsPublish(args),
      'users.info': (args) => this.usersInfo(args),
      'users.lookupByEmail': (args) => this.lookupByEmail(args),
      'users.list': (args) => this.usersList(args),
      'conversations.open': (args) => this.conversationsOpen(args),
      'conversations.members': (args) => this.conversationsMembers(args),
      'conversations.info': (args) => this.conversationsInfo(args),
      'conversations.join': (args) => this.conversationsJoin(args),
    };
  }

  failNext(method: string, error: string): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(error);
    this.failures.set(method, queue);
  }

  rateLimit(method: string, rule: RateLimitRule): void {
    this.rateLimits.set(method, { rule, remaining: 'perSecond' in rule ? 0 : (rule.times ?? 1), recent: [] });
  }

  /** Returns the Retry-After seconds when this call is over the configured limit. */
  private checkRateLimit(method: string): number | undefined {
    const state = this.rateLimits.get(method);
    if (!state) return undefined;
    if ('perSecond' in state.rule) {
      const now = this.ws.now();
      state.recent = state.recent.filter((at) => now - at < 1000);
      if (state.recent.length >= state.rule.perSecond) return 1;
      state.recent.push(now);
      return undefined;
    }
    if (state.remaining <= 0) return undefined;
    state.remaining -= 1;
    if (state.remaining === 0) this.rateLimits.delete(method);
    return state.rule.retryAfterSeconds;
  }

  handle(method: string, rawArgs: Args, bearer: string | undefined, bodyKind: 'json' | 'form'): ApiResponse {
    const args = redactToken(rawArgs);
    const handler = this.handlers[method];
    const respond = (body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): ApiResponse => {
      const call: RecordedCall = { method, args: this.readableArgs(args), ok: body.ok === true, at: this.ws.now() };
      if (typeof body.error === 'string') call.error = body.error;
      this.calls.push(call);
      return { status, headers, body };
    };
    if (!handler) return respond({ ok: false, error: 'unknown_method', req_method: method });
    // JSON bodies must carry the token in the Authorization header; form bodies may put it in `token`.
    const token = bearer ?? (bodyKind === 'form' ? str(rawArgs, 'token') : undefined);
    if (token === undefined) return respond({ ok: false, error: 'not_authed' });
    if (token !== this.botToken) return respond({ ok: false, error: 'invalid_auth' });
    // Rate limits count per app and workspace, which only the token tells: authentication comes first.
    const retryAfter = this.checkRateLimit(method);
    if (retryAfter !== undefined) return respond({ ok: false, error: 'ratelimited' }, 429, { 'Retry-After': String(retryAfter) });
    const injected = this.failures.get(method)?.shift();
    if (injected !== undefined) return respond({ ok: false, error: injected });
    try {
      return respond({ ok: true, ...handler(args) });
    } catch (error) {
      if (error instanceof ApiError) return respond({ ok: false, error: error.error, ...error.extra });
      throw error;
    }
  }

  /** Arguments as recorded in `calls`: JSON-string arguments decoded so tests can inspect blocks and views. */
  private readableArgs(args: Args): Args {
    const out: Args = { ...args };
    for (const key of ['blocks', 'view', 'attachments', 'metadata']) {
      const value = out[key];
      if (typeof value === 'string') {
        try {
          out[key] = JSON.parse(value);
        } catch {
          // keep the raw string: the call failed with a format error anyway
        }
      }
    }
    return out;
  }

  // ---- auth ----

  private authTest(): Record<string, unknown> {
    return {
      url: `https://${this.ws.team.domain}.slack.com/`,
      team: this.ws.team.name,
      user: this.ws.bot.name,
      team_id: this.ws.team.id,
      user_id: this.ws.bot.userId,
      bot_id: this.ws.bot.botId,
      is_enterprise_install: false,
    };
  }

  // ---- chat ----

  /** Where a new message goes: C…/G…/D… ids, channel names, or a user id meaning the app DM with that user. */
  private postTarget(channelArg: string | undefined): ChannelRecord {
    if (!channelArg) throw new ApiError('channel_not_found');
    let channel: ChannelRecord | undefined;
    if (/^[UW]/.test(channelArg)) {
      const user = this.ws.users.get(channelArg);
      if (!user || user.isBot) throw new ApiError('channel_not_found');
      if (user.deleted) throw new ApiError('user_disabled');
      channel = this.ws.channels.get(dmChannelIdFor(user.id));
    } else {
      channel = this.ws.findChannel(channelArg);
    }
    if (!channel || !this.ws.botCanSee(channel)) throw new ApiError('channel_not_found');
    if (channel.isArchived) throw new ApiError('is_archived');
    if (!channel.isPrivate && !channel.members.has(this.ws.bot.userId) && !this.ws.chatWritePublic) {
      throw new ApiError('not_in_channel');
    }
    return channel;
  }

  /** An existing conversation given by exact id (chat.update/delete need the real C…/D… id, not a user id). */
  private existingChannel(channelArg: string | undefined): ChannelRecord {
    const channel = channelArg ? this.ws.channels.get(channelArg) : undefined;
    if (!channel || !this.ws.botCanSee(channel)) throw new ApiError('channel_not_found');
    return channel;
  }

  private messageContent(args: Args): { text: string | undefined; blocks: unknown[] | undefined } {
    const text = typeof args.text === 'string' ? args.text : str(args, 'text');
    const blocks = jsonArg(args, 'blocks', () => new ApiError('invalid_blocks_format'));
    const attachments = jsonArg(args, 'attachments', () => new ApiError('invalid_attachments'));
    if (blocks !== undefined) {
      if (!Array.isArray(blocks)) throw new ApiError('invalid_blocks_format');
      const problems = validateMessageBlocks(blocks);
      if (problems.length > 0) throw invalidBlocks(problems);
    }
    const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
    if ((text === undefined || text === '') && blocks === undefined && !hasAttachments) {
      throw new ApiError('no_text');
    }
    if (text !== undefined && text.length > MAX_MESSAGE_TEXT) throw new ApiError('msg_too_long');
    return { text, blocks: blocks as unknown[] | undefined };
  }

  private postMessage(args: Args): Record<string, unknown> {
    const channel = this.postTarget(str(args, 'channel'));
    const { text, blocks } = this.messageContent(args);
    const threadTs = str(args, 'thread_ts');
    const message = this.ws.postMessage({ channel: channel.id, user: this.ws.bot.userId, text: text ?? '', blocks, ...(threadTs ? { threadTs } : {}) });
    return { channel: channel.id, ts: message.ts, message: this.ws.messageJson(message) };
  }

  private ownMessage(args: Args, tsKey: string, notOwnError: string): { channel: ChannelRecord; message: MessageRecord } {
    const channel = this.existingChannel(str(args, 'channel'));
    const ts = str(args, tsKey);
    const message = ts ? this.ws.findMessage(channel.id, ts) : undefined;
    if (!message) throw new ApiError('message_not_found');
    if (message.user !== this.ws.bot.userId) throw new ApiError(notOwnError);
    return { channel, message };
  }

  private update(args: Args): Record<string, unknown> {
    const { channel, message } = this.ownMessage(args, 'ts', 'cant_update_message');
    if (channel.isArchived) throw new ApiError('is_archived');
    const { text, blocks } = this.messageContent(args);
    // Omitted blocks keep the previous ones (Slack's documented chat.update behaviour).
    this.ws.updateMessage(message, { text: text ?? '', ...(blocks !== undefined ? { blocks } : {}) });
    return { channel: channel.id, ts: message.ts, text: message.text, message: this.ws.messageJson(message) };
  }

  private postEphemeral(args: Args): Record<string, unknown> {
    const channelArg = str(args, 'channel');
    const userId = str(args, 'user');
    const user = userId ? this.ws.users.get(userId) : undefined;
    if (!user) throw new ApiError('user_not_found');
    const channel = this.postTarget(channelArg && /^[UW]/.test(channelArg) ? undefined : channelArg);
    if (!channel.members.has(user.id)) throw new ApiError('user_not_in_channel');
    const { text, blocks } = this.messageContent(args);
    const threadTs = str(args, 'thread_ts');
    const record = this.ws.postEphemeral({
      user: user.id,
      channel: channel.id,
      text: text ?? '',
      blocks,
      source: 'chat.postEphemeral',
      ...(threadTs ? { threadTs } : {}),
    });
    return { message_ts: record.ts };
  }

  private deleteMessage(args: Args): Record<string, unknown> {
    const { channel, message } = this.ownMessage(args, 'ts', 'cant_delete_message');
    this.ws.deleteMessage(message);
    return { channel: channel.id, ts: message.ts };
  }

  /**
   * chat.unfurl with `channel` and `ts` (the `source`/`unfurl_id` form is for the composer, which the
   * emulator does not model): `unfurls` maps URLs in that message to `{blocks}`; a URL the message
   * does not hold is `cannot_unfurl_url`, invalid blocks are `invalid_unfurls`.
   */
  private unfurl(args: Args): Record<string, unknown> {
    const channelArg = str(args, 'channel');
    const ts = str(args, 'ts');
    if (!channelArg || !ts) throw invalidArguments('channel and ts are required (or source and unfurl_id)');
    const channel = this.existingChannel(channelArg);
    const message = this.ws.findMessage(channel.id, ts);
    if (!message) throw new ApiError('cannot_find_message');
    const unfurls = jsonArg(args, 'unfurls', () => new ApiError('invalid_unfurls_format'));
    if (typeof unfurls !== 'object' || unfurls === null || Array.isArray(unfurls)) throw new ApiError('invalid_unfurls_format');
    const present = new Set(this.ws.unfurlableLinks(message.text).map((l) => l.url));
    const accepted: Record<string, { blocks: AnyBlock[] }> = {};
    for (const [url, unfurl] of Object.entries(unfurls as Record<string, unknown>)) {
      if (!present.has(url)) throw new ApiError('cannot_unfurl_url');
      const blocks = (unfurl as { blocks?: unknown } | null)?.blocks;
      if (!Array.isArray(blocks)) throw new ApiError('invalid_unfurls');
      const problems = validateMessageBlocks(blocks);
      if (problems.length > 0) throw invalidBlocks(problems);
      accepted[url] = { blocks: blocks as AnyBlock[] };
    }
    this.ws.setUnfurls(message, accepted);
    return {};
  }

  private permalink(args: Args): Record<string, unknown> {
    const channel = this.existingChannel(str(args, 'channel'));
    const ts = str(args, 'message_ts');
    if (!ts || !this.ws.findMessage(channel.id, ts)) throw new ApiError('message_not_found');
    return { channel: channel.id, permalink: `https://${this.ws.team.domain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}` };
  }

  // ---- views ----

  private parseView(args: Args, expectedType?: 'modal' | 'home'): Record<string, unknown> {
    if (args.view === undefined || args.view === '') throw invalidArguments('missing required field: view');
    const view = jsonArg(args, 'view', () => invalidArguments('failed to parse view JSON'));
    const problems = validateView(view);
    if (problems.length > 0) throw withMessages('invalid_arguments', problems);
    const record = view as Record<string, unknown>;
    if (expectedType && record.type !== expectedType) {
      throw invalidArguments(`view type must be \`${expectedType}\` for this method [json-pointer:/view/type]`);
    }
    if (isViewTooLarge(view)) throw new ApiError('view_too_large');
    return record;
  }

  private checkExternalId(view: Record<string, unknown>, self?: ViewRecord): void {
    const externalId = typeof view.external_id === 'string' ? view.external_id : '';
    const holder = this.ws.findViewByExternalId(externalId);
    if (holder && holder !== self) throw new ApiError('duplicate_external_id');
  }

  /** Exchanges a trigger_id: single use, valid for 3 seconds on the emulator clock. */
  private exchangeTrigger(args: Args): { userId: string; viewId?: string } {
    const triggerId = str(args, 'trigger_id') ?? str(args, 'interactivity_pointer');
    if (!triggerId) throw invalidArguments('missing required field: trigger_id');
    const trigger = this.ws.triggers.get(triggerId);
    // Slack: invalid_trigger_id for one it never issued or a malformed one (expected like "132456.7890123.abcdef").
    if (!trigger) throw new ApiError('invalid_trigger_id');
    if (trigger.used) throw new ApiError('exchanged_trigger_id');
    if (this.ws.now() - trigger.createdAt > TRIGGER_TTL_MS) throw new ApiError('expired_trigger_id');
    trigger.used = true;
    return trigger.viewId ? { userId: trigger.userId, viewId: trigger.viewId } : { userId: trigger.userId };
  }

  private viewsOpen(args: Args): Record<string, unknown> {
    const view = this.parseView(args, 'modal');
    this.checkExternalId(view);
    const { userId } = this.exchangeTrigger(args);
    return { view: this.ws.openModal(userId, view).output };
  }

  private viewsPush(args: Args): Record<string, unknown> {
    const view = this.parseView(args, 'modal');
    this.checkExternalId(view);
    const { userId, viewId } = this.exchangeTrigger(args);
    const stack = this.ws.modalStack(userId);
    if (stack.length === 0) throw invalidArguments('no open modal to push onto; use views.open');
    // Slack: views.push takes "a valid trigger_id generated from an interaction within the existing modal".
    if (viewId === undefined || stack.at(-1)?.output.id !== viewId) throw invalidArguments('trigger_id must come from an interaction in the modal on top of the stack; use views.open');
    if (stack.length >= MODAL_STACK_LIMIT) throw new ApiError('push_limit_reached');
    return { view: this.ws.pushModal(userId, view).output };
  }

  private viewsUpdate(args: Args): Record<string, unknown> {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    if (!viewId && !externalId) throw invalidArguments('either view_id or external_id is required');
    const view = this.parseView(args);
    const record = viewId ? this.ws.findView(viewId) : this.ws.findViewByExternalId(externalId ?? '');
    if (!record) throw new ApiError('not_found');
    if (record.output.type !== view.type) throw invalidArguments(`cannot change a ${record.output.type} view into ${String(view.type)} [json-pointer:/view/type]`);
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== record.output.hash) throw new ApiError('hash_conflict');
    this.checkExternalId(view, record);
    return { view: this.ws.replaceView(record, view).output };
  }

  private viewsPublish(args: Args): Record<string, unknown> {
    const userId = str(args, 'user_id');
    const user = userId ? this.ws.users.get(userId) : undefined;
    if (!user || user.isBot) throw invalidArguments('invalid `user_id`');
    const view = this.parseView(args, 'home');
    const existing = this.ws.home(user.id);
    const hash = str(args, 'hash');
    if (hash !== undefined && existing && hash !== existing.output.hash) throw new ApiError('hash_conflict');
    this.checkExternalId(view, existing);
    return { view: this.ws.publishHome(user.id, view).output };
  }

  // ---- users ----

  private usersInfo(args: Args): Record<string, unknown> {
    const userId = str(args, 'user');
    const user = userId ? this.ws.users.get(userId) : undefined;
    if (!user) throw new ApiError('user_not_found');
    return { user: this.ws.userJson(user) };
  }

  private lookupByEmail(args: Args): Record<string, unknown> {
    const email = str(args, 'email')?.toLowerCase();
    const user = [...this.ws.users.values()].find((u) => u.email !== null && u.email.toLowerCase() === email);
    // Deactivated users are not found by email (Slack documents users_not_found for them).
    if (!user || user.deleted) throw new ApiError('users_not_found');
    return { user: this.ws.userJson(user) };
  }

  private usersList(args: Args): Record<string, unknown> {
    const all = [...this.ws.users.values()];
    // Slack: "Providing no limit value will result in Slack attempting to deliver you the entire result set."
    const { page, nextCursor } = paginate(
      all.map((u) => u.id),
      args,
      Infinity,
    );
    return {
      members: page.map((id) => this.ws.userJson(this.ws.users.get(id)!)),
      cache_ts: Math.floor(this.ws.now() / 1000),
      response_metadata: { next_cursor: nextCursor },
    };
  }

  // ---- conversations ----

  private conversationsOpen(args: Args): Record<string, unknown> {
    const channelArg = str(args, 'channel');
    const returnIm = bool(args, 'return_im');
    if (channelArg) {
      const channel = this.existingChannel(channelArg);
      if (!channel.isIm && !channel.isMpim) throw new ApiError('channel_not_found');
      return { channel: returnIm ? this.ws.channelJson(channel) : { id: channel.id } };
    }
    const userIds = (str(args, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    if (userIds.length === 0) throw new ApiError('users_list_not_supplied');
    if (userIds.length > 8) throw new ApiError('too_many_users');
    for (const id of userIds) {
      const user = this.ws.users.get(id);
      if (!user) throw new ApiError('user_not_found');
      if (user.deleted) throw new ApiError('user_disabled');
      if (user.isBot && userIds.length === 1) throw new ApiError('cannot_dm_bot');
    }
    if (userIds.length === 1) {
      const channel = this.ws.dmOf(userIds[0] as string);
      if (!channel) throw new ApiError('user_not_found');
      const alreadyOpen = this.ws.markImOpened(channel.id);
      const body: Record<string, unknown> = { channel: returnIm ? this.ws.channelJson(channel) : { id: channel.id } };
      if (alreadyOpen) Object.assign(body, { no_op: true, already_open: true });
      return body;
    }
    const mpim = this.ws.createMpim(userIds);
    return { channel: returnIm ? this.ws.channelJson(mpim) : { id: mpim.id } };
  }

  private conversationsMembers(args: Args): Record<string, unknown> {
    const channel = this.existingChannel(str(args, 'channel'));
    const { page, nextCursor } = paginate([...channel.members], args);
    return { members: page, response_metadata: { next_cursor: nextCursor } };
  }

  private conversationsInfo(args: Args): Record<string, unknown> {
    const channel = this.existingChannel(str(args, 'channel'));
    return { channel: this.ws.channelJson(channel) };
  }

  private conversationsJoin(args: Args): Record<string, unknown> {
    const channel = this.existingChannel(str(args, 'channel'));
    if (channel.isPrivate || channel.isIm || channel.isMpim) throw new ApiError('method_not_supported_for_channel_type');
    if (channel.isArchived) throw new ApiError('is_archived');
    if (channel.members.has(this.ws.bot.userId)) {
      return { channel: this.ws.channelJson(channel), warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } };
    }
    channel.members.add(this.ws.bot.userId);
    return { channel: this.ws.channelJson(channel) };
  }
}

function redactToken(args: Args): Args {
  const { token: _token, ...rest } = args;
  return rest;
}

/** Cursor paging like Slack's: an opaque base64 cursor, `limit` (default `defaultLimit`, 100) at most 1000. */
function paginate(ids: string[], args: Args, defaultLimit = 100): { page: string[]; nextCursor: string } {
  const given = Number(str(args, 'limit') ?? 0);
  // No limit (or 0) means the default; a given one is capped at 1000.
  const limit = Number.isFinite(given) && given > 0 ? Math.min(Math.floor(given), 1000) : Math.min(defaultLimit, ids.length);
  const cursor = str(args, 'cursor');
  let start = 0;
  if (cursor) {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    const match = /^user:(.+)$/.exec(decoded);
    const index = match ? ids.indexOf(match[1] as string) : -1;
    if (index < 0) throw new ApiError('invalid_cursor');
    start = index;
  }
  const page = ids.slice(start, start + limit);
  const next = ids[start + limit];
  return { page, nextCursor: next ? Buffer.from(`user:${next}`).toString('base64') : '' };
}
