import { cannotPostReply, duplicateSubscriptionReply, SUBSCRIBE_USAGE, subscribedReply, subscribeUsageReply, subscriptionListReply, summaryTextReply } from '../../blocks/summary-replies.js';
import { describeScope } from '../../../services/summaries/scope.js';
import { deserializeScope } from '../../../services/summaries/scope.js';
import type { Subcommand } from './subcommand.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';

/** `/kr subscribe daily|weekly|biweekly|monthly [day] [HH:MM] [scope]` in the channel that gets the summaries. */
export const subscribeSubcommand: Subcommand = {
  name: 'subscribe',
  usage: SUBSCRIBE_USAGE,
  description: 'post a summary to this channel on a schedule (in your time zone)',
  async run({ ack, respond, command }, ctx, rest) {
    await ackThenRun(ack, ctx, repliesEphemerally(respond, 'create the subscription'), async () => {
      const result = await ctx.services.summarySubscriptions.subscribe(command.user_id, command.channel_id, rest);
      let reply;
      switch (result.kind) {
        case 'invalid':
          reply = subscribeUsageReply(result.problem);
          break;
        case 'cannot_post':
          reply = cannotPostReply(result.problem, command.channel_id);
          break;
        case 'duplicate': {
          const scope = deserializeScope(result.existing.scope);
          reply = duplicateSubscriptionReply(result.existing, result.description, scope ? describeScope(scope, command.channel_id) : 'key results');
          break;
        }
        case 'created': {
          const scope = deserializeScope(result.subscription.scope);
          reply = subscribedReply({
            id: result.subscription.id,
            description: result.description,
            scopeText: scope ? describeScope(scope, command.channel_id) : 'key results',
            next: result.next,
          });
          break;
        }
      }
      await respond({ response_type: 'ephemeral', ...reply });
    });
  },
};

export const subscriptionsSubcommand: Subcommand = {
  name: 'subscriptions',
  usage: 'subscriptions',
  description: 'this channel’s scheduled summaries and when each runs next',
  async run({ ack, respond, command }, ctx) {
    await ackThenRun(ack, ctx, repliesEphemerally(respond, 'list the subscriptions'), async () => {
      const listings = await ctx.services.summarySubscriptions.list(command.channel_id);
      await respond({ response_type: 'ephemeral', ...subscriptionListReply(listings, command.channel_id) });
    });
  },
};

export const unsubscribeSubcommand: Subcommand = {
  name: 'unsubscribe',
  usage: 'unsubscribe <id>',
  description: 'stop one of this channel’s scheduled summaries',
  async run({ ack, respond, command }, ctx, rest) {
    await ackThenRun(ack, ctx, repliesEphemerally(respond, 'remove the subscription'), async () => {
      const { removed, id } = await ctx.services.summarySubscriptions.unsubscribe(command.user_id, command.channel_id, rest);
      const text =
        id === null
          ? 'Usage: `/kr unsubscribe <id>` — `/kr subscriptions` shows the ids.'
          : removed
            ? `:no_bell: Subscription #${id} is removed; no more summaries from it.`
            : `There is no subscription #${id} in this channel. \`/kr subscriptions\` lists them.`;
      await respond({ response_type: 'ephemeral', ...summaryTextReply(text) });
    });
  },
};
