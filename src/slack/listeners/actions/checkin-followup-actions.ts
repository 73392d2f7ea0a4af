import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ListenerContext } from '../../app.js';
import { checkInDetailsView, editCommentView, simpleModal } from '../../blocks/checkin-confirmation.js';
import { textReply } from '../../blocks/text-reply.js';
import { openCheckInModal } from '../checkin-modal-loader.js';
import { describeFailure } from '../describe-failure.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

function buttonValue(action: BlockAction['actions'][number]): string {
  return action.type === 'button' ? (action.value ?? '') : '';
}

/** "Check in" buttons elsewhere (DMs, App Home): the modal opens with that key result chosen, if it is still the person's. */
export async function openCheckIn({ ack, body, action, client }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ack();
  const metricId = buttonValue(action);
  await openCheckInModal(client, ctx, body.trigger_id, body.user.id, body.channel?.id ?? null, '', /^[0-9a-f]{24}$/i.test(metricId) ? metricId : undefined);
}

export async function viewCheckIn({ ack, body, action, client }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ack();
  const opened = await client.views.open({ trigger_id: body.trigger_id, view: simpleModal('Check-in', ':hourglass_flowing_sand: Loading from Gtmhub…') });
  const viewId = opened.view?.id;
  if (!viewId) return;
  await ctx.inFlight.track(
    (async () => {
      let view;
      try {
        const { entry, snapshot, metric } = await ctx.services.checkinFollowUps.viewCheckIn(body.user.id, Number(buttonValue(action)));
        view = checkInDetailsView(entry, snapshot, metric);
      } catch (error) {
        view = simpleModal('Check-in', `:warning: ${describeFailure(error)}`);
      }
      await client.views.update({ view_id: viewId, view });
    })(),
  );
}

export async function editComment({ ack, body, action, client, respond }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ack();
  try {
    const entry = await ctx.services.checkinFollowUps.ownDeliveredCheckIn(body.user.id, Number(buttonValue(action)));
    await client.views.open({ trigger_id: body.trigger_id, view: editCommentView(entry) });
  } catch (error) {
    await respond({ response_type: 'ephemeral', replace_original: false, ...textReply(`:warning: ${describeFailure(error)}`) });
  }
}

export async function undoCheckIn({ ack, body, action, respond }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ack();
  await ctx.inFlight.track(
    (async () => {
      try {
        await ctx.services.checkinFollowUps.undo(body.user.id, Number(buttonValue(action)));
        await respond({ replace_original: true, ...textReply(':leftwards_arrow_with_hook: Check-in undone: it was deleted from Gtmhub.') });
      } catch (error) {
        ctx.logger.info({ err: error }, 'undo refused');
        await respond({ response_type: 'ephemeral', replace_original: false, ...textReply(`:warning: Not undone. ${describeFailure(error)}`) });
      }
    })(),
  );
}
