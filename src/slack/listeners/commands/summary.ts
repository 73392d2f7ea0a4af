import { cannotPostReply, scopeProblemReply } from '../../blocks/summary-replies.js';
import { summaryPreview } from '../../blocks/summary-message.js';
import { summaryChartMessages } from '../../blocks/summary-chart-message.js';
import { textReply } from '../../blocks/text-reply.js';
import type { Subcommand } from './subcommand.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';
import type { ListenerContext } from '../context.js';

/** `/kr summary [scope]`: an ephemeral preview with "Post to #channel" and "Cancel". */
export const summarySubcommand: Subcommand = {
  name: 'summary',
  usage: 'summary [mine | @person | goal:"…" | session:"…" | team:"…"]',
  description: 'preview a summary of key results (this channel’s members by default), then post it here',
  async run({ ack, respond, command }, ctx, rest) {
    const work = repliesEphemerally(respond, 'build the summary');
    const preview = ctx.services.summaries.preview(command.user_id, command.channel_id, rest).then((result) => renderPreview(result, command.channel_id));
    preview.catch(() => undefined);
    // Slack cannot replace a command's answer later (replace_original works only for response_urls of
    // clicks), so the preview is the answer itself when it is ready within the ack's budget; otherwise the
    // answer says it follows, and it follows as a second ephemeral.
    const settled = await Promise.race([
      preview.then((reply) => ({ reply }), (error: unknown) => ({ error })),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), PREVIEW_IN_ACK_WITHIN_MS).unref()),
    ]);
    if (settled && 'reply' in settled) {
      await ack({ response_type: 'ephemeral', ...settled.reply });
      return;
    }
    if (settled) {
      await ackThenRun(() => ack(), ctx, work, () => Promise.reject(settled.error));
      return;
    }
    const following = () => ack({ response_type: 'ephemeral', ...textReply(':hourglass_flowing_sand: Building the summary; its preview follows below in a moment.') });
    await ackThenRun(following, ctx, work, async () => {
      await respond({ response_type: 'ephemeral', replace_original: false, ...(await preview) });
    });
  },
};

/** How long the ack may wait for the preview: well inside Slack's 3 s, with room for the network. */
const PREVIEW_IN_ACK_WITHIN_MS = 1_500;

function renderPreview(result: Awaited<ReturnType<ListenerContext['services']['summaries']['preview']>>, channelId: string) {
  switch (result.kind) {
    case 'invalid':
    case 'nothing':
      return scopeProblemReply(result.kind === 'invalid' ? result.problem : result.reason);
    case 'cannot_post':
      return cannotPostReply(result.problem, channelId);
    case 'ready': {
      const messages = summaryChartMessages(result.summary);
      return summaryPreview(result.summary, result.requestId, result.channelName, messages.length - 1, messages[0], result.notInChannel);
    }
  }
}
