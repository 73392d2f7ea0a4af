import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { KR_ADMIN_ACTION, parseMenuValue } from '../../blocks/key-result-admin-ids.js';
import { editKeyResultView, messageModal } from '../../blocks/key-result-form.js';
import { editCheckInCommentView, historyView } from '../../blocks/key-result-manage.js';
import { closeObjectiveView, objectivesView } from '../../blocks/objective-status.js';
import { nudgeOutcomeText } from '../../blocks/nudge-message.js';
import { ownWords } from '../../../domain/checkin-signature.js';
import { formValuesOf } from '../../../services/key-results-admin/edit.js';
import type { ListenerContext } from '../context.js';
import { openCreateKeyResult, openDeleteKeyResult, openEditKeyResult, openKeyResultHistory, openThenFill } from '../key-result-admin-modals.js';
import { NotFoundError } from '../../../services/errors.js';
import { ackThenRun } from '../respond.js';
import { replyToClicker, tellsClicker } from '../tell-clicker.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

function valueOf(action: BlockAction['actions'][number]): string {
  if (action.type === 'button') return action.value ?? '';
  if (action.type === 'static_select') return action.selected_option?.value ?? '';
  if (action.type === 'overflow') return action.selected_option?.value ?? '';
  return '';
}

/** Tells a failure in the modal the click came from (replacing it with the reason), else ephemerally or, from the App Home, by DM. */
function tellIn(args: ActionArgs, title: string, what: string) {
  const { body, client } = args;
  const viewId = body.view?.id;
  if (!viewId) return tellsClicker(args, what);
  return { what, tell: (reason: string) => client.views.update({ view_id: viewId, view: messageModal(title, `:warning: ${reason}`) }) };
}

/** The row menu (App Home): Edit, History, Delete. The id it carries is re-checked by the service. */
async function rowMenu(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, action, client } = args;
  const chosen = parseMenuValue(valueOf(action));
  await ackThenRun(ack, ctx, tellsClicker(args, 'open that'), async () => {
    if (!chosen) throw new NotFoundError('I do not know that key result.');
    const open = { edit: openEditKeyResult, history: openKeyResultHistory, delete: openDeleteKeyResult }[chosen.choice];
    return open(client, ctx, body.trigger_id, body.user.id, chosen.metricId);
  });
}

async function reloadEdit(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, action, client } = args;
  await ackThenRun(ack, ctx, tellIn(args, 'Edit key result', 'reload the key result'), async () => {
    const { keyResult, objective, fingerprint } = await ctx.services.keyResultAdmin.edit.open(body.user.id, valueOf(action));
    const values = formValuesOf(keyResult);
    await client.views.update({ view_id: body.view!.id, view: editKeyResultView({ metricId: keyResult.id, seen: fingerprint, dueDay: values.dueDate }, keyResult, objective.name, values) });
  });
}

async function historyEditComment(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, action, client } = args;
  const ref = valueOf(action);
  await ackThenRun(ack, ctx, tellIn(args, 'Edit comment', 'edit the comment'), () =>
    openThenFill(client, ctx, body.trigger_id, 'Edit comment', 'open the comment editor', async (show) => {
      const { snapshot } = await ctx.services.keyResultAdmin.history.checkIn(body.user.id, ref);
      await show(editCheckInCommentView(ref, ownWords(typeof snapshot.comment === 'string' ? snapshot.comment : '')));
    }, true),
  );
}

async function historyDelete(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, action, client } = args;
  const viewId = body.view?.id;
  const metricId = body.view?.private_metadata ?? '';
  await ackThenRun(ack, ctx, tellIn(args, 'Check-in history', 'delete the check-in'), async () => {
    await ctx.services.keyResultAdmin.history.deleteCheckIn(body.user.id, valueOf(action));
    if (viewId) await client.views.update({ view_id: viewId, view: historyView(await ctx.services.keyResultAdmin.history.view(body.user.id, metricId)) });
  });
}

async function newKeyResult(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, client } = args;
  await ackThenRun(ack, ctx, tellsClicker(args, 'open the new key result form'), () => openCreateKeyResult(client, ctx, body.trigger_id, body.user.id, ''));
}

/** The close dialog is pushed (or opened) first thing, while the trigger (3 s) is fresh; Gtmhub's checks then fill it. */
/** A click inside a modal (its trigger may push onto it); App Home clicks carry a view too, of type home. */
function inModal(body: ActionArgs['body']): boolean {
  return body.view?.type === 'modal';
}

async function closeObjective(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, action, client } = args;
  await ackThenRun(ack, ctx, tellIn(args, 'Your objectives', 'close the objective'), () =>
    openThenFill(client, ctx, body.trigger_id, 'Close objective', 'prepare closing the objective', async (show) => {
      const goal = await ctx.services.keyResultAdmin.objectives.prepareClose(body.user.id, valueOf(action));
      await show(closeObjectiveView(goal));
    }, inModal(body)),
  );
}

async function reopenObjective(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, action, client } = args;
  await ackThenRun(ack, ctx, tellIn(args, 'Your objectives', 'reopen the objective'), async () => {
    await ctx.services.keyResultAdmin.objectives.reopen(body.user.id, valueOf(action));
    if (inModal(body)) await client.views.update({ view_id: body.view!.id, view: objectivesView(await ctx.services.keyResultAdmin.objectives.manageable(body.user.id)) });
  });
}

/**
 * Nudge: the owner gets a DM now; the nudger is told ephemerally, or, from a modal (the history), in a modal
 * pushed over it before the nudge starts: the trigger lives 3 s and the Gtmhub reads, owner lookup and DM
 * may take longer. The pushed modal then shows the outcome, or why there was none.
 */
async function nudge(args: ActionArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, action, client } = args;
  const run = async (tell: (text: string) => Promise<unknown>) => {
    const { keyResult, outcomes } = await ctx.services.keyResultAdmin.nudges.nudge(body.user.id, valueOf(action));
    await tell(nudgeOutcomeText(keyResult.name, outcomes, (at) => `${at.toISOString().slice(11, 16)} UTC`));
  };
  if (inModal(body)) {
    await ackThenRun(ack, ctx, tellIn(args, 'Nudge', 'nudge the owner'), () =>
      openThenFill(client, ctx, body.trigger_id, 'Nudge', 'nudge the owner', (show) => run((text) => show(messageModal('Nudge', text))), true),
    );
    return;
  }
  await ackThenRun(ack, ctx, tellsClicker(args, 'nudge the owner'), () => run((text) => replyToClicker(args, text)));
}

export function registerKeyResultAdminActions(app: App, ctx: ListenerContext): void {
  app.action<BlockAction>(KR_ADMIN_ACTION.nudge, (args) => nudge(args, ctx));
  app.action<BlockAction>(KR_ADMIN_ACTION.objectiveFromSummary, async (args) => {
    const { ack, body, action, client } = args;
    await ackThenRun(ack, ctx, tellsClicker(args, 'open the objective'), () =>
      openThenFill(client, ctx, body.trigger_id, 'Objective', 'open the objective', async (show) => {
        const { objective } = await ctx.services.keyResultAdmin.permissions.assertMayChangeObjective(body.user.id, valueOf(action));
        await show(objectivesView([objective]));
      }),
    );
  });
  app.action<BlockAction>(KR_ADMIN_ACTION.menu, (args) => rowMenu(args, ctx));
  app.action<BlockAction>(KR_ADMIN_ACTION.newKeyResult, (args) => newKeyResult(args, ctx));
  app.action<BlockAction>(KR_ADMIN_ACTION.reloadEdit, (args) => reloadEdit(args, ctx));
  app.action<BlockAction>(KR_ADMIN_ACTION.historyEditComment, (args) => historyEditComment(args, ctx));
  app.action<BlockAction>(KR_ADMIN_ACTION.historyDelete, (args) => historyDelete(args, ctx));
  app.action<BlockAction>(KR_ADMIN_ACTION.closeObjective, (args) => closeObjective(args, ctx));
  app.action<BlockAction>(KR_ADMIN_ACTION.reopenObjective, (args) => reopenObjective(args, ctx));
  app.action<BlockAction>(KR_ADMIN_ACTION.manageObjectives, async (args) => {
    const { ack, body, client } = args;
    await ackThenRun(ack, ctx, tellsClicker(args, 'list your objectives'), () =>
      openThenFill(client, ctx, body.trigger_id, 'Your objectives', 'list your objectives', async (show) => {
        await show(objectivesView(await ctx.services.keyResultAdmin.objectives.manageable(body.user.id)));
      }),
    );
  });
  // Inputs of the forms that dispatch nothing we handle still send block_actions; ack them.
  app.action<BlockAction>({ action_id: /^(objective|owner|format|decimals|direction|dueDate|status)$/ }, async ({ ack }) => ack());
}
