/** Short replies of the summary commands: problems, confirmations and the subscription list. */
import type { KnownBlock } from '@slack/types';
import type { ChannelProblem } from '../../services/summaries/ports.js';
import { describeScope } from '../../services/summaries/scope.js';
import type { SubscriptionListing } from '../../services/summaries/subscriptions.js';
import { PAUSE_REASONS } from '../../domain/pause-reasons.js';
import { mrkdwn, slackDate } from './text.js';
import type { SummaryMessage } from './summary-message.js';

/** What follows `/kr` for a subscription. */
export const SUBSCRIBE_USAGE = 'subscribe daily|weekly|biweekly|monthly [day] [HH:MM] [scope]';

const SCOPE_EXAMPLES = [
  '(nothing) — key results owned by the members of this channel',
  '`mine` — your key results',
  '`@person` — their key results',
  '`goal:"Revenue"` — key results of objectives whose name contains “Revenue”',
  '`session:"Q4 2026"` — key results of that OKR session',
  '`team:"Sales"` — key results owned by that team',
];

function message(text: string, extra: KnownBlock[] = []): SummaryMessage {
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }, ...extra] };
}

export function scopeExamples(): string {
  return `Scopes you can use:\n${SCOPE_EXAMPLES.map((e) => `• ${e}`).join('\n')}`;
}

/** The scope could not be read, or it matches nothing: say so and show examples. */
export function scopeProblemReply(problem: string): SummaryMessage {
  return message(`:mag: ${problem}`, [{ type: 'context', elements: [mrkdwn(scopeExamples())] }]);
}

export function cannotPostReply(problem: ChannelProblem, channelId: string): SummaryMessage {
  switch (problem) {
    case 'not_in_channel':
      return message(
        `:wave: I'm not a member of <#${channelId}>, so I can't post there. Invite me first: type \`/invite @kr-checkin\` in the channel (or mention @kr-checkin and choose “Add to channel”), then try again.`,
      );
    case 'channel_not_found':
      return message(
        ":lock: I can't see this conversation. If it is a private channel, invite me with `/invite @kr-checkin` in it and try again; I can't post in direct messages between other people.",
      );
    case 'is_archived':
      return message(':file_cabinet: This channel is archived, so nothing can be posted to it.');
  }
}

export function subscribeUsageReply(problem: string): SummaryMessage {
  return message(
    `:calendar: ${problem}\nUsage: \`/kr ${SUBSCRIBE_USAGE}\` — e.g. \`/kr subscribe weekly mon 09:00\`, \`/kr subscribe monthly 1 team:"Sales"\`. Times are in your time zone.`,
    [{ type: 'context', elements: [mrkdwn(scopeExamples())] }],
  );
}

export function subscribedReply(listing: { id: number; description: string; scopeText: string; next: Date | null }): SummaryMessage {
  const next = listing.next ? ` The first one comes ${slackDate(listing.next)}.` : '';
  return message(
    `:white_check_mark: Subscribed (#${listing.id}): a summary of ${listing.scopeText} ${listing.description}.${next} \`/kr subscriptions\` lists this channel's subscriptions; \`/kr unsubscribe ${listing.id}\` stops this one.`,
  );
}

/** The second subscription to the same scope and schedule: refused, with where the first one is. */
export function duplicateSubscriptionReply(existing: { id: number; createdBy: string; status: string }, description: string, scopeText: string): SummaryMessage {
  const paused = existing.status === 'paused' ? ' It is paused: `/kr subscriptions` says why.' : '';
  return message(
    `:information_source: This channel already gets a summary of ${scopeText} ${description}: subscription *#${existing.id}*, set up by <@${existing.createdBy}>.${paused} \`/kr subscriptions\` lists it; to change it, \`/kr unsubscribe ${existing.id}\` and subscribe again.`,
  );
}

export function subscriptionListReply(listings: SubscriptionListing[], channelId: string): SummaryMessage {
  if (listings.length === 0) {
    return message(`:calendar: No summary subscriptions in this channel yet. Start one with \`/kr subscribe weekly\` (usage: \`/kr ${SUBSCRIBE_USAGE}\`).`);
  }
  const lines = listings.map(({ subscription, scope, description, next }) => {
    const what = scope ? describeScope(scope, channelId) : 'an unreadable scope';
    const state =
      subscription.status === 'paused'
        ? `:pause_button: paused — ${PAUSE_REASONS[subscription.pausedReason as keyof typeof PAUSE_REASONS] ?? subscription.pausedReason ?? 'paused'}`
        : `next: ${next ? slackDate(next) : 'never'}`;
    return `• *#${subscription.id}* ${what}, ${description} · ${state} · by <@${subscription.createdBy}>`;
  });
  const sections: string[] = [];
  let current = '*Summary subscriptions in this channel*';
  for (const line of lines) {
    if (current.length + 1 + line.length > 2900) {
      sections.push(current);
      current = line;
    } else current += `\n${line}`;
  }
  sections.push(current);
  const blocks: KnownBlock[] = sections.slice(0, 45).map((text) => ({ type: 'section', text: mrkdwn(text) }));
  blocks.push({ type: 'context', elements: [mrkdwn('`/kr unsubscribe <id>` removes one.')] });
  return { text: `${listings.length} summary subscription${listings.length === 1 ? '' : 's'} in this channel`, blocks };
}

export { message as summaryTextReply };
