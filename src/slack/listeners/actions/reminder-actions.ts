import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ListenerContext } from '../../app.js';
import { parseReminderId, parseRowValue, REMINDER_ACTION } from '../../blocks/reminder-message.js';
import { reminderSettingsModal } from '../../blocks/reminder-settings-modal.js';
import { textReply } from '../../blocks/text-reply.js';
import { NotFoundError } from '../../../services/errors.js';
import { describeFailure } from '../describe-failure.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The id-only value a reminder control carries (a button's value, or the chosen snooze option). */
function valueOf(action: BlockAction['actions'][number]): string | undefined {
  if (action.type === 'button') return action.value;
  if (action.type === 'static_select') return action.selected_option?.value;
  return undefined;
}

/** Acks at once, then does the work; a failure is told to the clicker only, the message stays as it was. */
function handle(ctx: ListenerContext, what: string, work: (args: ActionArgs) => Promise<void>) {
  return async (args: ActionArgs) => {
    await args.ack();
    await ctx.inFlight.track(
      (async () => {
        try {
          await work(args);
        } catch (error) {
          const known = error instanceof NotFoundError;
          if (known) ctx.logger.info({ err: error }, `reminder ${what} refused`);
          else ctx.logger.error({ err: error }, `reminder ${what} failed`);
          const text = `:warning: ${known ? error.message : `I could not ${what}. ${describeFailure(error)}`}`;
          await args.respond({ response_type: 'ephemeral', replace_original: false, ...textReply(text) }).catch((e: unknown) =>
            ctx.logger.warn({ err: e }, 'could not tell the clicker about a failed reminder action'),
          );
        }
      })(),
    );
  };
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
  // Opening a modal must use the trigger within 3 s, so it is not deferred like the others.
  app.action<BlockAction>(REMINDER_ACTION.settings, async ({ ack, body, client, respond }) => {
    await ack();
    try {
      const state = await ctx.services.reminderSettings.stateOf(body.user.id);
      await client.views.open({ trigger_id: body.trigger_id, view: reminderSettingsModal(state, ctx.services.reminderSettings.rules, ctx.services.clock.now()) });
    } catch (error) {
      ctx.logger.error({ err: error }, 'could not open reminder settings');
      if (body.container?.type === 'message') {
        await respond({ response_type: 'ephemeral', replace_original: false, ...textReply(`:warning: I could not open your settings. ${describeFailure(error)}`) });
      }
    }
  });
}
