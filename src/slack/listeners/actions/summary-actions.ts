import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isGtmhubId } from '../../../gtmhub/ids.js';
import type { ListenerContext } from '../context.js';
import { cannotPostReply, scopeProblemReply, summaryTextReply } from '../../blocks/summary-replies.js';
import { ackThenRun, replacesMessage, tellNobody } from '../respond.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Summary request ids are made in the shape of Gtmhub ids (12 random bytes as hex). */
function requestIdOf(action: BlockAction['actions'][number]): string {
  const value = action.type === 'button' ? (action.value ?? '') : '';
  return isGtmhubId(value) ? value : '';
}

/** "Post to #channel" on a preview: the service re-checks requester, channel and state, then posts once. */
export async function postSummary({ ack, body, action, respond }: ActionArgs, ctx: ListenerContext): Promise<void> {
  const channelId = body.channel?.id ?? body.container?.channel_id ?? '';
  await ackThenRun(ack, ctx, replacesMessage(respond, 'post a summary', 'The summary was not posted.'), async () => {
    // Only the click that claimed the request says "Posting…", so a double click cannot overwrite the outcome.
    const outcome = await ctx.services.summaries.post(body.user.id, channelId, requestIdOf(action), async () => {
      await respond({ replace_original: true, ...summaryTextReply(':hourglass_flowing_sand: Posting the summary…') });
    });
    switch (outcome.kind) {
      case 'posted': {
        const thread = outcome.messages > 1 ? ` (and ${outcome.messages - 1} more in its thread)` : '';
        // Slack has the summary: failing to say so must not end up as "The summary was not posted.".
        await respond({ replace_original: true, ...summaryTextReply(`:white_check_mark: Posted the summary to <#${outcome.channelId}>${thread}.`) }).catch((error: unknown) => {
          ctx.logger.warn({ err: error, channelId: outcome.channelId, ts: outcome.ts }, 'summary posted, but the preview could not say so');
        });
        return;
      }
      case 'duplicate':
        return;
      case 'refused':
        await respond({ replace_original: true, ...summaryTextReply(`:information_source: ${outcome.reason}`) });
        return;
      case 'cannot_post':
        await respond({ replace_original: true, ...cannotPostReply(outcome.problem, channelId) });
        return;
      case 'nothing':
        await respond({ replace_original: true, ...scopeProblemReply(outcome.reason) });
        return;
    }
  });
}

/** "Cancel" on a preview: the preview goes away whether or not the request could be forgotten. */
export async function cancelSummary({ ack, body, action, respond }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ackThenRun(ack, ctx, { what: 'cancel a summary request', level: 'warn', tell: tellNobody }, () => ctx.services.summaries.cancel(body.user.id, requestIdOf(action)));
  await respond({ delete_original: true });
}
