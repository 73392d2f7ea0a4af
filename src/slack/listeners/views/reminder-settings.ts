import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { SETTINGS_ACTION, SETTINGS_BLOCK, settingsSavedModal } from '../../blocks/reminder-settings-modal.js';
import { InvalidInputError } from '../../../services/errors.js';
import { parseTimeOfDay } from '../../../services/reminders/schedule.js';
import { publishHome } from '../publish-home.js';

type ViewState = ViewSubmitAction['view']['state']['values'];

/** The modal's inputs as typed values, or the field errors to show. Nothing here is trusted. */
export function readSettings(values: ViewState): { ok: true; enabled: boolean; days: number[]; minutes: number } | { ok: false; errors: Record<string, string> } {
  const enabled = values[SETTINGS_BLOCK.enabled]?.[SETTINGS_ACTION.enabled]?.selected_option?.value !== 'off';
  const days = (values[SETTINGS_BLOCK.days]?.[SETTINGS_ACTION.days]?.selected_options ?? [])
    .map((o) => Number(o.value))
    .filter((d) => Number.isInteger(d) && d >= 0 && d <= 6);
  const minutes = parseTimeOfDay(values[SETTINGS_BLOCK.time]?.[SETTINGS_ACTION.time]?.selected_time ?? '');
  const errors: Record<string, string> = {};
  // The field is required in the modal (Slack cannot make it depend on the radio), so the server asks the same.
  if (days.length === 0) errors[SETTINGS_BLOCK.days] = 'Pick at least one day. To stop reminders, choose "No reminders"; the days are kept for later.';
  if (minutes === null) errors[SETTINGS_BLOCK.time] = 'Pick a time of day.';
  if (Object.keys(errors).length > 0 || minutes === null) return { ok: false, errors };
  return { ok: true, enabled, days, minutes };
}

export async function reminderSettingsSubmission({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs, ctx: ListenerContext): Promise<void> {
  const input = readSettings(view.state.values);
  if (!input.ok) {
    await ack({ response_action: 'errors', errors: input.errors });
    return;
  }
  try {
    const state = await ctx.services.reminderSettings.saveSettings(body.user.id, input);
    await ack({ response_action: 'update', view: settingsSavedModal(state, ctx.services.clock.now()) });
  } catch (error) {
    if (error instanceof InvalidInputError) {
      await ack({ response_action: 'errors', errors: { [SETTINGS_BLOCK.days]: error.message } });
      return;
    }
    ctx.logger.error({ err: error }, 'could not save reminder settings');
    await ack({ response_action: 'errors', errors: { [SETTINGS_BLOCK.time]: 'Your settings could not be saved just now. Please try again.' } });
    return;
  }
  // The Home tab shows the settings too.
  await ctx.inFlight.track(publishHome(client, ctx, body.user.id));
}
