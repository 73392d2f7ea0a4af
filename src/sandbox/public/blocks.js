// Block Kit → DOM, for messages, modals and the Home tab. Interactions are reported to
// surface.onAction; the sandbox page turns them into Slack-client actions on the emulator.
import { emojiText, renderMrkdwn, renderPlain, renderText } from './mrkdwn.js';
import { EMOJI } from './emoji.js';
import { dataTable, dataVisualization } from './data-blocks.js';

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const plainText = (object) => emojiText(String(object?.text ?? ''));
const keyOf = (blockId, actionId) => `${blockId}/${actionId}`;
const SAFE_URL = /^https?:\/\//i;

function image(url, alt, className) {
  const img = el('img', className);
  if (SAFE_URL.test(String(url ?? ''))) img.src = url;
  img.alt = String(alt ?? '');
  img.title = String(alt ?? '');
  img.loading = 'lazy';
  img.referrerPolicy = 'no-referrer';
  return img;
}

/** Slack's confirmation dialog for buttons and menus with `confirm`. */
export function confirmDialog(confirm, ctx) {
  return new Promise((resolve) => {
    const yes = el('button', `btn ${confirm.style === 'danger' ? 'danger' : 'primary'}`, [renderPlain(confirm.confirm ?? { text: 'Yes' })]);
    const no = el('button', 'btn', [renderPlain(confirm.deny ?? { text: 'Cancel' })]);
    yes.type = no.type = 'button';
    const overlay = el('div', 'overlay confirm-overlay', [
      el('div', 'dialog confirm', [
        el('h2', null, [renderPlain(confirm.title ?? { text: 'Are you sure?' })]),
        el('div', 'confirm-text', [renderText(confirm.text, ctx)]),
        el('div', 'dialog-footer', [no, yes]),
      ]),
    ]);
    const finish = (answer) => {
      overlay.remove();
      resolve(answer);
    };
    yes.onclick = () => finish(true);
    no.onclick = () => finish(false);
    document.body.append(overlay);
    yes.focus();
  });
}

/** The option list of a select: `options` or `option_groups`. */
function optionGroups(element) {
  if (Array.isArray(element.option_groups)) return element.option_groups.map((g) => ({ label: plainText(g.label), options: g.options ?? [] }));
  return [{ label: null, options: element.options ?? [] }];
}

function stateOf(surface, blockId, actionId) {
  return surface.state?.[blockId]?.[actionId];
}

function selectedValue(surface, blockId, actionId, element) {
  const key = keyOf(blockId, actionId);
  if (surface.pending?.has(key)) return surface.pending.get(key);
  const state = stateOf(surface, blockId, actionId);
  if (state) return state.selected_option?.value ?? state.selected_user ?? state.selected_conversation ?? state.selected_channel ?? null;
  return element.initial_option?.value ?? element.initial_user ?? element.initial_conversation ?? element.initial_channel ?? null;
}

function selectedText(surface, blockId, actionId, element) {
  const state = stateOf(surface, blockId, actionId);
  const option = state ? state.selected_option : element.initial_option;
  return option ? plainText(option.text) : '';
}

function selectedValues(surface, blockId, actionId, element) {
  const key = keyOf(blockId, actionId);
  if (surface.pending?.has(key)) return surface.pending.get(key);
  const state = stateOf(surface, blockId, actionId);
  if (state) return (state.selected_options?.map((o) => o.value) ?? state.selected_users ?? state.selected_conversations ?? state.selected_channels ?? []);
  return element.initial_options?.map((o) => o.value) ?? element.initial_users ?? element.initial_conversations ?? element.initial_channels ?? [];
}

function textValue(surface, blockId, actionId, element) {
  const key = keyOf(blockId, actionId);
  if (surface.pending?.has(key)) return surface.pending.get(key) ?? '';
  const state = stateOf(surface, blockId, actionId);
  if (state) return state.value ?? state.selected_date ?? state.selected_time ?? '';
  return element.initial_value ?? element.initial_date ?? element.initial_time ?? '';
}

function tagged(node, blockId, element) {
  node.dataset.key = keyOf(blockId, element.action_id);
  node.dataset.actionId = element.action_id ?? '';
  node.dataset.blockId = blockId;
  return node;
}

function button(element, where, surface) {
  const node = el('button', `btn${element.style ? ` ${element.style}` : ''}`, [renderPlain(element.text)]);
  node.type = 'button';
  node.onclick = async () => {
    if (element.confirm && !(await confirmDialog(element.confirm, surface.ctx))) return;
    if (element.url && SAFE_URL.test(element.url)) window.open(element.url, '_blank', 'noopener,noreferrer');
    node.disabled = true;
    try {
      await surface.onAction({ type: 'click', ...where, element });
    } finally {
      node.disabled = false;
    }
  };
  return tagged(node, where.blockId, element);
}

function fillOptions(select, element) {
  for (const group of optionGroups(element)) {
    const parent = group.label === null ? select : el('optgroup');
    if (group.label !== null) {
      parent.label = group.label;
      select.append(parent);
    }
    for (const option of group.options) {
      const node = el('option', null, [plainText(option.text)]);
      node.value = String(option.value ?? '');
      parent.append(node);
    }
  }
}

function optionText(element, value) {
  for (const group of optionGroups(element)) for (const option of group.options) if (option.value === value) return plainText(option.text);
  return value;
}

async function chooseWithConfirm(element, surface, report) {
  if (element.confirm && !(await confirmDialog(element.confirm, surface.ctx))) return false;
  await report();
  return true;
}

function staticSelect(element, where, surface) {
  const select = el('select', 'select');
  const placeholder = el('option', null, [element.placeholder ? plainText(element.placeholder) : 'Select an item']);
  placeholder.value = '';
  placeholder.disabled = true;
  select.append(placeholder);
  fillOptions(select, element);
  select.value = selectedValue(surface, where.blockId, element.action_id, element) ?? '';
  if (select.value === '') placeholder.selected = true;
  select.onchange = async () => {
    const value = select.value;
    const chosen = await chooseWithConfirm(element, surface, () =>
      surface.onAction({ type: 'choose', ...where, element, selectedOption: { value, text: optionText(element, value) } }),
    );
    if (!chosen) select.value = selectedValue(surface, where.blockId, element.action_id, element) ?? '';
  };
  return tagged(select, where.blockId, element);
}

function overflow(element, where, surface) {
  const select = el('select', 'overflow');
  select.title = 'More actions';
  const head = el('option', null, ['⋯']);
  head.value = '';
  head.disabled = true;
  head.selected = true;
  select.append(head);
  fillOptions(select, element);
  select.onchange = async () => {
    const value = select.value;
    select.value = '';
    await chooseWithConfirm(element, surface, () => surface.onAction({ type: 'choose', ...where, element, selectedOption: { value, text: optionText(element, value) } }));
  };
  return tagged(select, where.blockId, element);
}

function externalSelect(element, where, surface) {
  const input = el('input', 'combo-input');
  input.type = 'text';
  input.placeholder = element.placeholder ? plainText(element.placeholder) : 'Type to search';
  input.value = selectedText(surface, where.blockId, element.action_id, element);
  input.autocomplete = 'off';
  const list = el('div', 'combo-list');
  list.hidden = true;
  const box = el('div', 'combo', [input, list]);
  let timer;
  let asked = 0;
  const ask = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const id = ++asked;
      const answer = await surface.onAction({ type: 'options', ...where, element, query: input.value === selectedText(surface, where.blockId, element.action_id, element) ? '' : input.value });
      if (id !== asked || !answer) return;
      list.replaceChildren();
      if (answer.tooShort) list.append(el('div', 'combo-note', [`Type at least ${element.min_query_length ?? 3} characters`]));
      const groups = answer.optionGroups?.length ? answer.optionGroups.map((g) => ({ label: plainText(g.label), options: g.options ?? [] })) : [{ label: null, options: answer.options ?? [] }];
      let count = 0;
      for (const group of groups) {
        if (group.label) list.append(el('div', 'combo-group', [group.label]));
        for (const option of group.options) {
          count++;
          const item = el('div', 'combo-option', [plainText(option.text)]);
          item.setAttribute('role', 'option');
          item.onmousedown = async (event) => {
            event.preventDefault();
            list.hidden = true;
            input.value = plainText(option.text);
            await surface.onAction({ type: 'choose', ...where, element, selectedOption: { value: String(option.value), text: plainText(option.text) } });
          };
          list.append(item);
        }
      }
      if (count === 0 && !answer.tooShort) list.append(el('div', 'combo-note', ['No matches']));
      list.hidden = false;
    }, 150);
  };
  input.onfocus = ask;
  input.oninput = ask;
  input.onblur = () => setTimeout(() => (list.hidden = true), 150);
  tagged(input, where.blockId, element);
  return box;
}

function multiSelect(element, where, surface, choices) {
  const select = el('select', 'select multi');
  select.multiple = true;
  if (choices) for (const [value, label] of choices) {
    const option = el('option', null, [label]);
    option.value = value;
    select.append(option);
  } else fillOptions(select, element);
  const chosen = new Set(selectedValues(surface, where.blockId, element.action_id, element));
  for (const option of select.options) option.selected = chosen.has(option.value);
  select.onchange = () => surface.onAction({ type: 'value', ...where, element, value: [...select.selectedOptions].map((o) => o.value) });
  return tagged(select, where.blockId, element);
}

function pickList(element, where, surface, choices) {
  const select = el('select', 'select');
  const placeholder = el('option', null, [element.placeholder ? plainText(element.placeholder) : 'Select']);
  placeholder.value = '';
  select.append(placeholder);
  for (const [value, label] of choices) {
    const option = el('option', null, [label]);
    option.value = value;
    select.append(option);
  }
  select.value = selectedValue(surface, where.blockId, element.action_id, element) ?? '';
  select.onchange = () => surface.onAction({ type: 'value', ...where, element, value: select.value || null });
  return tagged(select, where.blockId, element);
}

function radios(element, where, surface) {
  const current = selectedValue(surface, where.blockId, element.action_id, element);
  const group = el('div', 'choices');
  const name = `${keyOf(where.blockId, element.action_id)}#${Math.random().toString(36).slice(2)}`;
  for (const option of element.options ?? []) {
    const input = el('input');
    input.type = 'radio';
    input.name = name;
    input.value = option.value;
    input.checked = option.value === current;
    input.onchange = () => surface.onAction({ type: 'choose', ...where, element, selectedOption: { value: option.value, text: plainText(option.text) } });
    group.append(el('label', 'choice', [input, el('span', null, [renderText(option.text, surface.ctx)]), option.description ? el('small', null, [renderText(option.description, surface.ctx)]) : null]));
  }
  return tagged(group, where.blockId, element);
}

function checkboxes(element, where, surface) {
  const current = new Set(selectedValues(surface, where.blockId, element.action_id, element));
  const group = el('div', 'choices');
  for (const option of element.options ?? []) {
    const input = el('input');
    input.type = 'checkbox';
    input.value = option.value;
    input.checked = current.has(option.value);
    input.onchange = () => surface.onAction({ type: 'value', ...where, element, value: [...group.querySelectorAll('input:checked')].map((i) => i.value) });
    group.append(el('label', 'choice', [input, el('span', null, [renderText(option.text, surface.ctx)]), option.description ? el('small', null, [renderText(option.description, surface.ctx)]) : null]));
  }
  return tagged(group, where.blockId, element);
}

function textInput(element, where, surface) {
  const multiline = element.type === 'plain_text_input' && element.multiline;
  const input = el(multiline ? 'textarea' : 'input', 'text-input');
  if (!multiline) {
    input.type = { number_input: 'text', email_text_input: 'email', url_text_input: 'url', datepicker: 'date', timepicker: 'time' }[element.type] ?? 'text';
    if (element.type === 'number_input') input.inputMode = element.is_decimal_allowed ? 'decimal' : 'numeric';
  } else input.rows = 4;
  if (element.placeholder) input.placeholder = plainText(element.placeholder);
  input.value = textValue(surface, where.blockId, element.action_id, element);
  input.oninput = () => surface.onAction({ type: 'value', ...where, element, value: input.value === '' ? null : input.value });
  // As in Slack: Enter in a single-line input sends block_actions when its input block sets dispatch_action
  // and the element dispatches on Enter (the default when dispatch_action_config is absent).
  const triggers = element.dispatch_action_config?.trigger_actions_on;
  if (!multiline && where.dispatch && (!Array.isArray(triggers) || triggers.includes('on_enter_pressed'))) {
    input.onkeydown = (event) => {
      if (event.key !== 'Enter' || event.isComposing) return;
      event.preventDefault();
      surface.onAction({ type: 'enter', ...where, element, value: input.value });
    };
  }
  return tagged(input, where.blockId, element);
}

function element(node, where, surface) {
  switch (node.type) {
    case 'button':
      return button(node, where, surface);
    case 'overflow':
      return overflow(node, where, surface);
    case 'static_select':
      return staticSelect(node, where, surface);
    case 'external_select':
      return externalSelect(node, where, surface);
    case 'multi_static_select':
      return multiSelect(node, where, surface);
    case 'users_select':
      return pickList(node, where, surface, surface.users.map((u) => [u.id, u.realName]));
    case 'multi_users_select':
      return multiSelect(node, where, surface, surface.users.map((u) => [u.id, u.realName]));
    case 'conversations_select':
    case 'channels_select':
      return pickList(node, where, surface, surface.channels.map((c) => [c.id, `#${c.name}`]));
    case 'multi_conversations_select':
    case 'multi_channels_select':
      return multiSelect(node, where, surface, surface.channels.map((c) => [c.id, `#${c.name}`]));
    case 'radio_buttons':
      return radios(node, where, surface);
    case 'checkboxes':
      return checkboxes(node, where, surface);
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'datepicker':
    case 'timepicker':
      return textInput(node, where, surface);
    case 'image':
      return image(node.image_url, node.alt_text, 'accessory-image');
    default:
      return el('span', 'unsupported', [`[${String(node.type)}]`]);
  }
}

function richText(block, surface) {
  const styled = (item) => {
    let node;
    switch (item.type) {
      case 'link': {
        if (!SAFE_URL.test(String(item.url ?? ''))) return document.createTextNode(item.text ?? item.url ?? '');
        node = el('a', null, [item.text ?? item.url]);
        node.href = item.url;
        node.target = '_blank';
        node.rel = 'noopener noreferrer';
        break;
      }
      case 'emoji':
        node = document.createTextNode(EMOJI[item.name] ?? `:${item.name}:`);
        break;
      case 'user':
        node = el('span', 'mention', [`@${surface.ctx.userName?.(item.user_id) ?? item.user_id}`]);
        break;
      case 'channel':
        node = el('span', 'mention', [`#${surface.ctx.channelName?.(item.channel_id) ?? item.channel_id}`]);
        break;
      case 'broadcast':
        node = el('span', 'mention', [`@${item.range}`]);
        break;
      default:
        node = document.createTextNode(String(item.text ?? ''));
    }
    const s = item.style ?? {};
    if (s.code) node = el('code', null, [node]);
    if (s.strike) node = el('s', null, [node]);
    if (s.italic) node = el('em', null, [node]);
    if (s.bold) node = el('strong', null, [node]);
    return node;
  };
  const part = (section) => {
    const children = (section.elements ?? []).map((e) => (e.elements ? part(e) : styled(e)));
    switch (section.type) {
      case 'rich_text_preformatted':
        return el('pre', null, children);
      case 'rich_text_quote':
        return el('blockquote', null, children);
      case 'rich_text_list':
        return el(section.style === 'ordered' ? 'ol' : 'ul', null, children.map((c) => el('li', null, [c])));
      default:
        return el('div', null, children);
    }
  };
  return el('div', 'block rich-text', (block.elements ?? []).map(part));
}

function inputBlock(block, surface) {
  const where = { blockId: block.block_id, location: 'input', dispatch: block.dispatch_action === true };
  const label = el('label', 'input-label', [renderPlain(block.label), block.optional ? el('span', 'optional', [' (optional)']) : null]);
  const error = surface.errors?.[block.block_id];
  const node = el('div', `block input${error ? ' has-error' : ''}`, [
    label,
    element(block.element, where, surface),
    block.hint ? el('div', 'hint', [renderPlain(block.hint)]) : null,
    error ? el('div', 'field-error', [error]) : null,
  ]);
  node.dataset.blockId = block.block_id ?? '';
  return node;
}

function block(node, surface) {
  const ctx = surface.ctx;
  switch (node.type) {
    case 'header':
      return el('h3', 'block header', [renderPlain(node.text)]);
    case 'divider':
      return el('hr', 'block divider');
    case 'section': {
      const body = el('div', 'section-body', [
        node.text ? el('div', 'section-text', [renderText(node.text, ctx)]) : null,
        Array.isArray(node.fields) ? el('div', 'fields', node.fields.map((f) => el('div', 'field', [renderText(f, ctx)]))) : null,
      ]);
      const accessory = node.accessory ? el('div', 'accessory', [element(node.accessory, { blockId: node.block_id, location: 'accessory' }, surface)]) : null;
      return el('div', 'block section', [body, accessory]);
    }
    case 'context':
      return el(
        'div',
        'block context',
        (node.elements ?? []).map((e) => (e.type === 'image' ? image(e.image_url, e.alt_text, 'context-image') : el('span', null, [renderText(e, ctx)]))),
      );
    case 'actions':
      return el('div', 'block actions', (node.elements ?? []).map((e) => element(e, { blockId: node.block_id, location: 'actions' }, surface)));
    case 'image':
      return el('figure', 'block image', [node.title ? el('figcaption', null, [renderPlain(node.title)]) : null, image(node.image_url, node.alt_text, 'block-image')]);
    case 'input':
      return inputBlock(node, surface);
    case 'rich_text':
      return richText(node, surface);
    case 'data_visualization':
      return dataVisualization(node);
    case 'data_table':
      return dataTable(node, (cell) => richText(cell, surface));
    default:
      return el('div', 'block unsupported', [`[${String(node.type)} block]`]);
  }
}

/**
 * surface: { kind: 'message' | 'modal' | 'home', ctx: {userName, channelName, timeZone}, users, channels,
 *            state (view state.values), errors (block_id → message), pending (Map of unsent values), onAction }
 */
export function renderBlocks(blocks, surface) {
  const container = el('div', 'blocks');
  for (const node of blocks ?? []) {
    const rendered = block(node, surface);
    if (node.block_id && !rendered.dataset.blockId) rendered.dataset.blockId = node.block_id;
    container.append(rendered);
  }
  return container;
}

export { renderMrkdwn };
