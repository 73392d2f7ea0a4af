import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn, mrkdwn } from './text.js';

export interface HelpEntry {
  usage: string;
  description: string;
  adminOnly?: boolean;
}

export function helpMessage(entries: HelpEntry[], options: { unknown?: string; isAdmin: boolean }): { text: string; blocks: KnownBlock[] } {
  const visible = entries.filter((e) => !e.adminOnly || options.isAdmin);
  const lines = visible.map((e) => `• \`/kr ${e.usage}\` — ${e.description}${e.adminOnly ? ' _(admins)_' : ''}`);
  const intro = options.unknown
    ? `I don't know \`${escapeMrkdwn(options.unknown)}\`. Here is what I can do:`
    : '*kr-checkin* keeps your key results in Gtmhub up to date from Slack.';
  return {
    text: options.unknown ? `I don't know "${escapeMrkdwn(options.unknown)}". Try /kr help.` : 'kr-checkin help',
    blocks: [
      { type: 'section', text: mrkdwn(intro) },
      { type: 'section', text: mrkdwn(lines.join('\n')) },
      { type: 'context', elements: [mrkdwn('Start with `/kr checkin` — add words to find a key result, e.g. `/kr checkin revenue`.')] },
    ],
  };
}
