import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ListenerContext } from '../../app.js';
import { checkInFormView, decodeMetadata, loadingView, rejectedView, messageView } from '../../blocks/checkin-modal.js';
import { unmappedText } from '../../blocks/unmapped-message.js';
import { fillCheckInModal, newModalMetadata } from '../checkin-modal-loader.js';
import { describeFailure } from '../describe-failure.js';
import { adminsText } from '../commands/subcommand.js';
import { readCheckInState } from '../views/checkin-submission.js';
import { parseNumberInput } from '../../../services/number-input.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** A key result was picked in the modal: show its details and the value inputs. */
export async function keyResultSelected({ ack, body, action, client }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ack();
  const view = body.view;
  if (!view || action.type !== 'static_select' && action.type !== 'external_select') return;
  const metricId = action.selected_option?.value ?? '';
  const meta = decodeMetadata(view.private_metadata);
  await ctx.inFlight.track(
    (async () => {
      let next;
      try {
        const result = await ctx.services.checkinForm.select(body.user.id, metricId);
        if (result.kind === 'unmapped') next = messageView(meta, 'Check in', unmappedText(result.reason, body.user.id, adminsText(ctx)));
        else if (result.kind === 'refused') next = rejectedView(meta, result.message);
        else next = checkInFormView({ meta, groups: result.groups, selected: { ...result.selected, now: ctx.services.clock.now() } });
      } catch (error) {
        ctx.logger.warn({ err: error }, 'could not load the chosen key result');
        next = rejectedView(meta, describeFailure(error));
      }
      // The hash makes Slack refuse this update if the person changed the modal meanwhile.
      await client.views.update({ view_id: view.id, hash: view.hash, view: next }).catch((error: unknown) => {
        ctx.logger.info({ err: error }, 'modal changed before the key result details arrived');
      });
    })(),
  );
}

/** Enter in the value field: the same form, plus what the progress would become. */
export async function valueEntered({ ack, body, client }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ack();
  const view = body.view;
  if (!view) return;
  const { metricId, value } = readCheckInState(view.state.values as never);
  const preview = parseNumberInput(value);
  if (!metricId || !preview.ok) return;
  const meta = decodeMetadata(view.private_metadata);
  await ctx.inFlight.track(
    (async () => {
      try {
        const result = await ctx.services.checkinForm.select(body.user.id, metricId);
        if (result.kind !== 'selected') return;
        const next = checkInFormView({ meta, groups: result.groups, selected: { ...result.selected, now: ctx.services.clock.now() }, previewValue: preview.value });
        await client.views.update({ view_id: view.id, hash: view.hash, view: next });
      } catch (error) {
        // A preview is a convenience: the form stays as it is.
        ctx.logger.info({ err: error }, 'could not preview the new progress');
      }
    })(),
  );
}

/** "Try again" after a failed load, or "Start over" after a refusal: a fresh form with a new nonce. */
export async function reloadCheckInModal({ ack, body, client }: ActionArgs, ctx: ListenerContext): Promise<void> {
  await ack();
  const view = body.view;
  if (!view) return;
  const old = decodeMetadata(view.private_metadata);
  const meta = newModalMetadata(old.channelId, old.search);
  await client.views.update({ view_id: view.id, view: loadingView(meta) });
  await ctx.inFlight.track(fillCheckInModal(client, ctx, body.user.id, view.id, meta));
}
