import { cannotPostReply, scopeProblemReply } from '../../blocks/summary-replies.js';
import { summaryPreview } from '../../blocks/summary-message.js';
import { summaryChartMessages } from '../../blocks/summary-chart-message.js';
import { textReply } from '../../blocks/text-reply.js';
import type { Subcommand } from './subcommand.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';

/** `/kr summary [scope]`: an ephemeral preview with "Post to #channel" and "Cancel". */
export const summarySubcommand: Subcommand = {
  name: 'summary',
  usage: 'summary [mine | @person | goal:"…" | session:"…" | team:"…"]',
  description: 'preview a summary of key results (this channel’s members by default), then post it here',
  async run({ ack, respond, command }, ctx, rest) {
    const building = () => ack({ response_type: 'ephemeral', ...textReply(':hourglass_flowing_sand: Building the summary…') });
    await ackThenRun(building, ctx, repliesEphemerally(respond, 'build the summary'), async () => {
      const result = await ctx.services.summaries.preview(command.user_id, command.channel_id, rest);
      let reply;
      switch (result.kind) {
        case 'invalid':
        case 'nothing':
          reply = scopeProblemReply(result.kind === 'invalid' ? result.problem : result.reason);
          break;
        case 'cannot_post':
          reply = cannotPostReply(result.problem, command.channel_id);
          break;
        case 'ready': {
          const messages = summaryChartMessages(result.summary);
          reply = summaryPreview(result.summary, result.requestId, result.channelName, messages.length - 1, messages[0]);
          break;
        }
      }
      await respond({ response_type: 'ephemeral', ...reply });
    });
  },
};
