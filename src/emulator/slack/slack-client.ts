import { performance } from 'node:perf_hooks';
import {
  formatProblem,
  isViewTooLarge,
  validateMessageBlocks,
  validateOptionsResponse,
  validateView,
  validateViewErrors,
} from './block-kit-validator.js';
import { signSlackRequest } from './signing.js';
import type { DeliveryResult, SelectedOptionInput, ViewInputValue, ViewStateValues } from './types.js';
import { buildState, clientSideErrors, findElement, isStateful, stateValueFromInput, type LocatedElement } from './view-state.js';
import { MODAL_STACK_LIMIT, type ChannelRecord, type EphemeralRecord, type MessageRecord, type ViewRecord, type Workspace } from './workspace.js';

type Json = Record<string, unknown>;

/** The deprecated verification token Slack still sends in payloads; Bolt ignores it. */
const VERIFICATION_TOKEN = 'emulatorVerificationToken';

export type ClickTarget = { channelId: string; ts: string } | { viewId: string } | { home: true };

export interface ClickOptions {
  blockId?: string;
  /** For buttons, must equal the button's own value when given (the client never invents values). */
  value?: string;
  /** For overflow menus, selects and radio buttons in messages or views. */
  selectedOption?: SelectedOptionInput;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Plays the Slack client: builds interaction payloads, signs and delivers them, applies what the app acks. */
export class SlackClient {
  constructor(
    private readonly ws: Workspace,
    private readonly config: {
      signingSecret: string;
      appUrl: () => string | undefined;
      baseUrl: () => string;
      ackTimeoutMs: number;
    },
  ) {}

  sign(body: string, timestamp?: number): { signature: string; timestamp: string } {
    // Real clock on purpose: Bolt rejects timestamps more than 5 minutes from its own Date.now().
    return signSlackRequest(this.config.signingSecret, body, timestamp ?? Math.floor(Date.now() / 1000));
  }

  private async deliver(body: string, contentType: 'application/x-www-form-urlencoded' | 'application/json', extraHeaders: Record<string, string> = {}): Promise<DeliveryResult> {
    const appUrl = this.config.appUrl();
    if (!appUrl) throw new Error('Slack emulator: appUrl is not set (pass appUrl or call setAppUrl)');
    const { signature, timestamp } = this.sign(body);
    const started = performance.now();
    try {
      const response = await fetch(appUrl, {
        method: 'POST',
        headers: {
          'Content-Type': contentType,
          'X-Slack-Signature': signature,
          'X-Slack-Request-Timestamp': timestamp,
          'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          ...extraHeaders,
        },
        body,
        signal: AbortSignal.timeout(this.config.ackTimeoutMs),
      });
      const text = await response.text();
      const result: DeliveryResult = { delivered: true, status: response.status, body: text, ackMs: Math.round(performance.now() - started) };
      const json = parseJson(text);
      if (json !== undefined) result.json = json;
      return result;
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        return { delivered: true, status: 0, body: '', ackMs: Math.round(performance.now() - started), timedOut: true };
      }
      throw error;
    }
  }

  private deliverPayload(payload: Json): Promise<DeliveryResult> {
    return this.deliver(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  }

  private notDelivered(extra: Partial<DeliveryResult> = {}): DeliveryResult {
    return { delivered: false, status: 0, body: '', ackMs: 0, ...extra };
  }

  private userPayload(userId: string): Json {
    const user = this.ws.humanUser(userId);
    return { id: user.id, username: user.name, name: user.name, team_id: this.ws.team.id };
  }

  private teamPayload(): Json {
    return { id: this.ws.team.id, domain: this.ws.team.domain };
  }

  private channelVisibleTo(userId: string, channelId: string): ChannelRecord {
    const channel = this.ws.channels.get(channelId);
    if (!channel) throw new Error(`Unknown channel ${channelId}`);
    if (!channel.members.has(userId)) throw new Error(`${userId} is not a member of ${channelId}, so their client cannot act there`);
    return channel;
  }

  private channelName(channel: ChannelRecord): string {
    if (channel.isIm) return 'directmessage';
    if (channel.isMpim) return 'mpdm';
    return channel.isPrivate ? 'privategroup' : channel.name;
  }

  // ---- slash commands ----

  async slashCommand(userId: string, channelId: string, command: string, text: string): Promise<DeliveryResult> {
    const user = this.ws.humanUser(userId);
    const channel = this.channelVisibleTo(userId, channelId);
    const responseUrl = this.ws.newResponseUrl(this.config.baseUrl(), 'commands', { userId, channelId });
    const fields = {
      token: VERIFICATION_TOKEN,
      team_id: this.ws.team.id,
      team_domain: this.ws.team.domain,
      channel_id: channel.id,
      channel_name: this.channelName(channel),
      user_id: user.id,
      user_name: user.name,
      command,
      text,
      api_app_id: this.ws.bot.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: this.ws.newTrigger(userId),
    };
    const result = await this.deliver(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
    if (result.status === 200 && result.body.trim() !== '') this.applyCommandAck(result, userId, channel.id, new URL(responseUrl).pathname);
    return result;
  }

  /** A slash command ack with a body is shown as a message: ephemeral by default, in the channel with `in_channel`. */
  private applyCommandAck(result: DeliveryResult, userId: string, channelId: string, responseUrlPath: string): void {
    const message: Json = isObject(result.json) ? result.json : { text: result.body };
    let blocks = message.blocks;
    if (typeof blocks === 'string') blocks = parseJson(blocks);
    if (blocks !== undefined) {
      const problems = Array.isArray(blocks) ? validateMessageBlocks(blocks) : [{ pointer: '/blocks', reason: 'must be an array' }];
      if (problems.length > 0) {
        result.ackError = { error: 'invalid_blocks', messages: problems.map(formatProblem) };
        return;
      }
    }
    const text = typeof message.text === 'string' ? message.text : '';
    if (text === '' && blocks === undefined) return;
    const blockList = blocks as unknown[] | undefined;
    if (message.response_type === 'in_channel') {
      this.ws.postMessage({ channel: channelId, user: this.ws.bot.userId, text, blocks: blockList });
    } else {
      // A command's response_url cannot replace or delete this answer: Slack honours replace_original and
      // delete_original only on response_urls of clicks on a message (bolt-js#2287, bolt-python#1268).
      this.ws.postEphemeral({ user: userId, channel: channelId, text, blocks: blockList, source: 'command_ack' });
    }
  }

  // ---- block actions ----

  async clickButton(userId: string, where: ClickTarget, actionId: string, opts: ClickOptions = {}): Promise<DeliveryResult> {
    if ('channelId' in where) return this.actOnMessage(userId, where.channelId, where.ts, actionId, opts);
    const record = 'home' in where ? this.ws.home(userId) : this.visibleView(userId, where.viewId);
    if (!record) throw new Error(`${userId} has no Home tab published`);
    const located = findElement(record.output.blocks, actionId, opts.blockId);
    const action = this.actionFor(located, opts, record);
    if (isStateful(located.element) && opts.selectedOption) {
      this.ws.setStateValue(record, located.blockId, located.actionId, stateValueFromInput(located.element, opts.selectedOption, record.externalOptions.get(actionId)));
    }
    return this.deliverViewAction(userId, record, action);
  }

  async selectInView(userId: string, viewId: string, actionId: string, selected: SelectedOptionInput, opts: { blockId?: string } = {}): Promise<DeliveryResult> {
    const record = this.visibleView(userId, viewId);
    const located = findElement(record.output.blocks, actionId, opts.blockId);
    const value = stateValueFromInput(located.element, selected, record.externalOptions.get(actionId));
    this.ws.setStateValue(record, located.blockId, located.actionId, value);
    // Inside an input block a selection stays client-side unless the block sets dispatch_action.
    if (located.location === 'input' && located.block.dispatch_action !== true) return this.notDelivered();
    return this.deliverViewAction(userId, record, this.actionFor(located, { selectedOption: selected }, record));
  }

  /**
   * Types `value` into a text or number input and presses Enter: Slack sends block_actions only when
   * the input block sets dispatch_action and the element dispatches on Enter (the default).
   */
  async pressEnter(userId: string, viewId: string, blockId: string, actionId: string, value: string): Promise<DeliveryResult> {
    this.setViewValue(userId, viewId, blockId, actionId, value);
    const record = this.visibleView(userId, viewId);
    const located = findElement(record.output.blocks, actionId, blockId);
    const config = located.element.dispatch_action_config as { trigger_actions_on?: unknown[] } | undefined;
    const onEnter = !config?.trigger_actions_on || config.trigger_actions_on.includes('on_enter_pressed');
    if (located.location !== 'input' || located.block.dispatch_action !== true || !onEnter) return this.notDelivered();
    return this.deliverViewAction(userId, record, this.actionFor(located, { value }, record));
  }

  setViewValue(userId: string, viewId: string, blockId: string, actionId: string, value: ViewInputValue): void {
    const record = this.visibleView(userId, viewId);
    const located = findElement(record.output.blocks, actionId, blockId);
    if (!isStateful(located.element)) throw new Error(`Element ${actionId} (${String(located.element.type)}) holds no value`);
    this.ws.setStateValue(record, blockId, actionId, stateValueFromInput(located.element, value, record.externalOptions.get(actionId)));
  }

  private async actOnMessage(userId: string, channelId: string, ts: string, actionId: string, opts: ClickOptions): Promise<DeliveryResult> {
    const channel = this.channelVisibleTo(userId, channelId);
    const message: MessageRecord | undefined = this.ws.findMessage(channelId, ts);
    const ephemeral: EphemeralRecord | undefined = message ? undefined : this.ws.ephemeralsOf(userId).find((e) => e.channel === channelId && e.ts === ts);
    const blocks = message?.blocks ?? ephemeral?.blocks;
    if (!blocks) throw new Error(`No message ${ts} in ${channelId} visible to ${userId}`);
    const located = findElement(blocks, actionId, opts.blockId);
    const action = this.actionFor(located, opts);
    const state: ViewStateValues = buildState(blocks);
    if (isStateful(located.element) && opts.selectedOption) {
      (state[located.blockId] ??= {})[located.actionId] = stateValueFromInput(located.element, opts.selectedOption);
    }
    const responseUrl = this.ws.newResponseUrl(this.config.baseUrl(), 'actions', {
      userId,
      channelId,
      source: { channel: channelId, ts, ephemeral: !message },
    });
    const payload: Json = {
      type: 'block_actions',
      user: this.userPayload(userId),
      api_app_id: this.ws.bot.appId,
      token: VERIFICATION_TOKEN,
      container: { type: 'message', message_ts: ts, channel_id: channelId, is_ephemeral: !message },
      trigger_id: this.ws.newTrigger(userId),
      team: this.teamPayload(),
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel.id, name: this.channelName(channel) },
      state: { values: state },
      response_url: responseUrl,
      actions: [action],
    };
    if (message) payload.message = this.ws.messageJson(message);
    return this.deliverPayload(payload);
  }

  private async deliverViewAction(userId: string, record: ViewRecord, action: Json): Promise<DeliveryResult> {
    const payload: Json = {
      type: 'block_actions',
      user: this.userPayload(userId),
      api_app_id: this.ws.bot.appId,
      token: VERIFICATION_TOKEN,
      container: { type: 'view', view_id: record.output.id },
      trigger_id: this.ws.newTrigger(userId, record.output.type === 'modal' ? record.output.id : undefined),
      team: this.teamPayload(),
      enterprise: null,
      is_enterprise_install: false,
      view: structuredClone(record.output),
      actions: [action],
    };
    return this.deliverPayload(payload);
  }

  /** The `actions[0]` entry Slack sends for an element, with values taken from the element itself. */
  private actionFor(located: LocatedElement, opts: ClickOptions, record?: ViewRecord): Json {
    const { element, blockId, actionId } = located;
    const type = String(element.type);
    const base: Json = { type, block_id: blockId, action_id: actionId, action_ts: this.ws.ids.messageTs() };
    switch (type) {
      case 'button': {
        if (opts.value !== undefined && opts.value !== element.value) {
          throw new Error(`Button ${actionId} has value ${JSON.stringify(element.value)}, not ${JSON.stringify(opts.value)}`);
        }
        const action: Json = { ...base, text: element.text };
        if (element.value !== undefined) action.value = element.value;
        if (element.style !== undefined) action.style = element.style;
        if (element.url !== undefined) action.url = element.url;
        return action;
      }
      case 'overflow':
      case 'static_select':
      case 'external_select':
      case 'radio_buttons': {
        const choice = opts.selectedOption;
        if (!choice) throw new Error(`${type} ${actionId} needs selectedOption`);
        if (type === 'overflow') {
          const option = (Array.isArray(element.options) ? element.options : []).find((o) => isObject(o) && o.value === choice.value);
          if (!isObject(option)) throw new Error(`"${choice.value}" is not an option of overflow ${actionId}`);
          return { ...base, selected_option: { text: option.text, value: option.value } };
        }
        const value = stateValueFromInput(element, choice, record?.externalOptions.get(actionId) ?? []);
        return { ...base, selected_option: value.selected_option ?? null };
      }
      case 'datepicker':
        return { ...base, selected_date: opts.value ?? null };
      case 'plain_text_input':
      case 'number_input':
        return { ...base, value: opts.value ?? null };
      default:
        throw new Error(`The emulator cannot act on ${type} elements yet`);
    }
  }

  /** Only the top modal of a user's stack (or their Home tab) can be interacted with. */
  private visibleView(userId: string, viewId: string): ViewRecord {
    const stack = this.ws.modalStack(userId);
    const top = stack[stack.length - 1];
    if (top?.output.id === viewId) return top;
    const home = this.ws.home(userId);
    if (home?.output.id === viewId) return home;
    if (stack.some((v) => v.output.id === viewId)) throw new Error(`View ${viewId} is covered by a pushed view`);
    throw new Error(`${userId} has no open view ${viewId}`);
  }

  // ---- external select options ----

  async requestOptions(userId: string, viewId: string, actionId: string, query: string, opts: { blockId?: string } = {}): Promise<DeliveryResult> {
    const record = this.visibleView(userId, viewId);
    const located = findElement(record.output.blocks, actionId, opts.blockId);
    if (located.element.type !== 'external_select' && located.element.type !== 'multi_external_select') {
      throw new Error(`${actionId} is a ${String(located.element.type)}, not an external select`);
    }
    const minQueryLength = typeof located.element.min_query_length === 'number' ? located.element.min_query_length : 3;
    if (query.length < minQueryLength) return this.notDelivered();
    const payload: Json = {
      type: 'block_suggestion',
      user: this.userPayload(userId),
      container: { type: 'view', view_id: record.output.id },
      api_app_id: this.ws.bot.appId,
      token: VERIFICATION_TOKEN,
      action_id: actionId,
      block_id: located.blockId,
      value: query,
      team: this.teamPayload(),
      enterprise: null,
      is_enterprise_install: false,
      view: structuredClone(record.output),
    };
    const result = await this.deliverPayload(payload);
    if (result.status !== 200 || result.json === undefined) return result;
    const problems = validateOptionsResponse(result.json);
    if (problems.length > 0) {
      result.ackError = { error: 'invalid_options', messages: problems.map(formatProblem) };
      return result;
    }
    const body = result.json as Json;
    const options: Json[] = [];
    if (Array.isArray(body.options)) options.push(...(body.options as Json[]));
    if (Array.isArray(body.option_groups)) for (const group of body.option_groups as Json[]) options.push(...((group.options as Json[]) ?? []));
    record.externalOptions.set(actionId, options);
    return result;
  }

  // ---- view submission and closing ----

  async submitView(userId: string, viewId: string): Promise<DeliveryResult> {
    const record = this.visibleView(userId, viewId);
    if (record.output.type !== 'modal' || !record.output.submit) throw new Error(`View ${viewId} has no submit button`);
    const clientErrors = clientSideErrors(record.output.blocks, record.output.state.values);
    if (Object.keys(clientErrors).length > 0) {
      this.ws.setViewErrors(record, clientErrors);
      return this.notDelivered({ clientErrors });
    }
    const payload: Json = {
      type: 'view_submission',
      team: this.teamPayload(),
      user: this.userPayload(userId),
      api_app_id: this.ws.bot.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: this.ws.newTrigger(userId, viewId),
      view: structuredClone(record.output),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const result = await this.deliverPayload(payload);
    if (result.status === 200) this.applySubmissionAck(result, record);
    return result;
  }

  /** Applies `response_action` the way the Slack client does; anything Slack would reject leaves the modal as it was. */
  private applySubmissionAck(result: DeliveryResult, record: ViewRecord): void {
    const ack = result.json;
    if (!isObject(ack) || ack.response_action === undefined) {
      this.ws.closeModals(record.userId, false);
      return;
    }
    const reject = (error: string, messages: string[]) => {
      result.ackError = { error, messages };
    };
    switch (ack.response_action) {
      case 'errors': {
        const problems = validateViewErrors(ack.errors, record.output);
        if (problems.length > 0) return reject('invalid_errors', problems.map(formatProblem));
        this.ws.setViewErrors(record, { ...(ack.errors as Record<string, string>) });
        return;
      }
      case 'update':
      case 'push': {
        const problems = validateView(ack.view);
        if (problems.length > 0) return reject('invalid_arguments', problems.map(formatProblem));
        if (isViewTooLarge(ack.view)) return reject('view_too_large', []);
        const view = ack.view as Json;
        if (view.type !== 'modal') return reject('invalid_arguments', ['[ERROR] response_action views must be modals [json-pointer:/view/type]']);
        if (ack.response_action === 'update') {
          this.ws.replaceView(record, view);
        } else {
          if (this.ws.modalStack(record.userId).length >= MODAL_STACK_LIMIT) return reject('push_limit_reached', []);
          this.ws.pushModal(record.userId, view);
        }
        return;
      }
      case 'clear':
        this.ws.closeModals(record.userId, true);
        return;
      default:
        reject('invalid_response_action', [`[ERROR] unknown response_action ${JSON.stringify(ack.response_action)}`]);
    }
  }

  async closeView(userId: string, viewId: string): Promise<DeliveryResult> {
    const record = this.visibleView(userId, viewId);
    if (record.output.type !== 'modal') throw new Error(`View ${viewId} is a Home tab; it cannot be closed`);
    const clearAll = record.output.clear_on_close;
    const snapshot = structuredClone(record.output);
    this.ws.closeModals(userId, clearAll);
    if (!snapshot.notify_on_close) return this.notDelivered();
    return this.deliverPayload({
      type: 'view_closed',
      team: this.teamPayload(),
      user: this.userPayload(userId),
      api_app_id: this.ws.bot.appId,
      token: VERIFICATION_TOKEN,
      view: snapshot,
      is_cleared: clearAll,
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  // ---- people's messages, link unfurls and message shortcuts ----

  /**
   * A person posts `text` in a channel; when it holds links to the app's unfurl domains, the app gets
   * `link_shared` (Events API) for them, and may attach unfurls with chat.unfurl.
   */
  async postUserMessage(userId: string, channelId: string, text: string): Promise<{ ts: string; linkShared: DeliveryResult | null }> {
    const channel = this.channelVisibleTo(userId, channelId);
    const message = this.ws.postMessage({ channel: channel.id, user: userId, text, blocks: undefined });
    const links = this.ws.unfurlableLinks(text);
    if (links.length === 0) return { ts: message.ts, linkShared: null };
    const linkShared = await this.deliverEvent({
      type: 'link_shared',
      channel: channel.id,
      is_bot_user_member: channel.members.has(this.ws.bot.userId),
      user: userId,
      message_ts: message.ts,
      unfurl_id: `${channel.id}.${message.ts}`,
      source: 'conversations_history',
      links,
    });
    return { ts: message.ts, linkShared };
  }

  /** A person picks the app's message shortcut `callbackId` in a message's menu (a `message_action` payload). */
  async messageShortcut(userId: string, channelId: string, ts: string, callbackId: string): Promise<DeliveryResult> {
    const channel = this.channelVisibleTo(userId, channelId);
    const message = this.ws.findMessage(channel.id, ts);
    if (!message) throw new Error(`No message ${ts} in ${channelId}`);
    const responseUrl = this.ws.newResponseUrl(this.config.baseUrl(), 'actions', { userId, channelId: channel.id, source: { channel: channel.id, ts, ephemeral: false } });
    return this.deliverPayload({
      type: 'message_action',
      token: VERIFICATION_TOKEN,
      action_ts: this.ws.ids.messageTs(),
      team: this.teamPayload(),
      user: this.userPayload(userId),
      channel: { id: channel.id, name: this.channelName(channel) },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: this.ws.newTrigger(userId),
      response_url: responseUrl,
      message_ts: ts,
      message: this.ws.messageJson(message),
    });
  }

  // ---- Events API ----

  deliverEvent(event: Json): Promise<DeliveryResult> {
    const nowSeconds = Math.floor(this.ws.now() / 1000);
    const envelope = {
      token: VERIFICATION_TOKEN,
      team_id: this.ws.team.id,
      api_app_id: this.ws.bot.appId,
      event: { event_ts: `${nowSeconds}.000100`, ...event },
      type: 'event_callback',
      event_id: this.ws.ids.eventId(),
      event_time: nowSeconds,
      authorizations: [{ enterprise_id: null, team_id: this.ws.team.id, user_id: this.ws.bot.userId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(this.ws.team.id).toString('base64')}`,
    };
    return this.deliver(JSON.stringify(envelope), 'application/json');
  }

  /** The user opens the app's Home tab: an `app_home_opened` event, with the published view if there is one. */
  openHome(userId: string): Promise<DeliveryResult> {
    const dm = this.ws.dmOf(userId);
    const home = this.ws.home(userId);
    const event: Json = { type: 'app_home_opened', user: userId, channel: dm?.id, tab: 'home' };
    if (home) event.view = structuredClone(home.output);
    return this.deliverEvent(event);
  }
}
