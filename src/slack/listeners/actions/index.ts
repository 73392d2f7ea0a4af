import type { App, BlockAction } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { ACTION } from '../../ids.js';
import { editComment, openCheckIn, undoCheckIn, viewCheckIn } from './checkin-followup-actions.js';
import { keyResultSelected, reloadCheckInModal, valueEntered } from './checkin-modal-actions.js';
import { keyResultOptions } from './key-result-options.js';
import { registerKeyResultAdminActions } from './key-result-admin-actions.js';
import { registerReminderActions } from './reminder-actions.js';
import { cancelSummary, postSummary } from './summary-actions.js';
import { SUMMARY_ACTION } from '../../blocks/summary-message.js';

export function register(app: App, ctx: ListenerContext): void {
  app.action<BlockAction>(ACTION.selectKeyResult, (args) => keyResultSelected(args, ctx));
  app.action<BlockAction>(ACTION.retryLoad, (args) => reloadCheckInModal(args, ctx));
  app.action<BlockAction>(ACTION.startOver, (args) => reloadCheckInModal(args, ctx));
  app.action<BlockAction>(ACTION.showAll, (args) => reloadCheckInModal(args, ctx, { withoutSearch: true }));
  app.action<BlockAction>(ACTION.openCheckIn, (args) => openCheckIn(args, ctx));
  app.action<BlockAction>(ACTION.viewCheckIn, (args) => viewCheckIn(args, ctx));
  app.action<BlockAction>(ACTION.editComment, (args) => editComment(args, ctx));
  app.action<BlockAction>(ACTION.undoCheckIn, (args) => undoCheckIn(args, ctx));
  app.action<BlockAction>(ACTION.value, (args) => valueEntered(args, ctx));
  // Inputs that dispatch nothing we handle still send block_actions; ack them so Slack shows no error.
  app.action<BlockAction>({ action_id: /^(confidence_select|comment_input)$/ }, async ({ ack }) => ack());
  app.action<BlockAction>(SUMMARY_ACTION.post, (args) => postSummary(args, ctx));
  app.action<BlockAction>(SUMMARY_ACTION.cancel, (args) => cancelSummary(args, ctx));
  app.options<'block_suggestion'>(ACTION.selectKeyResult, (args) => keyResultOptions(args, ctx));
  registerReminderActions(app, ctx);
  registerKeyResultAdminActions(app, ctx);
}
