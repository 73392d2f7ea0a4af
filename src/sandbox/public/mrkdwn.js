// Slack mrkdwn → DOM nodes. Every piece of text becomes a text node (never HTML), so nothing an app
// or a person writes can inject markup; link targets are limited to http(s) and mailto.
import { EMOJI } from './emoji.js';

const FORMATS = { '*': 'strong', _: 'em', '~': 's' };
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

export function decodeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) node.append(child);
  return node;
}

const isWordChar = (ch) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch) => ch === undefined || /\s/.test(ch);

export function emojiText(text) {
  return text.replace(/:([a-z0-9_+'-]+):(?::skin-tone-\d:)?/gi, (whole, name) => EMOJI[name.toLowerCase()] ?? whole);
}

/** Where a `<…>` or `` `…` `` span starting at i ends (exclusive), or -1. */
function spanEnd(text, i) {
  const close = text[i] === '<' ? '>' : '`';
  const end = text.indexOf(close, i + 1);
  return end > i + 1 ? end + 1 : -1;
}

/** The closing marker for a bold/italic/strike opened at i, skipping links and code spans. */
function closingMarker(text, i) {
  const marker = text[i];
  for (let j = i + 2; j < text.length; j++) {
    const ch = text[j];
    if (ch === '<' || ch === '`') {
      const end = spanEnd(text, j);
      if (end > 0) {
        j = end - 1;
        continue;
      }
    }
    if (ch === marker && !isSpace(text[j - 1]) && !isWordChar(text[j + 1])) return j;
  }
  return -1;
}

function formatDate(seconds, format, ctx) {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return null;
  const tz = ctx.timeZone ? { timeZone: ctx.timeZone } : {};
  const parts = {
    date_num: date.toLocaleDateString('en-CA', tz),
    date: date.toLocaleDateString('en-US', { ...tz, month: 'long', day: 'numeric', year: 'numeric' }),
    date_short: date.toLocaleDateString('en-US', { ...tz, month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: date.toLocaleDateString('en-US', { ...tz, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    time: date.toLocaleTimeString('en-US', { ...tz, hour: 'numeric', minute: '2-digit' }),
    time_secs: date.toLocaleTimeString('en-US', { ...tz }),
  };
  parts.date_pretty = parts.date;
  parts.date_short_pretty = parts.date_short;
  parts.date_long_pretty = parts.date_long;
  return format.replace(/\{(\w+)\}/g, (whole, name) => parts[name] ?? whole);
}

/** `<@U…>`, `<#C…|name>`, `<!here>`, `<!date^…>`, `<url|label>`. */
function special(inner, ctx) {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? decodeEntities(inner.slice(bar + 1)) : '';
  if (target.startsWith('@')) {
    const name = ctx.userName?.(target.slice(1)) ?? label.replace(/^@/, '') ?? target.slice(1);
    return el('span', 'mention', [`@${name || target.slice(1)}`]);
  }
  if (target.startsWith('#')) {
    const name = ctx.channelName?.(target.slice(1)) ?? (label || target.slice(1));
    return el('span', 'mention', [`#${name}`]);
  }
  if (target.startsWith('!')) {
    const [command, ...args] = target.slice(1).split('^');
    if (['here', 'channel', 'everyone'].includes(command)) return el('span', 'mention', [`@${command}`]);
    if (command === 'subteam') return el('span', 'mention', [label || '@group']);
    if (command === 'date') return document.createTextNode(formatDate(args[0], args[1] ?? '{date_short}', ctx) ?? label);
    return document.createTextNode(label || `<${decodeEntities(inner)}>`);
  }
  const url = decodeEntities(target);
  if (!SAFE_LINK.test(url)) return document.createTextNode(label || url);
  const a = el('a', null, [label ? emojiText(label) : url]);
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

/** One line of mrkdwn without code blocks or quotes. */
export function inline(text, ctx = {}) {
  const out = [];
  let buffer = '';
  const flush = () => {
    if (buffer) out.push(document.createTextNode(emojiText(decodeEntities(buffer))));
    buffer = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '<' || ch === '`') {
      const end = spanEnd(text, i);
      if (end > 0) {
        flush();
        const inner = text.slice(i + 1, end - 1);
        out.push(ch === '<' ? special(inner, ctx) : el('code', null, [decodeEntities(inner)]));
        i = end - 1;
        continue;
      }
    }
    if (FORMATS[ch] && !isWordChar(text[i - 1]) && !isSpace(text[i + 1]) && text[i + 1] !== ch) {
      const close = closingMarker(text, i);
      if (close > 0) {
        flush();
        out.push(el(FORMATS[ch], null, inline(text.slice(i + 1, close), ctx)));
        i = close;
        continue;
      }
    }
    buffer += ch;
  }
  flush();
  return out;
}

function lines(text, ctx) {
  const nodes = [];
  text.split('\n').forEach((line, index) => {
    if (index > 0) nodes.push(document.createElement('br'));
    nodes.push(...inline(line, ctx));
  });
  return nodes;
}

/** Paragraph text with quotes ("> ") grouped into blockquotes. */
function prose(text, ctx) {
  const nodes = [];
  const all = text.split('\n');
  for (let i = 0; i < all.length; ) {
    if (/^(>|&gt;) ?/.test(all[i])) {
      const quoted = [];
      while (i < all.length && /^(>|&gt;) ?/.test(all[i])) quoted.push(all[i++].replace(/^(>|&gt;) ?/, ''));
      nodes.push(el('blockquote', null, lines(quoted.join('\n'), ctx)));
    } else {
      const plainLines = [];
      while (i < all.length && !/^(>|&gt;) ?/.test(all[i])) plainLines.push(all[i++]);
      if (nodes.length > 0 && plainLines[0] === '') plainLines.shift();
      if (plainLines.length > 0) nodes.push(el('span', null, lines(plainLines.join('\n'), ctx)));
    }
  }
  return nodes;
}

/** The whole text: ``` code blocks ```, quotes, inline formatting, mentions, links, emoji. */
export function renderMrkdwn(text, ctx = {}) {
  const fragment = document.createDocumentFragment();
  const parts = String(text ?? '').split(/```/);
  parts.forEach((part, index) => {
    const isCode = index % 2 === 1 && index < parts.length - 1;
    if (isCode) fragment.append(el('pre', null, [decodeEntities(part.replace(/^\n/, ''))]));
    else if (index % 2 === 1) fragment.append(...prose('```' + part, ctx));
    else fragment.append(...prose(part, ctx));
  });
  return fragment;
}

/** plain_text objects: literal text, emoji shortcodes converted unless `emoji: false`. */
export function renderPlain(object) {
  const value = typeof object === 'string' ? object : String(object?.text ?? '');
  return document.createTextNode(object?.emoji === false ? value : emojiText(value));
}

/** A text object of either type. */
export function renderText(object, ctx = {}) {
  if (!object) return document.createDocumentFragment();
  if (object.type === 'mrkdwn') {
    const fragment = renderMrkdwn(object.text, ctx);
    return fragment;
  }
  return renderPlain(object);
}
