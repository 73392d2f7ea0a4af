import { allOptions } from './block-kit-validator.js';
import type { AnyBlock, SelectedOptionInput, ViewInputValue, ViewStateValue, ViewStateValues } from './types.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Elements whose current value Slack keeps in `state.values`. */
const STATEFUL_TYPES = new Set([
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'radio_buttons',
  'checkboxes',
  'datepicker',
  'timepicker',
  'datetimepicker',
]);

export type ElementLocation = 'input' | 'actions' | 'accessory';

export interface LocatedElement {
  block: Json;
  element: Json;
  blockId: string;
  actionId: string;
  location: ElementLocation;
}

/** Every interactive element of a surface with the block it sits in (blocks carry Slack-generated ids by now). */
export function listElements(blocks: readonly unknown[]): LocatedElement[] {
  const out: LocatedElement[] = [];
  for (const block of blocks) {
    if (!isObject(block) || typeof block.block_id !== 'string') continue;
    const push = (element: unknown, location: ElementLocation) => {
      if (isObject(element) && typeof element.action_id === 'string') {
        out.push({ block, element, blockId: block.block_id as string, actionId: element.action_id, location });
      }
    };
    if (block.type === 'input') push(block.element, 'input');
    if (block.type === 'actions' && Array.isArray(block.elements)) block.elements.forEach((e) => push(e, 'actions'));
    if (block.type === 'section') push(block.accessory, 'accessory');
  }
  return out;
}

/** Finds one element by action_id (and block_id when given); throws when missing or ambiguous, since that is a test bug. */
export function findElement(blocks: readonly unknown[], actionId: string, blockId?: string): LocatedElement {
  const matches = listElements(blocks).filter((e) => e.actionId === actionId && (blockId === undefined || e.blockId === blockId));
  if (matches.length === 0) {
    throw new Error(`No element with action_id "${actionId}"${blockId ? ` in block "${blockId}"` : ''} on this surface`);
  }
  if (matches.length > 1) {
    throw new Error(`action_id "${actionId}" appears in ${matches.length} blocks (${matches.map((m) => m.blockId).join(', ')}); pass blockId`);
  }
  return matches[0] as LocatedElement;
}

function optionOut(option: Json): { text: { type: string; text: string }; value: string } {
  const text = isObject(option.text) ? option.text : { type: 'plain_text', text: String(option.value) };
  return { text: { ...(text as { type: string; text: string }) }, value: String(option.value) };
}

/** The state value Slack reports for an element before the user touched it. */
export function initialStateValue(element: Json): ViewStateValue {
  const type = String(element.type);
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: typeof element.initial_value === 'string' ? element.initial_value : null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: isObject(element.initial_option) ? optionOut(element.initial_option) : null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: Array.isArray(element.initial_options) ? element.initial_options.filter(isObject).map(optionOut) : [] };
    case 'users_select':
      return { type, selected_user: typeof element.initial_user === 'string' ? element.initial_user : null };
    case 'multi_users_select':
      return { type, selected_users: Array.isArray(element.initial_users) ? (element.initial_users as string[]) : [] };
    case 'conversations_select':
      return { type, selected_conversation: typeof element.initial_conversation === 'string' ? element.initial_conversation : null };
    case 'multi_conversations_select':
      return { type, selected_conversations: Array.isArray(element.initial_conversations) ? (element.initial_conversations as string[]) : [] };
    case 'channels_select':
      return { type, selected_channel: typeof element.initial_channel === 'string' ? element.initial_channel : null };
    case 'multi_channels_select':
      return { type, selected_channels: Array.isArray(element.initial_channels) ? (element.initial_channels as string[]) : [] };
    case 'datepicker':
      return { type, selected_date: typeof element.initial_date === 'string' ? element.initial_date : null };
    case 'timepicker':
      return { type, selected_time: typeof element.initial_time === 'string' ? element.initial_time : null };
    case 'datetimepicker':
      return { type, selected_date_time: typeof element.initial_date_time === 'number' ? element.initial_date_time : null };
    default:
      return { type };
  }
}

export function isStateful(element: Json): boolean {
  return STATEFUL_TYPES.has(String(element.type));
}

/**
 * State for a (new or updated) surface. Values the user entered survive an update when the element keeps its
 * block_id, action_id and type — Slack's documented way of preserving input across views.update.
 */
export function buildState(blocks: readonly unknown[], previous?: ViewStateValues, touched?: ReadonlySet<string>): ViewStateValues {
  const values: ViewStateValues = {};
  for (const located of listElements(blocks)) {
    if (!isStateful(located.element)) continue;
    const key = stateKey(located.blockId, located.actionId);
    const before = previous?.[located.blockId]?.[located.actionId];
    const keep = before !== undefined && touched?.has(key) === true && before.type === located.element.type;
    (values[located.blockId] ??= {})[located.actionId] = keep ? before : initialStateValue(located.element);
  }
  return values;
}

export function stateKey(blockId: string, actionId: string): string {
  return `${blockId}\u0000${actionId}`;
}

function findOption(element: Json, value: string): Json | undefined {
  return allOptions(element).find((option) => option.value === value);
}

function asOptionInputs(input: ViewInputValue): SelectedOptionInput[] {
  if (input === null) return [];
  const list = Array.isArray(input) ? input : [input];
  return list.map((item) => (typeof item === 'string' ? { value: item } : item));
}

/**
 * Turns what a user picked or typed into Slack's state value for that element. `knownExternalOptions` are the options
 * the app last returned for an external select (so the selected option carries its real text).
 */
export function stateValueFromInput(element: Json, input: ViewInputValue, knownExternalOptions: readonly Json[] = []): ViewStateValue {
  const type = String(element.type);
  const single = (): string | null => {
    if (input === null) return null;
    if (typeof input === 'string') return input;
    throw new Error(`Element ${type} takes a string value`);
  };
  const pickStatic = (choice: SelectedOptionInput) => {
    const option = findOption(element, choice.value);
    if (!option) throw new Error(`"${choice.value}" is not an option of ${type} "${String(element.action_id)}"`);
    return optionOut(option);
  };
  const pickExternal = (choice: SelectedOptionInput) => {
    const known = knownExternalOptions.find((option) => option.value === choice.value);
    if (known) return optionOut(known);
    return { text: { type: 'plain_text', text: choice.text ?? choice.value }, value: choice.value };
  };
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: single() };
    case 'datepicker':
      return { type, selected_date: single() };
    case 'timepicker':
      return { type, selected_time: single() };
    case 'static_select':
    case 'radio_buttons':
    case 'external_select': {
      const [choice, ...rest] = asOptionInputs(input);
      if (rest.length > 0) throw new Error(`${type} takes one option`);
      const pick = type === 'external_select' ? pickExternal : pickStatic;
      return { type, selected_option: choice ? pick(choice) : null };
    }
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: asOptionInputs(input).map(pickStatic) };
    case 'multi_external_select':
      return { type, selected_options: asOptionInputs(input).map(pickExternal) };
    case 'users_select':
      return { type, selected_user: single() };
    case 'conversations_select':
      return { type, selected_conversation: single() };
    case 'channels_select':
      return { type, selected_channel: single() };
    case 'multi_users_select':
      return { type, selected_users: Array.isArray(input) ? input.map(String) : [] };
    case 'multi_conversations_select':
      return { type, selected_conversations: Array.isArray(input) ? input.map(String) : [] };
    case 'multi_channels_select':
      return { type, selected_channels: Array.isArray(input) ? input.map(String) : [] };
    default:
      throw new Error(`Element type ${type} holds no value`);
  }
}

function isEmpty(value: ViewStateValue | undefined): boolean {
  if (!value) return true;
  const { type: _type, ...rest } = value;
  return Object.values(rest).every((v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
}

/**
 * What the Slack client checks before it sends a view_submission: required inputs, text lengths, number format and
 * range. Returns block_id → message for each input that blocks the submission.
 */
export function clientSideErrors(blocks: readonly AnyBlock[], values: ViewStateValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const located of listElements(blocks)) {
    if (located.location !== 'input') continue;
    const { block, element, blockId, actionId } = located;
    const value = values[blockId]?.[actionId];
    if (isEmpty(value)) {
      if (block.optional !== true) errors[blockId] = 'Please complete this required field.';
      continue;
    }
    const text = value?.value ?? '';
    if (element.type === 'plain_text_input') {
      if (typeof element.min_length === 'number' && text.length < element.min_length) {
        errors[blockId] = `Please enter at least ${element.min_length} characters.`;
      } else if (typeof element.max_length === 'number' && text.length > element.max_length) {
        errors[blockId] = `Please enter no more than ${element.max_length} characters.`;
      }
    }
    if (element.type === 'number_input') {
      const decimal = element.is_decimal_allowed === true;
      const pattern = decimal ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
      const number = Number(text);
      const min = typeof element.min_value === 'string' ? Number(element.min_value) : undefined;
      const max = typeof element.max_value === 'string' ? Number(element.max_value) : undefined;
      if (!pattern.test(text.trim())) errors[blockId] = decimal ? 'Please enter a number.' : 'Please enter a whole number.';
      else if (min !== undefined && number < min) errors[blockId] = `Please enter a number ≥ ${element.min_value as string}.`;
      else if (max !== undefined && number > max) errors[blockId] = `Please enter a number ≤ ${element.max_value as string}.`;
    }
    if (element.type === 'email_text_input' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) {
      errors[blockId] = 'Please enter a valid email address.';
    }
    if (element.type === 'url_text_input' && !/^https?:\/\/\S+$/.test(text)) {
      errors[blockId] = 'Please enter a valid URL.';
    }
  }
  return errors;
}

/** Deep-copies blocks and fills in the block_id / action_id Slack generates where the app gave none. */
export function withGeneratedIds(blocks: readonly unknown[], shortId: () => string): AnyBlock[] {
  const copy = structuredClone(blocks) as Json[];
  const fill = (element: unknown) => {
    if (isObject(element) && element.action_id === undefined && element.type !== 'image' && element.type !== 'plain_text' && element.type !== 'mrkdwn') {
      element.action_id = shortId();
    }
  };
  for (const block of copy) {
    if (!isObject(block)) continue;
    if (block.block_id === undefined) block.block_id = shortId();
    if (block.type === 'input') fill(block.element);
    if (block.type === 'actions' && Array.isArray(block.elements)) block.elements.forEach(fill);
    if (block.type === 'section') fill(block.accessory);
  }
  return copy as unknown as AnyBlock[];
}
