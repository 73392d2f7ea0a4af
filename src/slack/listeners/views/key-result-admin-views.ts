import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { KR_ADMIN_VIEW } from '../../blocks/key-result-admin-ids.js';
import { editKeyResultView, FIELD, messageModal, type EditFormMetadata } from '../../blocks/key-result-form.js';
import { COMMENT_FIELD, keyResultCreatedMessage } from '../../blocks/key-result-manage.js';
import { CLOSE_FIELD } from '../../blocks/objective-status.js';
import { escapeMrkdwn } from '../../blocks/text.js';
import { commentLengthProblem } from '../../../domain/comment-length.js';
import { readKeyResultForm, todayUtc, type FieldErrors, type KeyResultFormValues } from '../../../services/key-results-admin/key-result-input.js';
import type { ListenerContext } from '../context.js';
import { runReportingFailure } from '../respond.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** How long the submission waits for the server-side checks before it acks without them. */
const CHECK_BUDGET_MS = 2000;
type ViewState = ViewSubmitAction['view']['state']['values'];

function field(values: ViewState, name: string): string {
  const input = values[name]?.[name];
  return (input?.value ?? input?.selected_option?.value ?? input?.selected_date ?? input?.selected_user ?? '').toString();
}

function formValues(values: ViewState): KeyResultFormValues {
  return {
    name: field(values, FIELD.name),
    description: field(values, FIELD.description),
    format: field(values, FIELD.format),
    currencySymbol: field(values, FIELD.currencySymbol),
    decimals: field(values, FIELD.decimals),
    direction: field(values, FIELD.direction),
    start: field(values, FIELD.start),
    target: field(values, FIELD.target),
    dueDate: field(values, FIELD.dueDate),
  };
}

function asErrors(errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function parseJson<T>(text: string): Partial<T> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<T>) : {};
  } catch {
    return {};
  }
}

/** Runs the write after the ack; the modal shows the outcome, a failure shows the reason. */
function afterAck(args: ViewArgs, ctx: ListenerContext, title: string, what: string, run: (show: (body: string) => Promise<unknown>) => Promise<void>): Promise<void> {
  const { client, view } = args;
  const show = (body: string) => client.views.update({ view_id: view.id, view: messageModal(title, body) });
  return ctx.inFlight.track(runReportingFailure(ctx, { what, level: 'warn', tell: (reason) => show(`:warning: Nothing was changed. ${reason}`) }, () => run(show)));
}

async function createSubmission(args: ViewArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, view, client } = args;
  const values = view.state.values;
  const form = { ...formValues(values), goalId: field(values, FIELD.objective), ownerSlackUserId: field(values, FIELD.owner) };
  const service = ctx.services.keyResultAdmin.create;
  const checking = service.check(body.user.id, form).catch((error: unknown) => ({ kind: 'failed' as const, error }));
  // Field errors go into the ack when the checks answer in time; a slow Gtmhub must not cost the 3-second ack.
  const quick = await Promise.race([checking, new Promise<null>((resolve) => setTimeout(() => resolve(null), CHECK_BUDGET_MS).unref())]);
  if (quick?.kind === 'invalid') return void (await ack({ response_action: 'errors', errors: asErrors(quick.errors) }));
  await ack({ response_action: 'update', view: messageModal('New key result', ':hourglass_flowing_sand: Creating the key result in Gtmhub…') });
  await afterAck(args, ctx, 'New key result', 'create a key result', async (show) => {
    const checked = quick ?? (await checking);
    if (checked.kind === 'failed') throw checked.error;
    if (checked.kind === 'invalid') return void (await show(`:warning: Not created: ${escapeMrkdwn(Object.values(checked.errors).join(' '))}`));
    const nonce = parseJson<{ nonce: string }>(view.private_metadata).nonce ?? '';
    const outcome = await service.create(body.user.id, `${view.id}:${nonce}`, checked.plan);
    if (outcome.kind === 'duplicate') return void (await show(':information_source: This form was submitted already; the key result was created once.'));
    // The key result exists from here on: nothing that fails after this may make the modal say nothing was changed.
    const metricId = outcome.keyResult.id;
    const created = `:sparkles: Created *${escapeMrkdwn(outcome.keyResult.name)}*.`;
    const showCreated = async (text: string) => {
      try {
        await show(text);
      } catch (error) {
        ctx.logger.warn({ err: error, metricId }, 'could not show that a key result was created');
      }
    };
    await showCreated(created);
    let sent = false;
    try {
      const dm = await client.conversations.open({ users: body.user.id });
      if (!dm.channel?.id) throw new Error('conversations.open gave no channel');
      await client.chat.postMessage({ channel: dm.channel.id, ...keyResultCreatedMessage(outcome.keyResult, outcome.objective, outcome.ownerSlackUserId) });
      sent = true;
    } catch (error) {
      ctx.logger.warn({ err: error, metricId }, 'could not send the message about a created key result');
    }
    await showCreated(sent ? `${created} I sent you a message with *Check in*.` : `${created} I could not send you the message with *Check in*; the key result is in Gtmhub.`);
  });
}

async function editSubmission(args: ViewArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, view, client } = args;
  const values = formValues(view.state.values);
  const meta = parseJson<EditFormMetadata>(view.private_metadata);
  // Checked here for field errors; the service checks again against Gtmhub before writing.
  const local = readKeyResultForm(values, values.dueDate === meta.dueDay && meta.dueDay ? '' : todayUtc(ctx.services.clock.now()));
  if (!local.ok) return void (await ack({ response_action: 'errors', errors: asErrors(local.errors) }));
  await ack({ response_action: 'update', view: messageModal('Edit key result', ':hourglass_flowing_sand: Saving in Gtmhub…') });
  await afterAck(args, ctx, 'Edit key result', 'edit a key result', async (show) => {
    const outcome = await ctx.services.keyResultAdmin.edit.save(body.user.id, meta.metricId, meta.seen ?? {}, values);
    if (outcome.kind === 'conflict') {
      const next: EditFormMetadata = { metricId: outcome.keyResult.id, seen: outcome.fingerprint, dueDay: outcome.keyResult.dueDate?.slice(0, 10) ?? '' };
      await client.views.update({ view_id: view.id, view: editKeyResultView(next, outcome.keyResult, outcome.objective.name, values, outcome.changedInGtmhub) });
    } else if (outcome.kind === 'invalid') {
      await show(`:warning: Not saved: ${escapeMrkdwn(Object.values(outcome.errors).join(' '))}`);
    } else if (outcome.kind === 'unchanged') {
      await show(`:information_source: Nothing changed in *${escapeMrkdwn(outcome.keyResult.name)}*.`);
    } else {
      await show(`:white_check_mark: Saved *${escapeMrkdwn(outcome.keyResult.name)}* in Gtmhub (${outcome.changed.length} change${outcome.changed.length === 1 ? '' : 's'}).`);
    }
  });
}

async function deleteSubmission(args: ViewArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, view } = args;
  await ack({ response_action: 'update', view: messageModal('Delete key result', ':hourglass_flowing_sand: Deleting in Gtmhub…') });
  await afterAck(args, ctx, 'Delete key result', 'delete a key result', async (show) => {
    const { keyResult, objective } = await ctx.services.keyResultAdmin.delete.delete(body.user.id, view.private_metadata);
    await show(`:wastebasket: Deleted *${escapeMrkdwn(keyResult.name)}* from _${escapeMrkdwn(objective.name)}_.`);
  });
}

async function checkInCommentSubmission(args: ViewArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, view } = args;
  const comment = view.state.values[COMMENT_FIELD]?.[COMMENT_FIELD]?.value?.trim() ?? '';
  const problem = commentLengthProblem(comment);
  if (problem) return void (await ack({ response_action: 'errors', errors: { [COMMENT_FIELD]: problem } }));
  await ack({ response_action: 'update', view: messageModal('Edit comment', ':hourglass_flowing_sand: Saving the comment in Gtmhub…') });
  await afterAck(args, ctx, 'Edit comment', 'edit a check-in comment', async (show) => {
    await ctx.services.keyResultAdmin.history.editComment(body.user.id, view.private_metadata, comment);
    await show(':white_check_mark: Comment saved in Gtmhub.');
  });
}

async function closeObjectiveSubmission(args: ViewArgs, ctx: ListenerContext): Promise<void> {
  const { ack, body, view } = args;
  const status = view.state.values[CLOSE_FIELD.status]?.[CLOSE_FIELD.status]?.selected_option?.value ?? '';
  const reason = view.state.values[CLOSE_FIELD.reason]?.[CLOSE_FIELD.reason]?.value ?? '';
  if (!status) return void (await ack({ response_action: 'errors', errors: { [CLOSE_FIELD.status]: 'Choose achieved or abandoned.' } }));
  await ack({ response_action: 'update', view: messageModal('Close objective', ':hourglass_flowing_sand: Closing in Gtmhub…') });
  await afterAck(args, ctx, 'Close objective', 'close an objective', async (show) => {
    const goal = await ctx.services.keyResultAdmin.objectives.close(body.user.id, view.private_metadata, status, reason);
    await show(`:lock: Closed *${escapeMrkdwn(goal.name)}* as ${escapeMrkdwn(status)}. Its key results no longer get reminders.`);
  });
}

export function registerKeyResultAdminViews(app: App, ctx: ListenerContext): void {
  app.view<ViewSubmitAction>({ callback_id: KR_ADMIN_VIEW.create, type: 'view_submission' }, (args) => createSubmission(args, ctx));
  app.view<ViewSubmitAction>({ callback_id: KR_ADMIN_VIEW.edit, type: 'view_submission' }, (args) => editSubmission(args, ctx));
  app.view<ViewSubmitAction>({ callback_id: KR_ADMIN_VIEW.delete, type: 'view_submission' }, (args) => deleteSubmission(args, ctx));
  app.view<ViewSubmitAction>({ callback_id: KR_ADMIN_VIEW.editCheckInComment, type: 'view_submission' }, (args) => checkInCommentSubmission(args, ctx));
  app.view<ViewSubmitAction>({ callback_id: KR_ADMIN_VIEW.closeObjective, type: 'view_submission' }, (args) => closeObjectiveSubmission(args, ctx));
}
