import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { EDIT_COMMENT_ACTION, EDIT_COMMENT_BLOCK, simpleModal } from '../../blocks/checkin-confirmation.js';
import { commentLengthProblem } from '../../../domain/comment-length.js';
import { escapeMrkdwn } from '../../blocks/text.js';
import { runReportingFailure } from '../respond.js';

export async function editCommentSubmission(
  { ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
  ctx: ListenerContext,
): Promise<void> {
  const comment = view.state.values[EDIT_COMMENT_BLOCK]?.[EDIT_COMMENT_ACTION]?.value?.trim() ?? '';
  const commentProblem = commentLengthProblem(comment);
  if (commentProblem) {
    await ack({ response_action: 'errors', errors: { [EDIT_COMMENT_BLOCK]: commentProblem } });
    return;
  }
  await ack({ response_action: 'update', view: simpleModal('Edit comment', ':hourglass_flowing_sand: Saving the comment in Gtmhub…') });
  const show = (text: string) => client.views.update({ view_id: view.id, view: simpleModal('Edit comment', text) });
  const work = { what: 'edit a check-in comment', level: 'warn' as const, tell: (reason: string) => show(`:warning: The comment was not changed. ${reason}`) };
  await ctx.inFlight.track(
    (async () => {
      let saved: string | undefined;
      await runReportingFailure(ctx, work, async () => {
        // private_metadata is only a pointer; the service checks that this check-in is the caller's.
        saved = await ctx.services.checkinFollowUps.editComment(body.user.id, body.user.name, Number(view.private_metadata), comment);
      });
      // Outside the failure report: a saved comment is never shown as "not changed".
      if (saved !== undefined) await show(`:white_check_mark: Comment saved:\n>${escapeMrkdwn(saved).replace(/\n/g, '\n>')}`);
    })(),
  );
}
