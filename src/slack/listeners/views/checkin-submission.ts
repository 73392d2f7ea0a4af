import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ListenerContext } from '../context.js';
import {
  deliveredView,
  messageView,
  pendingView,
  rejectedView,
  parseMetadata,
  savingView,
} from '../../blocks/checkin-modal.js';
import { escapeMrkdwn } from '../../blocks/text.js';
import { textReply } from '../../blocks/text-reply.js';
import { unmappedText } from '../../blocks/unmapped-message.js';
import { validateCheckInInput, type CheckInInputField } from '../../../services/checkin-input.js';
import { NO_BASIS, type ValueWriter } from '../../../services/checkin-shown.js';
import { BLOCK } from '../../ids.js';
import { formatStoredValue } from '../../blocks/format/progress.js';
import { submitRetryingFailures } from '../../../services/checkin-submit-retry.js';
import { runReportingFailure } from '../respond.js';
import { adminsText } from '../admins-text.js';
import { readCheckInState } from '../checkin-form-state.js';

const FIELD_BLOCKS: Record<CheckInInputField, string> = {
  metricId: BLOCK.keyResult,
  value: BLOCK.value,
  confidence: BLOCK.confidence,
  comment: BLOCK.comment,
};

const writeValue: ValueWriter = (value, affixes) => formatStoredValue(value, affixes);

const UNREADABLE_FORM =
  'Slack sent this form back in a shape kr-checkin cannot read, so nothing was saved. Close it and run `/kr checkin` again.';

export async function checkInSubmission(
  { ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
  ctx: ListenerContext,
): Promise<void> {
  const scale = ctx.services.confidenceScale.known();
  const raw = readCheckInState(view.state.values);
  const meta = parseMetadata(view.private_metadata);
  const hasBlock = (blockId: string) => view.blocks.some((b) => b.block_id === blockId);
  const values = ctx.services.submittedValues;
  // What the form showed reads the value only for the key result it showed; another is re-read from Gtmhub.
  const basis = meta && hasBlock(BLOCK.value) ? await values.basis(body.user.id, raw.metricId, raw.value, meta.shown) : NO_BASIS;
  if (basis.kind === 'unreadable') {
    await ack({ response_action: 'errors', errors: { [BLOCK.value]: basis.message } });
    return;
  }
  const validation = validateCheckInInput(raw, {
    format: basis.kind === 'none' ? null : basis.shown,
    confidenceValues: scale ? scale.levels.map((level) => level.value) : null,
  });
  if (!validation.ok) {
    if (validation.errors.value) validation.errors.value = values.valueProblem(basis, validation.errors.value, writeValue);
    // Slack refuses errors for blocks the view does not have (e.g. no value field before a key result is picked).
    const errors = Object.fromEntries(
      Object.entries(validation.errors)
        .map(([field, message]) => [FIELD_BLOCKS[field as CheckInInputField], message] as const)
        .filter(([blockId]) => hasBlock(blockId)),
    );
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack({ response_action: 'errors', errors: { [BLOCK.keyResult]: 'Choose a key result first.' } });
    return;
  }
  if (!meta) {
    ctx.logger.warn({ viewId: view.id, slackUserId: body.user.id }, 'check-in form came back without usable private_metadata; nothing saved');
    const fresh = { channelId: null, nonce: 'none', search: '' };
    await ack({ response_action: 'update', view: messageView(fresh, 'Not checked in', UNREADABLE_FORM) });
    return;
  }
  const { input } = validation;
  const question = await values.question(`view:${view.id}:${meta.nonce}`, basis, input.actual, writeValue);
  if (question) {
    await ack({ response_action: 'errors', errors: { [BLOCK.value]: question } });
    return;
  }
  await ack({ response_action: 'update', view: savingView(meta) });

  const show = (next: ModalView) => client.views.update({ view_id: view.id, view: next });
  // Only failures that outlast the retries land here; the retries find a check-in saved before a failure.
  const work = { what: 'save a check-in', tell: (reason: string) => show(rejectedView(meta, `Your check-in was not saved. ${reason}`)) };
  await ctx.inFlight.track(
    (async () => {
      let next: ModalView | undefined;
      let byDm: string | undefined;
      await runReportingFailure(ctx, work, async () => {
        // Idempotent by key: tried again across a database or network hiccup, so "not saved" is only said when it is true.
        const submit = ctx.services.checkins.submit.bind(ctx.services.checkins);
        const onRetry = (error: unknown, attempt: number) => ctx.logger.warn({ err: error, attempt }, 'saving a check-in failed; trying again');
        const outcome = await submitRetryingFailures(submit, {
          slackUserId: body.user.id,
          slackDisplayName: body.user.name,
          metricId: input.metricId,
          actual: input.actual,
          confidence: input.confidence,
          comment: input.comment,
          idempotencyKey: `view:${view.id}:${meta.nonce}`,
          origin: 'modal',
          reminderId: null,
        }, { onRetry });
        switch (outcome.status) {
          case 'delivered':
            next = deliveredView(meta, outcome.change);
            break;
          case 'pending':
            next = pendingView(meta, outcome.reason);
            byDm = `:hourglass_flowing_sand: Your check-in is saved and will reach Gtmhub as soon as it answers. ${escapeMrkdwn(outcome.reason)}`;
            break;
          case 'rejected':
            next = rejectedView(meta, outcome.reason);
            byDm = `:warning: Your check-in was not recorded: ${escapeMrkdwn(outcome.reason)}`;
            break;
          case 'unmapped':
            next = messageView(meta, 'Not checked in', unmappedText(outcome.reason, body.user.id, adminsText(ctx)));
            break;
          case 'duplicate':
            return; // the first submission is already updating this view
        }
      });
      // Outside the failure report: a check-in that was saved is never shown as "not saved".
      if (next) {
        await show(next).catch(async (error: unknown) => {
          // The modal still says "Saving…" (closed, or Slack refused the update). A delivered check-in is told by its
          // confirmation DM; anything else is told here.
          ctx.logger.warn({ err: error, viewId: view.id }, 'could not show the check-in outcome in the modal');
          if (byDm) await client.chat.postMessage({ channel: body.user.id, ...textReply(byDm) }).catch((dmError: unknown) => ctx.logger.error({ err: dmError }, 'could not tell the person by DM either'));
        });
      }
    })(),
  );
}
