import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ListenerContext } from '../../app.js';
import { EDIT_COMMENT_ACTION, EDIT_COMMENT_BLOCK, simpleModal } from '../../blocks/checkin-confirmation.js';
import { MAX_COMMENT_LENGTH } from '../../../services/checkins.js';
import { escapeMrkdwn } from '../../blocks/text.js';
import { describeFailure } from '../describe-failure.js';

export async function editCommentSubmission(
  { ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
  ctx: ListenerContext,
): Promise<void> {
  const comment = view.state.values[EDIT_COMMENT_BLOCK]?.[EDIT_COMMENT_ACTION]?.value?.trim() ?? '';
  if (comment.length > MAX_COMMENT_LENGTH) {
    await ack({ response_action: 'errors', errors: { [EDIT_COMMENT_BLOCK]: `At most ${MAX_COMMENT_LENGTH} characters (this is ${comment.length}).` } });
    return;
  }
  await ack({ response_action: 'update', view: simpleModal('Edit comment', ':hourglass_flowing_sand: Saving the comment in Gtmhub…') });
  await ctx.inFlight.track(
    (async () => {
      let text: string;
      try {
        // private_metadata is only a pointer; the service checks that this check-in is the caller's.
        const saved = await ctx.services.checkinFollowUps.editComment(body.user.id, body.user.name, Number(view.private_metadata), comment);
        text = `:white_check_mark: Comment saved:\n>${escapeMrkdwn(saved).replace(/\n/g, '\n>')}`;
      } catch (error) {
        ctx.logger.warn({ err: error }, 'could not edit a check-in comment');
        text = `:warning: The comment was not changed. ${describeFailure(error)}`;
      }
      await client.views.update({ view_id: view.id, view: simpleModal('Edit comment', text) });
    })(),
  );
}
