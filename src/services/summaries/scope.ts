/**
 * Which key results a summary covers, as the person typed it after `/kr summary` or
 * `/kr subscribe …`: nothing (the members of this channel), `mine`, `@person`, `goal:"text"`,
 * `session:"name"`, `team:"name"`. Pure parsing and naming; resolution against Gtmhub and Slack
 * lives in summaries-resolve.ts.
 */

export type SummaryScope =
  | { kind: 'channel' }
  | { kind: 'user'; slackUserId: string }
  | { kind: 'goal'; text: string }
  | { kind: 'session'; name: string }
  | { kind: 'team'; name: string };

export type ScopeParse = { ok: true; scope: SummaryScope } | { ok: false; problem: string };

const MAX_TEXT = 100;
const QUOTED = /^(goal|objective|session|team):\s*(?:["“”„«'‘’](.*?)["“”»'‘’]|(.+))$/is;
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export function parseScope(text: string, callerSlackUserId: string): ScopeParse {
  const trimmed = text.trim();
  if (trimmed === '' || /^(channel|here)$/i.test(trimmed)) return { ok: true, scope: { kind: 'channel' } };
  if (/^(mine|me|my)$/i.test(trimmed)) return { ok: true, scope: { kind: 'user', slackUserId: callerSlackUserId } };
  const mention = MENTION.exec(trimmed);
  if (mention) return { ok: true, scope: { kind: 'user', slackUserId: mention[1]! } };
  if (/^@\S+$/.test(trimmed)) {
    return { ok: false, problem: `I could not tell who \`${trimmed}\` is: pick the person from Slack's @-suggestions so the mention turns blue.` };
  }
  const quoted = QUOTED.exec(trimmed);
  if (quoted) {
    const kind = quoted[1]!.toLowerCase();
    const value = (quoted[2] ?? quoted[3] ?? '').trim();
    if (value === '') return { ok: false, problem: `\`${kind}:\` needs a name, e.g. \`${kind}:"${kind === 'session' ? 'Q4 2026' : kind === 'team' ? 'Sales' : 'Revenue'}"\`.` };
    if (value.length > MAX_TEXT) return { ok: false, problem: `That ${kind} name is too long (at most ${MAX_TEXT} characters).` };
    if (kind === 'session') return { ok: true, scope: { kind: 'session', name: value } };
    if (kind === 'team') return { ok: true, scope: { kind: 'team', name: value } };
    return { ok: true, scope: { kind: 'goal', text: value } };
  }
  return { ok: false, problem: `I don't understand the scope \`${trimmed}\`.` };
}

/** Stored form (subscriptions, summary requests). */
export function serializeScope(scope: SummaryScope): string {
  return JSON.stringify(scope);
}

export function deserializeScope(text: string): SummaryScope | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const str = (key: string) => (typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : null);
  switch (record.kind) {
    case 'channel':
      return { kind: 'channel' };
    case 'user': {
      const id = str('slackUserId');
      return id ? { kind: 'user', slackUserId: id } : null;
    }
    case 'goal': {
      const text = str('text');
      return text ? { kind: 'goal', text } : null;
    }
    case 'session': {
      const name = str('name');
      return name ? { kind: 'session', name } : null;
    }
    case 'team': {
      const name = str('name');
      return name ? { kind: 'team', name } : null;
    }
    default:
      return null;
  }
}

/** Canonical identity of a scope within a channel, case-insensitive for names (baselines of on-demand summaries). */
export function scopeKey(scope: SummaryScope): string {
  switch (scope.kind) {
    case 'channel':
      return 'channel';
    case 'user':
      return `user:${scope.slackUserId}`;
    case 'goal':
      return `goal:${scope.text.toLowerCase()}`;
    case 'session':
      return `session:${scope.name.toLowerCase()}`;
    case 'team':
      return `team:${scope.name.toLowerCase()}`;
  }
}

function quote(text: string): string {
  return `“${text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)}”`;
}

/** Mrkdwn phrase naming the scope: "the members of <#C1>", "<@U1>", "objectives matching “Revenue”". */
export function describeScope(scope: SummaryScope, channelId: string): string {
  switch (scope.kind) {
    case 'channel':
      return channelId.startsWith('D') ? 'the people in this conversation' : `the members of <#${channelId}>`;
    case 'user':
      return `<@${scope.slackUserId}>`;
    case 'goal':
      return `objectives matching ${quote(scope.text)}`;
    case 'session':
      return `session ${quote(scope.name)}`;
    case 'team':
      return `team ${quote(scope.name)}`;
  }
}

/** How to type the scope again (listings of subscriptions). */
export function scopeCommandText(scope: SummaryScope): string {
  switch (scope.kind) {
    case 'channel':
      return '';
    case 'user':
      return `<@${scope.slackUserId}>`;
    case 'goal':
      return `goal:"${scope.text}"`;
    case 'session':
      return `session:"${scope.name}"`;
    case 'team':
      return `team:"${scope.name}"`;
  }
}
