import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { parseReminderId, parseRowValue, REMINDER_ACTION } from '../../blocks/reminder-message.js';
import { reminderSettingsModal } from '../../blocks/reminder-settings-modal.js';
import { NotFoundError } from '../../../services/errors.js';
import { ackThenRun, repliesEphemerally, tellNobody } from '../respond.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The id-only value a reminder control carries (a button's value, or the chosen snooze option). */
function valueOf(action: BlockAction['actions'][number]): string | undefined {
  if (action.type === 'button') return action.value;
  if (action.type === 'static_select') return action.selected_option?.value;
  return undefined;
}

/** Acks at once, then does the work; a failure is told to the clicker only, the message stays as it was. */
function handle(ctx: ListenerContext, what: string, work: (args: ActionArgs) => Promise<void>) {
  return (args: ActionArgs) => ackThenRun(args.ack, ctx, repliesEphemerally(args.respond, what), () => work(args));
}

function row(args: ActionArgs) {
  const parsed = parseRowValue(valueOf(args.action));
  if (!parsed) throw new NotFoundError('That button does not belong to a reminder I know.');
  return parsed;
}

function reminderId(args: ActionArgs): number {
  const id = parseReminderId(valueOf(args.action));
  if (id === null) throw new NotFoundError('That button does not belong to a reminder I know.');
  return id;
}

export function registerReminderActions(app: App, ctx: ListenerContext): void {
  const reminders = () => ctx.services.reminderActions;
  app.action<BlockAction>(
    REMINDER_ACTION.noChange,
    handle(ctx, 'record "no change"', async (args) => {
      const { reminderId: id, metricId } = row(args);
      await reminders().noChange(args.body.user.id, args.body.user.name ?? args.body.user.id, id, metricId);
    }),
  );
  app.action<BlockAction>(
    REMINDER_ACTION.snooze,
    handle(ctx, 'snooze that key result', async (args) => {
      const { reminderId: id, metricId, option } = row(args);
      if (!option) throw new NotFoundError('Choose how long to snooze.');
      await reminders().snooze(args.body.user.id, id, metricId, option);
    }),
  );
  app.action<BlockAction>(
    REMINDER_ACTION.skip,
    handle(ctx, 'skip that key result', async (args) => {
      const { reminderId: id, metricId } = row(args);
      await reminders().skip(args.body.user.id, id, metricId);
    }),
  );
  app.action<BlockAction>(
    REMINDER_ACTION.undoMute,
    handle(ctx, 'undo that', async (args) => {
      const { reminderId: id, metricId } = row(args);
      await reminders().undoMute(args.body.user.id, id, metricId);
    }),
  );
  app.action<BlockAction>(
    REMINDER_ACTION.noChangeForAll,
    handle(ctx, 'record "no change" for all', async (args) => {
      await reminders().noChangeForAll(args.body.user.id, args.body.user.name ?? args.body.user.id, reminderId(args));
    }),
  );
  app.action<BlockAction>(
    REMINDER_ACTION.nextPage,
    handle(ctx, 'show the next key results', async (args) => {
      await reminders().nextPage(args.body.user.id, reminderId(args));
    }),
  );
  // The trigger must be used within 3 s: the modal opens first thing in the work. From the App Home
  // there is no message to reply in, so a failure there is only logged.
  app.action<BlockAction>(REMINDER_ACTION.settings, async ({ ack, body, client, respond }) => {
    const work = repliesEphemerally(respond, 'open your settings');
    await ackThenRun(ack, ctx, body.container?.type === 'message' ? work : { ...work, tell: tellNobody }, async () => {
      const state = await ctx.services.reminderSettings.stateOf(body.user.id);
      await client.views.open({ trigger_id: body.trigger_id, view: reminderSettingsModal(state, ctx.services.reminderSettings.rules, ctx.services.clock.now()) });
    });
  });
}
