/**
 * Block Kit validation with Slack's limits, pure (no ids, no clock, no I/O).
 *
 * Problems are reported the way Slack reports them in `response_metadata.messages`:
 * `[ERROR] <reason> [json-pointer:/blocks/0/text/text]`.
 */

import { validateDataTable, validateDataVisualization, validateMessageDataBlocks } from './data-blocks-validator.js';

export type Surface = 'message' | 'modal' | 'home';

export interface BlockKitProblem {
  /** JSON pointer into the request argument, e.g. `/blocks/0/text/text` or `/view/title/text`. */
  pointer: string;
  reason: string;
}

export function formatProblem(problem: BlockKitProblem): string {
  return `[ERROR] ${problem.reason} [json-pointer:${problem.pointer}]`;
}

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  inputHint: 2000,
  imageUrl: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  buttonAccessibilityLabel: 75,
  placeholder: 150,
  selectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  overflowOptions: 5,
  radioOptions: 10,
  checkboxOptions: 10,
  plainTextInputLength: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  viewBytes: 250 * 1024,
  markdownText: 12000,
} as const;

const SECTION_ACCESSORIES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'overflow',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'timepicker',
  'workflow_button',
]);

const ACTIONS_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'overflow',
  'radio_buttons',
  'rich_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'timepicker',
  'workflow_button',
  'feedback_buttons',
  'icon_button',
]);

const INPUT_ELEMENTS = new Set([
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'file_input',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'number_input',
  'plain_text_input',
  'radio_buttons',
  'rich_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'timepicker',
  'url_text_input',
]);

/** Blocks Slack accepts whose inner structure this validator does not check beyond `block_id`. */
const LOOSELY_CHECKED_BLOCKS = new Set([
  'rich_text',
  'video',
  'file',
  'context_actions',
  'table',
  'alert',
  'card',
  'carousel',
  'container',
  'task_card',
  'plan',
]);

const MESSAGE_ONLY_BLOCKS = new Set(['file', 'markdown', 'table', 'data_visualization']);
/** Blocks for messages and Home tabs, not modals. */
const NOT_IN_MODALS = new Set(['data_table']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems while walking one surface; tracks the ids that must be unique. */
class Walker {
  readonly problems: BlockKitProblem[] = [];
  private readonly blockIds = new Map<string, string>();

  constructor(readonly surface: Surface) {}

  add(pointer: string, reason: string): void {
    this.problems.push({ pointer, reason });
  }

  string(value: unknown, pointer: string, opts: { max?: number; min?: number; required?: boolean; name: string }): value is string {
    if (value === undefined || value === null) {
      if (opts.required) this.add(pointer.replace(/\/[^/]*$/, '') || '/', `missing required field: ${opts.name}`);
      return false;
    }
    if (typeof value !== 'string') {
      this.add(pointer, 'must be a string');
      return false;
    }
    const min = opts.min ?? 0;
    if (value.length < min) this.add(pointer, `must be more than ${min - 1} characters`);
    if (opts.max !== undefined && value.length > opts.max) this.add(pointer, `must be less than ${opts.max + 1} characters`);
    return true;
  }

  /** A text composition object; `allowed` lists the text types accepted at this place. */
  text(value: unknown, pointer: string, opts: { max: number; allowed: Array<'plain_text' | 'mrkdwn'>; required?: boolean; name: string }): void {
    if (value === undefined || value === null) {
      if (opts.required) this.add(pointer.replace(/\/[^/]*$/, '') || '/', `missing required field: ${opts.name}`);
      return;
    }
    if (!isObject(value)) {
      this.add(pointer, 'must be a text object');
      return;
    }
    const type = value.type;
    if (type !== 'plain_text' && type !== 'mrkdwn') {
      this.add(`${pointer}/type`, `must be one of: ${opts.allowed.join(', ')}`);
      return;
    }
    if (!opts.allowed.includes(type)) {
      this.add(`${pointer}/type`, `must be ${opts.allowed.join(' or ')}`);
    }
    if (type === 'plain_text' && value.verbatim !== undefined) this.add(`${pointer}/verbatim`, 'verbatim is only allowed for mrkdwn');
    if (type === 'mrkdwn' && value.emoji !== undefined) this.add(`${pointer}/emoji`, 'emoji is only allowed for plain_text');
    this.string(value.text, `${pointer}/text`, { min: 1, max: opts.max, required: true, name: 'text' });
  }

  array(value: unknown, pointer: string, opts: { min?: number; max?: number; required?: boolean; name: string }): value is unknown[] {
    if (value === undefined || value === null) {
      if (opts.required) this.add(pointer.replace(/\/[^/]*$/, '') || '/', `missing required field: ${opts.name}`);
      return false;
    }
    if (!Array.isArray(value)) {
      this.add(pointer, 'must be an array');
      return false;
    }
    if (opts.min !== undefined && value.length < opts.min) this.add(pointer, `must provide at least ${opts.min} items`);
    if (opts.max !== undefined && value.length > opts.max) this.add(pointer, `no more than ${opts.max} items allowed`);
    return true;
  }

  boolean(value: unknown, pointer: string): void {
    if (value !== undefined && typeof value !== 'boolean') this.add(pointer, 'must be a boolean');
  }

  blockId(value: unknown, pointer: string): void {
    if (value === undefined) return;
    if (!this.string(value, pointer, { min: 1, max: LIMITS.blockId, name: 'block_id' })) return;
    const first = this.blockIds.get(value);
    if (first !== undefined) this.add(pointer, `duplicate block_id \`${value}\` (first used at ${first})`);
    else this.blockIds.set(value, pointer);
  }

  blocks(blocks: unknown, pointer: string, max: number): void {
    if (!this.array(blocks, pointer, { max, required: true, name: 'blocks' })) return;
    blocks.forEach((block, index) => this.block(block, `${pointer}/${index}`));
  }

  block(block: unknown, pointer: string): void {
    if (!isObject(block)) {
      this.add(pointer, 'must be an object');
      return;
    }
    const type = block.type;
    if (typeof type !== 'string') {
      this.add(pointer, 'missing required field: type');
      return;
    }
    this.blockId(block.block_id, `${pointer}/block_id`);
    if (MESSAGE_ONLY_BLOCKS.has(type) && this.surface !== 'message') {
      this.add(`${pointer}/type`, `block type \`${type}\` is not allowed in a ${this.surface} view`);
      return;
    }
    if (NOT_IN_MODALS.has(type) && this.surface === 'modal') {
      this.add(`${pointer}/type`, `block type \`${type}\` is not allowed in a modal view`);
      return;
    }
    const actionIds = new Set<string>();
    switch (type) {
      case 'section':
        return this.section(block, pointer, actionIds);
      case 'header':
        this.text(block.text, `${pointer}/text`, { max: LIMITS.headerText, allowed: ['plain_text'], required: true, name: 'text' });
        return;
      case 'divider':
        return;
      case 'context':
        return this.context(block, pointer);
      case 'actions':
        if (!this.array(block.elements, `${pointer}/elements`, { min: 1, max: LIMITS.actionsElements, required: true, name: 'elements' })) return;
        block.elements.forEach((element, index) => this.element(element, `${pointer}/elements/${index}`, ACTIONS_ELEMENTS, actionIds));
        return;
      case 'input':
        return this.input(block, pointer, actionIds);
      case 'image':
        return this.imageBlock(block, pointer);
      case 'markdown':
        this.string(block.text, `${pointer}/text`, { min: 1, max: LIMITS.markdownText, required: true, name: 'text' });
        return;
      case 'data_visualization':
        return validateDataVisualization(block, pointer, (at, reason) => this.add(at, reason));
      case 'data_table':
        validateDataTable(block, pointer, (at, reason) => this.add(at, reason));
        return;
      default:
        if (!LOOSELY_CHECKED_BLOCKS.has(type)) this.add(`${pointer}/type`, `unsupported block type \`${type}\``);
    }
  }

  private section(block: Json, pointer: string, actionIds: Set<string>): void {
    if (block.text === undefined && block.fields === undefined) {
      this.add(pointer, 'must provide either text or fields');
    }
    this.text(block.text, `${pointer}/text`, { max: LIMITS.sectionText, allowed: ['plain_text', 'mrkdwn'], name: 'text' });
    if (this.array(block.fields, `${pointer}/fields`, { min: 1, max: LIMITS.sectionFields, name: 'fields' })) {
      block.fields.forEach((field, index) =>
        this.text(field, `${pointer}/fields/${index}`, { max: LIMITS.sectionFieldText, allowed: ['plain_text', 'mrkdwn'], required: true, name: 'field' }),
      );
    }
    this.boolean(block.expand, `${pointer}/expand`);
    if (block.accessory !== undefined) this.element(block.accessory, `${pointer}/accessory`, SECTION_ACCESSORIES, actionIds);
  }

  private context(block: Json, pointer: string): void {
    if (!this.array(block.elements, `${pointer}/elements`, { min: 1, max: LIMITS.contextElements, required: true, name: 'elements' })) return;
    block.elements.forEach((element, index) => {
      const at = `${pointer}/elements/${index}`;
      if (isObject(element) && element.type === 'image') this.imageElement(element, at);
      else this.text(element, at, { max: LIMITS.sectionText, allowed: ['plain_text', 'mrkdwn'], required: true, name: 'element' });
    });
  }

  private input(block: Json, pointer: string, actionIds: Set<string>): void {
    this.text(block.label, `${pointer}/label`, { max: LIMITS.inputLabel, allowed: ['plain_text'], required: true, name: 'label' });
    this.text(block.hint, `${pointer}/hint`, { max: LIMITS.inputHint, allowed: ['plain_text'], name: 'hint' });
    this.boolean(block.optional, `${pointer}/optional`);
    this.boolean(block.dispatch_action, `${pointer}/dispatch_action`);
    if (block.element === undefined) {
      this.add(pointer, 'missing required field: element');
      return;
    }
    this.element(block.element, `${pointer}/element`, INPUT_ELEMENTS, actionIds);
  }

  private imageBlock(block: Json, pointer: string): void {
    if (block.image_url === undefined && block.slack_file === undefined) this.add(pointer, 'must provide either image_url or slack_file');
    this.string(block.image_url, `${pointer}/image_url`, { min: 1, max: LIMITS.imageUrl, name: 'image_url' });
    this.string(block.alt_text, `${pointer}/alt_text`, { min: 1, max: LIMITS.imageAltText, required: true, name: 'alt_text' });
    this.text(block.title, `${pointer}/title`, { max: LIMITS.imageTitle, allowed: ['plain_text'], name: 'title' });
  }

  private imageElement(element: Json, pointer: string): void {
    if (element.image_url === undefined && element.slack_file === undefined) this.add(pointer, 'must provide either image_url or slack_file');
    this.string(element.image_url, `${pointer}/image_url`, { min: 1, max: LIMITS.imageUrl, name: 'image_url' });
    this.string(element.alt_text, `${pointer}/alt_text`, { min: 1, max: LIMITS.imageAltText, required: true, name: 'alt_text' });
  }

  private element(element: unknown, pointer: string, allowed: Set<string>, actionIds: Set<string>): void {
    if (!isObject(element)) {
      this.add(pointer, 'must be an object');
      return;
    }
    const type = element.type;
    if (typeof type !== 'string') {
      this.add(pointer, 'missing required field: type');
      return;
    }
    if (!allowed.has(type)) {
      this.add(`${pointer}/type`, `element type \`${type}\` is not allowed here`);
      return;
    }
    if (element.action_id !== undefined && this.string(element.action_id, `${pointer}/action_id`, { min: 1, max: LIMITS.actionId, name: 'action_id' })) {
      if (actionIds.has(element.action_id)) this.add(`${pointer}/action_id`, `duplicate action_id \`${element.action_id}\` in the same block`);
      actionIds.add(element.action_id);
    }
    if (element.confirm !== undefined) this.confirm(element.confirm, `${pointer}/confirm`);
    this.text(element.placeholder, `${pointer}/placeholder`, { max: LIMITS.placeholder, allowed: ['plain_text'], name: 'placeholder' });
    switch (type) {
      case 'button':
        return this.button(element, pointer);
      case 'image':
        return this.imageElement(element, pointer);
      case 'overflow':
        this.options(element.options, `${pointer}/options`, { min: 1, max: LIMITS.overflowOptions, required: true, allowed: ['plain_text'], allowUrl: true });
        return;
      case 'static_select':
      case 'multi_static_select':
        return this.staticSelect(element, pointer, type === 'multi_static_select');
      case 'external_select':
      case 'multi_external_select':
        if (element.min_query_length !== undefined && (typeof element.min_query_length !== 'number' || element.min_query_length < 0)) {
          this.add(`${pointer}/min_query_length`, 'must be a non-negative number');
        }
        if (type === 'external_select' && element.initial_option !== undefined) {
          this.option(element.initial_option, `${pointer}/initial_option`, ['plain_text'], false);
        }
        if (type === 'multi_external_select') this.maxSelected(element, pointer);
        return;
      case 'radio_buttons':
        this.options(element.options, `${pointer}/options`, { min: 1, max: LIMITS.radioOptions, required: true, allowed: ['plain_text', 'mrkdwn'] });
        this.initialOptions(element, pointer, false);
        return;
      case 'checkboxes':
        this.options(element.options, `${pointer}/options`, { min: 1, max: LIMITS.checkboxOptions, required: true, allowed: ['plain_text', 'mrkdwn'] });
        this.initialOptions(element, pointer, true);
        return;
      case 'plain_text_input':
        return this.plainTextInput(element, pointer);
      case 'number_input':
        return this.numberInput(element, pointer);
      case 'datepicker':
        if (element.initial_date !== undefined && (typeof element.initial_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(element.initial_date))) {
          this.add(`${pointer}/initial_date`, 'must be in the format YYYY-MM-DD');
        }
        return;
      case 'timepicker':
        if (element.initial_time !== undefined && (typeof element.initial_time !== 'string' || !/^\d{2}:\d{2}$/.test(element.initial_time))) {
          this.add(`${pointer}/initial_time`, 'must be in the format HH:mm');
        }
        return;
      case 'multi_users_select':
      case 'multi_conversations_select':
      case 'multi_channels_select':
        this.maxSelected(element, pointer);
        return;
      default:
        return;
    }
  }

  private button(element: Json, pointer: string): void {
    this.text(element.text, `${pointer}/text`, { max: LIMITS.buttonText, allowed: ['plain_text'], required: true, name: 'text' });
    this.string(element.value, `${pointer}/value`, { max: LIMITS.buttonValue, name: 'value' });
    this.string(element.url, `${pointer}/url`, { min: 1, max: LIMITS.buttonUrl, name: 'url' });
    this.string(element.accessibility_label, `${pointer}/accessibility_label`, { min: 1, max: LIMITS.buttonAccessibilityLabel, name: 'accessibility_label' });
    if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
      this.add(`${pointer}/style`, 'must be one of: primary, danger');
    }
  }

  private staticSelect(element: Json, pointer: string, multi: boolean): void {
    const hasOptions = element.options !== undefined;
    const hasGroups = element.option_groups !== undefined;
    if (hasOptions === hasGroups) {
      this.add(pointer, 'must provide exactly one of options or option_groups');
    }
    if (hasOptions) this.options(element.options, `${pointer}/options`, { min: 1, max: LIMITS.selectOptions, required: true, allowed: ['plain_text'] });
    if (hasGroups && this.array(element.option_groups, `${pointer}/option_groups`, { min: 1, max: LIMITS.optionGroups, name: 'option_groups' })) {
      element.option_groups.forEach((group, index) => {
        const at = `${pointer}/option_groups/${index}`;
        if (!isObject(group)) return this.add(at, 'must be an object');
        this.text(group.label, `${at}/label`, { max: LIMITS.optionGroupLabel, allowed: ['plain_text'], required: true, name: 'label' });
        this.options(group.options, `${at}/options`, { min: 1, max: LIMITS.selectOptions, required: true, allowed: ['plain_text'] });
      });
    }
    this.initialOptions(element, pointer, multi);
    if (multi) this.maxSelected(element, pointer);
  }

  private maxSelected(element: Json, pointer: string): void {
    const max = element.max_selected_items;
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
      this.add(`${pointer}/max_selected_items`, 'must be an integer of at least 1');
    }
  }

  /** `initial_option(s)` must be one of the element's options (compared by value and text), as Slack checks. */
  private initialOptions(element: Json, pointer: string, multi: boolean): void {
    const all = allOptions(element);
    const matches = (candidate: unknown): boolean =>
      isObject(candidate) &&
      all.some((option) => option.value === candidate.value && textOf(option.text) === textOf(candidate.text));
    if (multi) {
      if (element.initial_options === undefined) return;
      if (!this.array(element.initial_options, `${pointer}/initial_options`, { name: 'initial_options' })) return;
      element.initial_options.forEach((candidate, index) => {
        if (!matches(candidate)) this.add(`${pointer}/initial_options/${index}`, 'must match one of the provided options');
      });
    } else if (element.initial_option !== undefined && !matches(element.initial_option)) {
      this.add(`${pointer}/initial_option`, 'must match one of the provided options');
    }
  }

  private options(
    options: unknown,
    pointer: string,
    opts: { min: number; max: number; required: boolean; allowed: Array<'plain_text' | 'mrkdwn'>; allowUrl?: boolean },
  ): void {
    if (!this.array(options, pointer, { min: opts.min, max: opts.max, required: opts.required, name: 'options' })) return;
    options.forEach((option, index) => this.option(option, `${pointer}/${index}`, opts.allowed, opts.allowUrl ?? false));
  }

  option(option: unknown, pointer: string, allowed: Array<'plain_text' | 'mrkdwn'>, allowUrl: boolean): void {
    if (!isObject(option)) {
      this.add(pointer, 'must be an object');
      return;
    }
    this.text(option.text, `${pointer}/text`, { max: LIMITS.optionText, allowed, required: true, name: 'text' });
    this.string(option.value, `${pointer}/value`, { min: 1, max: LIMITS.optionValue, required: true, name: 'value' });
    this.text(option.description, `${pointer}/description`, { max: LIMITS.optionDescription, allowed: ['plain_text'], name: 'description' });
    if (option.url !== undefined) {
      if (allowUrl) this.string(option.url, `${pointer}/url`, { min: 1, max: LIMITS.buttonUrl, name: 'url' });
      else this.add(`${pointer}/url`, 'url is only allowed in overflow menu options');
    }
  }

  private confirm(confirm: unknown, pointer: string): void {
    if (!isObject(confirm)) {
      this.add(pointer, 'must be an object');
      return;
    }
    this.text(confirm.title, `${pointer}/title`, { max: LIMITS.confirmTitle, allowed: ['plain_text'], required: true, name: 'title' });
    this.text(confirm.text, `${pointer}/text`, { max: LIMITS.confirmText, allowed: ['plain_text', 'mrkdwn'], required: true, name: 'text' });
    this.text(confirm.confirm, `${pointer}/confirm`, { max: LIMITS.confirmButton, allowed: ['plain_text'], required: true, name: 'confirm' });
    this.text(confirm.deny, `${pointer}/deny`, { max: LIMITS.confirmButton, allowed: ['plain_text'], required: true, name: 'deny' });
    if (confirm.style !== undefined && confirm.style !== 'primary' && confirm.style !== 'danger') {
      this.add(`${pointer}/style`, 'must be one of: primary, danger');
    }
  }

  private plainTextInput(element: Json, pointer: string): void {
    const { min_length: min, max_length: max, initial_value: initial } = element;
    if (min !== undefined && (typeof min !== 'number' || !Number.isInteger(min) || min < 0 || min > LIMITS.plainTextInputLength)) {
      this.add(`${pointer}/min_length`, `must be an integer between 0 and ${LIMITS.plainTextInputLength}`);
    }
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > LIMITS.plainTextInputLength)) {
      this.add(`${pointer}/max_length`, `must be an integer between 1 and ${LIMITS.plainTextInputLength}`);
    }
    if (typeof min === 'number' && typeof max === 'number' && min > max) this.add(`${pointer}/min_length`, 'must not be greater than max_length');
    if (this.string(initial, `${pointer}/initial_value`, { name: 'initial_value' }) && typeof max === 'number' && initial.length > max) {
      this.add(`${pointer}/initial_value`, `must be less than ${max + 1} characters`);
    }
    this.boolean(element.multiline, `${pointer}/multiline`);
  }

  private numberInput(element: Json, pointer: string): void {
    if (typeof element.is_decimal_allowed !== 'boolean') {
      this.add(pointer, 'missing required field: is_decimal_allowed');
    }
    const decimal = element.is_decimal_allowed === true;
    const parse = (field: 'min_value' | 'max_value' | 'initial_value'): number | undefined => {
      const raw = element[field];
      if (raw === undefined) return undefined;
      if (typeof raw !== 'string' || !/^-?\d+(\.\d+)?$/.test(raw)) {
        this.add(`${pointer}/${field}`, 'must be a string containing a number');
        return undefined;
      }
      if (!decimal && raw.includes('.')) {
        this.add(`${pointer}/${field}`, 'must be an integer when is_decimal_allowed is false');
      }
      return Number(raw);
    };
    const min = parse('min_value');
    const max = parse('max_value');
    const initial = parse('initial_value');
    if (min !== undefined && max !== undefined && min > max) this.add(`${pointer}/min_value`, 'must not be greater than max_value');
    if (initial !== undefined && min !== undefined && initial < min) this.add(`${pointer}/initial_value`, 'must not be less than min_value');
    if (initial !== undefined && max !== undefined && initial > max) this.add(`${pointer}/initial_value`, 'must not be greater than max_value');
  }
}

function textOf(text: unknown): unknown {
  return isObject(text) ? text.text : undefined;
}

/** Every option of a select/radio/checkbox element, flattening option groups. */
export function allOptions(element: Record<string, unknown>): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  if (Array.isArray(element.options)) out.push(...element.options.filter(isObject));
  if (Array.isArray(element.option_groups)) {
    for (const group of element.option_groups) {
      if (isObject(group) && Array.isArray(group.options)) out.push(...group.options.filter(isObject));
    }
  }
  return out;
}

/** Validates the `blocks` argument of a message (chat.postMessage, chat.update, chat.postEphemeral, response_url). */
export function validateMessageBlocks(blocks: unknown): BlockKitProblem[] {
  const walker = new Walker('message');
  walker.blocks(blocks, '/blocks', LIMITS.messageBlocks);
  return Array.isArray(blocks) ? [...walker.problems, ...validateMessageDataBlocks(blocks, '/blocks')] : walker.problems;
}

/** Validates a view (views.open/update/push/publish, `response_action` update/push). */
export function validateView(view: unknown): BlockKitProblem[] {
  if (!isObject(view)) return [{ pointer: '/view', reason: 'must be an object' }];
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    return [{ pointer: '/view/type', reason: 'must be one of: modal, home' }];
  }
  const walker = new Walker(type);
  walker.blocks(view.blocks, '/view/blocks', LIMITS.viewBlocks);
  walker.string(view.private_metadata, '/view/private_metadata', { max: LIMITS.privateMetadata, name: 'private_metadata' });
  walker.string(view.callback_id, '/view/callback_id', { max: LIMITS.callbackId, name: 'callback_id' });
  walker.string(view.external_id, '/view/external_id', { max: LIMITS.externalId, name: 'external_id' });
  if (type === 'modal') {
    walker.text(view.title, '/view/title', { max: LIMITS.viewTitle, allowed: ['plain_text'], required: true, name: 'title' });
    walker.text(view.submit, '/view/submit', { max: LIMITS.viewButton, allowed: ['plain_text'], name: 'submit' });
    walker.text(view.close, '/view/close', { max: LIMITS.viewButton, allowed: ['plain_text'], name: 'close' });
    walker.boolean(view.clear_on_close, '/view/clear_on_close');
    walker.boolean(view.notify_on_close, '/view/notify_on_close');
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
    if (hasInput && view.submit === undefined) {
      walker.add('/view', 'must provide a submit property when using input blocks');
    }
  }
  return walker.problems;
}

/** Slack answers `view_too_large` (not a validation message) when the view JSON is over 250 kB. */
export function isViewTooLarge(view: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(view ?? null), 'utf8') > LIMITS.viewBytes;
}

/** Validates the `options` / `option_groups` an app answers to a `block_suggestion`. */
export function validateOptionsResponse(body: unknown): BlockKitProblem[] {
  const walker = new Walker('modal');
  if (!isObject(body)) return [{ pointer: '/', reason: 'must be an object with options or option_groups' }];
  if (body.options === undefined && body.option_groups === undefined) {
    return [{ pointer: '/', reason: 'must provide options or option_groups' }];
  }
  if (body.options !== undefined && walker.array(body.options, '/options', { max: LIMITS.selectOptions, name: 'options' })) {
    body.options.forEach((option, index) => walker.option(option, `/options/${index}`, ['plain_text'], false));
  }
  if (body.option_groups !== undefined && walker.array(body.option_groups, '/option_groups', { max: LIMITS.optionGroups, name: 'option_groups' })) {
    body.option_groups.forEach((group, index) => {
      const at = `/option_groups/${index}`;
      if (!isObject(group)) return walker.add(at, 'must be an object');
      walker.text(group.label, `${at}/label`, { max: LIMITS.optionGroupLabel, allowed: ['plain_text'], required: true, name: 'label' });
      if (walker.array(group.options, `${at}/options`, { max: LIMITS.selectOptions, required: true, name: 'options' })) {
        group.options.forEach((option, i) => walker.option(option, `${at}/options/${i}`, ['plain_text'], false));
      }
    });
  }
  return walker.problems;
}

/**
 * Validates `response_action: "errors"`: every key must be the block_id of an input block in the view
 * (Slack rejects the whole response otherwise).
 */
export function validateViewErrors(errors: unknown, view: { blocks: unknown }): BlockKitProblem[] {
  if (!isObject(errors)) return [{ pointer: '/errors', reason: 'must be an object mapping block_id to message' }];
  const inputIds = new Set(
    (Array.isArray(view.blocks) ? view.blocks : [])
      .filter((block): block is Json => isObject(block) && block.type === 'input' && typeof block.block_id === 'string')
      .map((block) => block.block_id as string),
  );
  const problems: BlockKitProblem[] = [];
  for (const [blockId, message] of Object.entries(errors)) {
    if (!inputIds.has(blockId)) problems.push({ pointer: `/errors/${blockId}`, reason: `no input block with block_id \`${blockId}\` in the view` });
    if (typeof message !== 'string' || message.length === 0) problems.push({ pointer: `/errors/${blockId}`, reason: 'must be a non-empty string' });
  }
  return problems;
}
