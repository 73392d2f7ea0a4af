// The sandbox page: a small Slack-like client. It reads the Slack emulator through the sandbox's
// JSON API, acts as the chosen demo user, and refreshes on server-sent events.
import { confirmDialog, renderBlocks } from './blocks.js';
import { renderMrkdwn } from './mrkdwn.js';
import { describeJobRun, jobHelp, jobsIntro } from './job-words.js';
import { commandText, matchingPeople, mentionQuery, messageText } from './compose.js';

const $ = (selector) => document.querySelector(selector);
const page = {
  state: null,
  user: localStorage.getItem('sandbox.user'),
  channel: localStorage.getItem('sandbox.channel'),
  tab: 'messages',
  pending: new Map(),
  pendingViewId: null,
  flushTimer: null,
  modalSignature: '',
  homeSignature: '',
  unread: new Set(),
  /** Mentions picked from the suggestions for the message being typed: { label: '@Ben Okafor', id }. */
  mentions: [],
  /** Per conversation, the messages already shown: what is new gets scrolled into view. */
  seen: new Map(),
};

// ── API ──────────────────────────────────────────────────────────────────────────────────────────

async function api(path, body) {
  const request = () => fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  let response;
  try {
    response = await request();
  } catch {
    // A dropped keep-alive connection fails before the request reaches the server: try once more.
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await request();
    } catch (error) {
      toast(`The sandbox did not answer (${error.message}). Is it still running?`, 'error');
      return { ok: false, error: error.message };
    }
  }
  let answer;
  try {
    answer = await response.json();
  } catch {
    answer = { ok: false, error: `HTTP ${response.status}` };
  }
  if (answer.ok === false) toast(answer.problem ?? answer.error ?? 'Something went wrong', 'error');
  return answer;
}

function toast(text, kind = 'info') {
  if (kind === 'error') console.warn(`sandbox: ${text}`);
  const node = document.createElement('div');
  node.className = `toast ${kind}`;
  node.textContent = text;
  node.onclick = () => node.remove();
  $('#toasts').append(node);
  setTimeout(() => node.remove(), kind === 'error' ? 12_000 : 6_000);
}

// ── people and conversations ─────────────────────────────────────────────────────────────────────

const me = () => page.state?.users.find((u) => u.id === page.user);
const dmId = () => me()?.dmChannelId;
const myChannels = () => (page.state?.channels ?? []).filter((c) => c.members.includes(page.user) && !c.isArchived);
const isAppConversation = () => page.channel === dmId();

const renderCtx = {
  userName: (id) => {
    if (id === page.state?.bot.userId) return page.state.bot.name;
    const user = page.state?.users.find((u) => u.id === id);
    return user ? user.realName : undefined;
  },
  channelName: (id) => page.state?.channels.find((c) => c.id === id)?.name,
  get timeZone() {
    return me()?.tz;
  },
};

function surface(kind, extra) {
  return { kind, ctx: renderCtx, users: page.state.users, channels: myChannels(), ...extra };
}

// ── sidebar ──────────────────────────────────────────────────────────────────────────────────────

function renderSidebar() {
  const { state } = page;
  $('#workspace-name').textContent = state.team.name;
  const picker = $('#user-picker');
  picker.replaceChildren(
    ...state.users.map((u) => {
      const option = document.createElement('option');
      option.value = u.id;
      option.textContent = `${u.realName}${u.admin ? ' (admin)' : ''}${u.inGtmhub ? '' : ' (not in Gtmhub)'}`;
      return option;
    }),
  );
  picker.value = page.user;
  const user = me();
  $('#user-note').textContent = `${user.email ?? 'no email'} · ${user.tz}${user.inGtmhub ? '' : ' · no Gtmhub user with this email'}`;

  const item = (id, label, prefix) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `nav-item${id === page.channel ? ' active' : ''}${page.unread.has(id) ? ' unread' : ''}`;
    button.dataset.channel = id;
    button.textContent = `${prefix}${label}`;
    button.onclick = () => openConversation(id);
    li.append(button);
    return li;
  };
  $('#channel-list').replaceChildren(...myChannels().map((c) => item(c.id, c.name, c.isPrivate ? '🔒 ' : '# ')));
  $('#app-list').replaceChildren(item(dmId(), state.bot.name, '🤖 '));

  $('#job-help').textContent = jobsIntro(state.jobs);
  $('#job-buttons').replaceChildren(
    ...state.jobs.map((job) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn small';
      button.dataset.job = job.name;
      button.textContent = `Run ${job.name} now`;
      button.title = jobHelp(job);
      button.onclick = () => runJob(job.name, button);
      return button;
    }),
  );
}

async function runJob(name, button) {
  button.disabled = true;
  try {
    const answer = await api('/api/jobs/run', { name });
    if (!answer.ok) return;
    const line = document.createElement('div');
    line.className = 'job-result';
    line.dataset.job = name;
    line.textContent = `${describeJobRun(name, answer.result)} Took ${answer.ms} ms.`;
    $('#job-log').prepend(line);
    while ($('#job-log').children.length > 5) $('#job-log').lastElementChild.remove();
  } finally {
    button.disabled = false;
  }
}

// ── conversation ─────────────────────────────────────────────────────────────────────────────────

function openConversation(id, tab = 'messages') {
  page.channel = id;
  page.tab = id === dmId() ? tab : 'messages';
  page.unread.delete(id);
  page.seen.delete(id);
  localStorage.setItem('sandbox.channel', id);
  page.homeSignature = '';
  renderSidebar();
  renderHeader();
  refreshConversation();
  if (page.tab === 'home') openHome();
}

function renderHeader() {
  const channel = page.state.channels.find((c) => c.id === page.channel);
  $('#conversation-title').textContent = isAppConversation() ? page.state.bot.name : `# ${channel?.name ?? page.channel}`;
  const tabs = $('#tabs');
  tabs.replaceChildren();
  if (isAppConversation()) {
    for (const [tab, label] of [['home', 'Home'], ['messages', 'Messages']]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `tab${page.tab === tab ? ' active' : ''}`;
      button.dataset.tab = tab;
      button.textContent = label;
      button.onclick = () => openConversation(page.channel, tab);
      tabs.append(button);
    }
  }
  $('#messages').hidden = page.tab === 'home';
  $('#composer').hidden = page.tab === 'home';
  $('#home').hidden = page.tab !== 'home';
}

function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function messageNode(message) {
  const node = document.createElement('article');
  // Slack's own answers (to /invite, or a command that is not the app's) come from Slackbot, not the app.
  const fromSlack = message.source === 'slackbot';
  const isBot = !fromSlack && (message.ephemeral || message.user === page.state.bot.userId);
  const isReply = message.threadTs && message.threadTs !== message.ts;
  node.className = `message${message.ephemeral ? ' ephemeral' : ''}${isReply ? ' reply' : ''}`;
  node.dataset.ts = message.ts;
  node.dataset.channel = message.channel;
  const author = fromSlack ? 'Slackbot' : isBot ? page.state.bot.name : (renderCtx.userName(message.user) ?? message.user);
  const avatar = document.createElement('div');
  avatar.className = `avatar${isBot ? ' bot' : ''}`;
  avatar.textContent = author.slice(0, 2).toUpperCase();
  const meta = document.createElement('div');
  meta.className = 'message-meta';
  const name = document.createElement('span');
  name.className = 'author';
  name.textContent = author;
  meta.append(name);
  if (isBot) meta.append(Object.assign(document.createElement('span'), { className: 'badge', textContent: 'APP' }));
  if (!message.ephemeral) meta.append(shortcutMenu(message));
  meta.append(Object.assign(document.createElement('time'), { textContent: timeOf(message.ts) }));
  if (message.edited) meta.append(Object.assign(document.createElement('span'), { className: 'edited', textContent: '(edited)' }));
  if (isReply) meta.append(Object.assign(document.createElement('span'), { className: 'thread-note', textContent: '↳ in thread' }));
  const main = document.createElement('div');
  main.className = 'message-main';
  main.append(meta);
  if (message.ephemeral) main.append(Object.assign(document.createElement('div'), { className: 'ephemeral-note', textContent: '👁 Only visible to you' }));
  const where = { channel: message.channel, ts: message.ts };
  if (message.blocks?.length) {
    main.append(renderBlocks(message.blocks, surface('message', { onAction: (event) => messageAction(where, event) })));
  } else {
    const text = document.createElement('div');
    text.className = 'message-text';
    text.append(renderMrkdwn(message.text, renderCtx));
    main.append(text);
  }
  for (const [url, unfurl] of Object.entries(message.unfurls ?? {})) {
    const card = document.createElement('div');
    card.className = 'unfurl';
    card.dataset.url = url;
    card.append(renderBlocks(unfurl.blocks, surface('message', { onAction: (event) => messageAction(where, event) })));
    main.append(card);
  }
  node.append(avatar, main);
  return node;
}

/** The message's "⋯" menu: the app's message shortcuts (here: Check in a key result). */
function shortcutMenu(message) {
  const menu = document.createElement('details');
  menu.className = 'message-menu';
  menu.append(Object.assign(document.createElement('summary'), { textContent: '⋯', title: 'More actions' }));
  const item = Object.assign(document.createElement('button'), { type: 'button', className: 'menu-item', textContent: 'Check in a key result' });
  item.dataset.shortcut = 'checkin_from_message';
  item.onclick = async () => {
    menu.open = false;
    await api('/api/shortcut', { user: page.user, channel: message.channel, ts: message.ts, callbackId: item.dataset.shortcut });
  };
  menu.append(item);
  return menu;
}

function ordered(messages) {
  const byTs = (a, b) => Number(a.ts) - Number(b.ts);
  const roots = messages.filter((m) => !m.threadTs || m.threadTs === m.ts || !messages.some((p) => p.ts === m.threadTs)).sort(byTs);
  const out = [];
  for (const root of roots) {
    out.push(root);
    out.push(...messages.filter((m) => m.threadTs === root.ts && m.ts !== root.ts).sort(byTs));
  }
  return out;
}

let conversationRequest = 0;
async function refreshConversation() {
  if (page.tab === 'home') return;
  const id = ++conversationRequest;
  const answer = await api(`/api/conversation?user=${encodeURIComponent(page.user)}&channel=${encodeURIComponent(page.channel)}`);
  if (id !== conversationRequest || !answer.ok) return;
  const list = $('#messages');
  const all = ordered([...answer.messages, ...answer.ephemerals]);
  if (all.length === 0) {
    const empty = document.createElement('div');
    empty.className = 'empty';
    empty.textContent = isAppConversation() ? 'No messages yet. Type /kr help below.' : 'No messages yet. Try /kr checkin or /kr summary below.';
    list.replaceChildren(empty);
  } else list.replaceChildren(...all.map(messageNode));
  followNewMessages(list, all);
}

/**
 * Like Slack: a conversation opens at its latest message, and a message that arrives while it is open (an
 * answer, or a reply in a thread higher up) is scrolled into view.
 */
function followNewMessages(list, messages) {
  const keyOf = (m) => `${m.ephemeral ? 'e' : 'm'}:${m.ts}`;
  const seen = page.seen.get(page.channel);
  const keys = new Set(messages.map(keyOf));
  page.seen.set(page.channel, keys);
  if (!seen) {
    list.scrollTop = list.scrollHeight;
    return;
  }
  const arrived = messages.filter((m) => !seen.has(keyOf(m))).sort((a, b) => Number(a.ts) - Number(b.ts)).at(-1);
  if (!arrived) return;
  const node = [...list.querySelectorAll('.message')].find((n) => n.dataset.ts === arrived.ts);
  node?.scrollIntoView({ block: 'nearest' });
}

async function messageAction(where, event) {
  const body = { user: page.user, where, actionId: event.element.action_id, blockId: event.blockId };
  if (event.type === 'choose') body.selectedOption = event.selectedOption;
  else if (event.type === 'value') {
    if (event.element.type !== 'datepicker') return toast('This sandbox cannot send that input from a message.', 'error');
    body.value = event.value;
  }
  return api('/api/action', body);
}

// ── views: modals and the Home tab ───────────────────────────────────────────────────────────────

async function flushValues(viewId) {
  clearTimeout(page.flushTimer);
  if (page.pending.size === 0 || page.pendingViewId !== viewId) return;
  const sent = [...page.pending.entries()];
  const values = sent.map(([key, value]) => {
    const [blockId, actionId] = key.split('/');
    return { blockId, actionId, value };
  });
  const answer = await api('/api/view/values', { user: page.user, viewId, values });
  if (answer.ok) for (const [key, value] of sent) if (page.pending.get(key) === value) page.pending.delete(key);
}

async function viewAction(view, event) {
  const key = `${event.blockId}/${event.element.action_id}`;
  if (page.pendingViewId !== view.id) {
    page.pending.clear();
    page.pendingViewId = view.id;
  }
  if (event.type === 'value') {
    page.pending.set(key, event.value);
    clearTimeout(page.flushTimer);
    page.flushTimer = setTimeout(() => flushValues(view.id), 300);
    return;
  }
  page.pending.delete(key);
  await flushValues(view.id);
  const common = { user: page.user, viewId: view.id, actionId: event.element.action_id, blockId: event.blockId };
  if (event.type === 'enter') return api('/api/view/enter', { ...common, value: event.value });
  if (event.type === 'options') return api('/api/view/options', { ...common, query: event.query ?? '' });
  if (event.type === 'click') return api('/api/action', { user: page.user, where: { viewId: view.id }, actionId: common.actionId, blockId: common.blockId });
  if (event.type === 'choose') {
    if (event.element.type === 'overflow') return api('/api/action', { user: page.user, where: { viewId: view.id }, actionId: common.actionId, blockId: common.blockId, selectedOption: event.selectedOption });
    return api('/api/view/select', { ...common, selectedOption: event.selectedOption });
  }
}

function captureFocus(root) {
  const active = document.activeElement;
  if (!active || !root.contains(active) || !active.dataset?.key) return null;
  return { key: active.dataset.key, start: active.selectionStart, end: active.selectionEnd };
}

function restoreFocus(root, focus) {
  if (!focus) return;
  const target = [...root.querySelectorAll('[data-key]')].find((n) => n.dataset.key === focus.key);
  if (!target) return;
  target.focus();
  if (typeof focus.start === 'number' && typeof target.setSelectionRange === 'function') {
    try {
      target.setSelectionRange(focus.start, focus.end);
    } catch {
      // Inputs such as type=email do not support selection ranges.
    }
  }
}

function renderModal(modals) {
  const root = $('#modal-root');
  const top = modals.at(-1);
  if (!top) {
    root.replaceChildren();
    page.modalSignature = '';
    return;
  }
  if (page.pendingViewId !== top.id) {
    page.pending.clear();
    page.pendingViewId = top.id;
  }
  // State changes come from this page's own inputs, which already show them.
  const signature = JSON.stringify([top.id, top.hash, top.title, top.submit, top.close, top.blocks, top.errors, modals.length, page.user]);
  if (signature === page.modalSignature) return;
  page.modalSignature = signature;
  const focus = captureFocus(root);

  const dialog = document.createElement('div');
  dialog.className = 'dialog modal';
  dialog.setAttribute('role', 'dialog');
  dialog.dataset.viewId = top.id;
  const title = document.createElement('h2');
  title.textContent = top.title?.text ?? '';
  const closeX = Object.assign(document.createElement('button'), { type: 'button', className: 'close-x', textContent: '×', title: 'Close' });
  const header = document.createElement('header');
  header.append(title, closeX);
  if (modals.length > 1) header.append(Object.assign(document.createElement('span'), { className: 'stack-note', textContent: `${modals.length} views deep` }));
  const body = document.createElement('div');
  body.className = 'dialog-body';
  body.append(renderBlocks(top.blocks, surface('modal', { state: top.state?.values, errors: top.errors, pending: page.pending, onAction: (event) => viewAction(top, event) })));
  const footer = document.createElement('footer');
  footer.className = 'dialog-footer';
  const close = Object.assign(document.createElement('button'), { type: 'button', className: 'btn', textContent: top.close?.text ?? 'Cancel' });
  close.dataset.role = 'close';
  footer.append(close);
  const closeView = async () => {
    clearTimeout(page.flushTimer);
    page.pending.clear();
    await api('/api/view/close', { user: page.user, viewId: top.id });
  };
  close.onclick = closeView;
  closeX.onclick = closeView;
  if (top.submit) {
    const submit = Object.assign(document.createElement('button'), { type: 'button', className: 'btn primary', textContent: top.submit.text });
    submit.dataset.role = 'submit';
    submit.onclick = async () => {
      submit.disabled = true;
      try {
        await flushValues(top.id);
        await api('/api/view/submit', { user: page.user, viewId: top.id });
      } finally {
        submit.disabled = false;
      }
    };
    footer.append(submit);
  }
  dialog.append(header, body, footer);
  const overlay = document.createElement('div');
  overlay.className = 'overlay';
  overlay.append(dialog);
  root.replaceChildren(overlay);
  restoreFocus(root, focus);
}

function renderHome(home) {
  const root = $('#home');
  if (page.tab !== 'home') return;
  if (!home) {
    root.replaceChildren(Object.assign(document.createElement('div'), { className: 'empty', textContent: 'Opening the Home tab…' }));
    page.homeSignature = '';
    return;
  }
  const signature = JSON.stringify([home.id, home.hash, home.blocks, home.errors, page.user]);
  if (signature === page.homeSignature) return;
  page.homeSignature = signature;
  const focus = captureFocus(root);
  root.replaceChildren(renderBlocks(home.blocks, surface('home', { state: home.state?.values, errors: home.errors, pending: page.pending, onAction: (event) => viewAction(home, event) })));
  restoreFocus(root, focus);
}

let viewsRequest = 0;
async function refreshViews() {
  const id = ++viewsRequest;
  const answer = await api(`/api/views?user=${encodeURIComponent(page.user)}`);
  if (id !== viewsRequest || !answer.ok) return;
  renderModal(answer.modals);
  renderHome(answer.home);
}

async function openHome() {
  renderHome(null);
  await api('/api/home', { user: page.user });
  await refreshViews();
}

// ── composer ─────────────────────────────────────────────────────────────────────────────────────

async function send(event) {
  event.preventDefault();
  const input = $('#composer-input');
  const typed = input.value.trim();
  if (!typed) return;
  closeSuggestions();
  input.disabled = true;
  try {
    // A slash command goes to the app; anything else is a message (links to Gtmhub get a preview). As the Slack
    // client does, a message's picked mentions become <@U…> and its bare links <url>.
    const handleOf = (id) => (id === page.state.bot.userId ? page.state.bot.name : page.state.users.find((u) => u.id === id)?.name);
    const answer = typed.startsWith('/')
      ? await api('/api/command', { user: page.user, channel: page.channel, text: commandText(typed, page.mentions, handleOf) })
      : await api('/api/message', { user: page.user, channel: page.channel, text: messageText(typed, page.mentions) });
    if (answer.ok) {
      input.value = '';
      page.mentions = [];
    }
  } finally {
    input.disabled = false;
    input.focus();
  }
}

// ── @mentions in the composer ─────────────────────────────────────────────────────────────────────

const suggestions = { items: [], index: 0, start: 0 };

function mentionables() {
  const people = page.state.users.map((u) => ({ id: u.id, realName: u.realName, name: u.name }));
  return [...people, { id: page.state.bot.userId, realName: page.state.bot.name, name: page.state.bot.name, isApp: true }];
}

function closeSuggestions() {
  suggestions.items = [];
  $('#mention-list').hidden = true;
  $('#mention-list').replaceChildren();
  $('#composer-input').removeAttribute('aria-activedescendant');
}

function renderSuggestions() {
  const list = $('#mention-list');
  list.replaceChildren(
    ...suggestions.items.map((person, i) => {
      const item = document.createElement('li');
      item.id = `mention-${person.id}`;
      item.role = 'option';
      item.dataset.userId = person.id;
      item.className = `mention-option${i === suggestions.index ? ' active' : ''}`;
      item.setAttribute('aria-selected', String(i === suggestions.index));
      item.append(Object.assign(document.createElement('strong'), { textContent: person.realName }), ` ${person.isApp ? 'APP' : `@${person.name}`}`);
      item.onmousedown = (event) => {
        event.preventDefault();
        pickMention(person);
      };
      return item;
    }),
  );
  list.hidden = suggestions.items.length === 0;
  const active = suggestions.items[suggestions.index];
  if (active) $('#composer-input').setAttribute('aria-activedescendant', `mention-${active.id}`);
}

function updateSuggestions() {
  const input = $('#composer-input');
  const found = mentionQuery(input.value, input.selectionStart ?? input.value.length);
  if (!found || !page.state) return closeSuggestions();
  suggestions.items = matchingPeople(mentionables(), found.query);
  suggestions.index = 0;
  suggestions.start = found.start;
  renderSuggestions();
}

function pickMention(person) {
  const input = $('#composer-input');
  const caret = input.selectionStart ?? input.value.length;
  const label = `@${person.realName}`;
  input.value = `${input.value.slice(0, suggestions.start)}${label} ${input.value.slice(caret)}`;
  const at = suggestions.start + label.length + 1;
  input.setSelectionRange(at, at);
  if (!page.mentions.some((m) => m.label === label)) page.mentions.push({ label, id: person.id });
  closeSuggestions();
  input.focus();
}

function composerKeys(event) {
  if (suggestions.items.length === 0) return;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const step = event.key === 'ArrowDown' ? 1 : -1;
    suggestions.index = (suggestions.index + step + suggestions.items.length) % suggestions.items.length;
    renderSuggestions();
  } else if (event.key === 'Enter' || event.key === 'Tab') {
    // A name typed out in full is already a mention (Slack links `@handle` on send): Enter sends the message.
    const input = $('#composer-input');
    const typed = input.value.slice(suggestions.start + 1, input.selectionStart ?? input.value.length);
    const exact = suggestions.items.find((p) => [p.name, p.realName].some((n) => n.toLowerCase() === typed.toLowerCase()));
    if (event.key === 'Enter' && exact) {
      if (!page.mentions.some((m) => m.label === `@${typed}`)) page.mentions.push({ label: `@${typed}`, id: exact.id });
      closeSuggestions();
      return;
    }
    event.preventDefault();
    pickMention(suggestions.items[suggestions.index]);
  } else if (event.key === 'Escape') {
    event.preventDefault();
    closeSuggestions();
  }
}

// ── live updates ─────────────────────────────────────────────────────────────────────────────────

const scheduled = { conversation: null, views: null };
function soon(what, run) {
  if (scheduled[what]) return;
  scheduled[what] = setTimeout(() => {
    scheduled[what] = null;
    run();
  }, 30);
}

function onChange(change) {
  console.debug('sandbox change', JSON.stringify(change));
  if (!page.state) return;
  if (change.type.startsWith('message_')) {
    if (change.channel === page.channel) soon('conversation', refreshConversation);
    else if (change.type === 'message_posted' && (change.channel === dmId() || myChannels().some((c) => c.id === change.channel))) {
      page.unread.add(change.channel);
      renderSidebar();
    }
  } else if (change.type.startsWith('ephemeral_') && change.user === page.user) {
    if (change.channel === page.channel) soon('conversation', refreshConversation);
    else if (change.type === 'ephemeral_posted') {
      page.unread.add(change.channel);
      renderSidebar();
    }
  } else if ((change.type === 'views_changed' || change.type === 'home_published') && change.user === page.user) {
    soon('views', refreshViews);
  }
}

// Held at module level: the stream must live as long as the page.
let events = null;
function connect() {
  events = new EventSource('/api/events');
  events.addEventListener('change', (event) => onChange(JSON.parse(event.data)));
  events.addEventListener('reset', () => start());
  // After a dropped connection, changes may have been missed.
  events.addEventListener('hello', () => {
    if (page.state) {
      refreshConversation();
      refreshViews();
    }
  });
  events.onerror = () => {
    // The browser retries by itself unless the stream is closed for good.
    if (events.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
  };
}

// ── start ────────────────────────────────────────────────────────────────────────────────────────

function selectUser(id) {
  page.user = id;
  localStorage.setItem('sandbox.user', id);
  page.pending.clear();
  page.modalSignature = '';
  page.homeSignature = '';
  page.unread.clear();
  const channels = myChannels();
  const keep = page.channel === dmId() || channels.some((c) => c.id === page.channel);
  openConversation(keep ? page.channel : (channels[0]?.id ?? dmId()));
  refreshViews();
}

async function start() {
  const answer = await api('/api/state');
  if (!answer.ok) return;
  page.state = answer;
  if (!answer.users.some((u) => u.id === page.user)) page.user = answer.users.find((u) => u.admin)?.id ?? answer.users[0]?.id;
  page.modalSignature = '';
  page.homeSignature = '';
  selectUser(page.user);
}

$('#user-picker').onchange = (event) => selectUser(event.target.value);
$('#composer').onsubmit = send;
$('#composer-input').addEventListener('input', updateSuggestions);
$('#composer-input').addEventListener('keydown', composerKeys);
$('#composer-input').addEventListener('blur', () =>
  setTimeout(() => {
    if (document.activeElement !== $('#composer-input')) closeSuggestions();
  }, 150),
);
for (const chip of document.querySelectorAll('[data-suggest]')) {
  chip.onclick = () => {
    $('#composer-input').value = chip.dataset.suggest;
    $('#composer-input').focus();
  };
}
$('#reset').onclick = async () => {
  const yes = await confirmDialog(
    { title: { type: 'plain_text', text: 'Reset the sandbox?' }, text: { type: 'plain_text', text: 'This deletes the sandbox database and all check-ins, and starts again from the demo data.' }, confirm: { type: 'plain_text', text: 'Reset' }, deny: { type: 'plain_text', text: 'Cancel' }, style: 'danger' },
    renderCtx,
  );
  if (!yes) return;
  $('#reset').disabled = true;
  try {
    const answer = await api('/api/reset', {});
    if (answer.ok) toast('The sandbox starts again from the demo data.');
  } finally {
    $('#reset').disabled = false;
  }
};
connect();
start();
