import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ListenerContext } from '../context.js';
import { checkInFormView, decodeMetadata, loadingView, rejectedView, messageView } from '../../blocks/checkin-modal.js';
import { unmappedText } from '../../blocks/unmapped-message.js';
import { fillCheckInModal, newModalMetadata } from '../checkin-modal-loader.js';
import { adminsText } from '../admins-text.js';
import { readCheckInState } from '../checkin-form-state.js';
import { ackThenRun, tellNobody } from '../respond.js';
import { shownFor } from '../../../services/checkin-shown.js';
import { parseNumberInput } from '../../../services/number-input.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** A key result was picked in the modal: show its details and the value inputs. */
export async function keyResultSelected({ ack, body, action, client }: ActionArgs, ctx: ListenerContext): Promise<void> {
  const view = body.view;
  if (!view || action.type !== 'static_select' && action.type !== 'external_select') return ack();
  const metricId = action.selected_option?.value ?? '';
  const meta = decodeMetadata(view.private_metadata);
  // The hash makes Slack refuse this update if the person changed the modal meanwhile.
  const show = (next: ModalView) =>
    client.views.update({ view_id: view.id, hash: view.hash, view: next }).catch((error: unknown) => {
      ctx.logger.info({ err: error }, 'modal changed before the key result details arrived');
    });
  const work = { what: 'load the chosen key result', level: 'warn' as const, tell: (reason: string) => show(rejectedView(meta, reason)) };
  await ackThenRun(ack, ctx, work, async () => {
    const [result, confidenceScale] = await Promise.all([ctx.services.checkinForm.select(body.user.id, metricId), ctx.services.confidenceScale.scale()]);
    if (result.kind === 'unmapped') await show(messageView(meta, 'Check in', unmappedText(result.reason, body.user.id, adminsText(ctx))));
    else if (result.kind === 'refused') await show(rejectedView(meta, result.message));
    else await show(checkInFormView({ meta, groups: result.groups, selected: { ...result.selected, now: ctx.services.clock.now() }, confidenceScale }));
  });
}

/** Enter in the value field: the same form, plus what the progress would become. */
export async function valueEntered({ ack, body, client }: ActionArgs, ctx: ListenerContext): Promise<void> {
  const view = body.view;
  if (!view) return ack();
  const { metricId, value } = readCheckInState(view.state.values as never);
  const meta = decodeMetadata(view.private_metadata);
  // Another key result's unit never reads this one's value (it was picked after the form showed that one).
  const preview = parseNumberInput(value, shownFor(meta.shown, metricId) ?? {});
  if (!metricId || !preview.ok) return ack();
  // A preview is a convenience: when it fails, the form stays as it is.
  await ackThenRun(ack, ctx, { what: 'preview the new progress', level: 'info', tell: tellNobody }, async () => {
    const [result, confidenceScale] = await Promise.all([ctx.services.checkinForm.select(body.user.id, metricId), ctx.services.confidenceScale.scale()]);
    if (result.kind !== 'selected') return;
    const next = checkInFormView({ meta, groups: result.groups, selected: { ...result.selected, now: ctx.services.clock.now() }, previewValue: preview.value, confidenceScale });
    await client.views.update({ view_id: view.id, hash: view.hash, view: next });
  });
}

/** "Try again" after a failed load, or "Start over" after a refusal: a fresh form with a new nonce. */
export async function reloadCheckInModal({ ack, body, client }: ActionArgs, ctx: ListenerContext, options: { withoutSearch?: boolean } = {}): Promise<void> {
  const view = body.view;
  if (!view) return ack();
  const old = decodeMetadata(view.private_metadata);
  const meta = newModalMetadata(old.channelId, options.withoutSearch ? '' : old.search);
  // A modal that cannot be updated has no place to say so; the failure is logged.
  await ackThenRun(ack, ctx, { what: 'reload the check-in form', tell: tellNobody }, async () => {
    await client.views.update({ view_id: view.id, view: loadingView(meta) });
    await fillCheckInModal(client, ctx, body.user.id, view.id, meta);
  });
}
