import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { isGtmhubId } from '../../../gtmhub/ids.js';
import type { ListenerContext } from '../context.js';
import { checkInDetailsView, editCommentView, simpleModal } from '../../blocks/checkin-confirmation.js';
import { textReply } from '../../blocks/text-reply.js';
import { openCheckInModal } from '../checkin-modal-loader.js';
import { ackThenRun, repliesEphemerally, runReportingFailure } from '../respond.js';
import { tellsClicker } from '../tell-clicker.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

function buttonValue(action: BlockAction['actions'][number]): string {
  return action.type === 'button' ? (action.value ?? '') : '';
}

/**
 * "Check in" buttons elsewhere (DMs, App Home): the modal opens with that key result chosen, if it is still the person's.
 * A Home button has no response_url: if the modal cannot open, the person is told by DM.
 */
export async function openCheckIn(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, action, client } = args;
  const metricId = buttonValue(action);
  await ackThenRun(ack, ctx, tellsClicker(args, 'open the check-in form'), () =>
    openCheckInModal(client, ctx, body.trigger_id, body.user.id, body.channel?.id ?? null, '', isGtmhubId(metricId) ? metricId : undefined),
  );
}

export async function viewCheckIn({ ack, body, action, client }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ack();
  const opened = await client.views.open({ trigger_id: body.trigger_id, view: simpleModal('Check-in', ':hourglass_flowing_sand: Loading from Gtmhub…') });
  const viewId = opened.view?.id;
  if (!viewId) return;
  const show = (view: ModalView) => client.views.update({ view_id: viewId, view });
  const work = { what: 'show a check-in', tell: (reason: string) => show(simpleModal('Check-in', `:warning: ${reason}`)) };
  await ctx.inFlight.track(
    runReportingFailure(ctx, work, async () => {
      const { entry, snapshot, metric } = await ctx.services.checkinFollowUps.viewCheckIn(body.user.id, Number(buttonValue(action)));
      await show(checkInDetailsView(entry, snapshot, metric));
    }),
  );
}

/** The editor starts from the comment as Gtmhub holds it now: a loading modal at once (trigger_id lives 3 s), then the read. */
export async function editComment({ ack, body, action, client, respond }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ackThenRun(ack, ctx, repliesEphemerally(respond, 'edit the comment'), async () => {
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: simpleModal('Edit comment', ':hourglass_flowing_sand: Loading the comment from Gtmhub…') });
    const viewId = opened.view?.id;
    if (!viewId) throw new Error('views.open returned no view id');
    const show = (view: ModalView) => client.views.update({ view_id: viewId, view });
    const work = { what: 'open the comment editor', level: 'warn' as const, tell: (reason: string) => show(simpleModal('Edit comment', `:warning: I could not open the comment editor. ${reason}`)) };
    await runReportingFailure(ctx, work, async () => {
      const { entry, comment } = await ctx.services.checkinFollowUps.commentToEdit(body.user.id, Number(buttonValue(action)));
      await show(editCommentView(entry, comment));
    });
  });
}

export async function undoCheckIn({ ack, body, action, respond }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ackThenRun(ack, ctx, repliesEphemerally(respond, 'undo the check-in', 'Not undone.'), async () => {
    await ctx.services.checkinFollowUps.undo(body.user.id, Number(buttonValue(action)));
    await respond({ replace_original: true, ...textReply(':leftwards_arrow_with_hook: Check-in undone: it was deleted from Gtmhub.') });
  });
}
