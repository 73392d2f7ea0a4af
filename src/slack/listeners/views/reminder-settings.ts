import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ListenerContext } from '../context.js';
import { SETTINGS_ACTION, SETTINGS_BLOCK, settingsSavedModal } from '../../blocks/reminder-settings-modal.js';
import { describeSchedule } from '../../blocks/format/schedule.js';
import { SLACK_LIMITS } from '../../blocks/slack-limits.js';
import { mrkdwn, plain } from '../../blocks/text.js';
import { textReply } from '../../blocks/text-reply.js';
import { parseTimeOfDay } from '../../../services/reminders/schedule.js';
import { publishHome } from '../publish-home.js';
import { runReportingFailure } from '../respond.js';

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

type Settings = { enabled: boolean; days: number[]; minutes: number };

/** A short modal in the settings' own title: what the ack shows, and what a failure says. */
function settingsNote(body: string): ModalView {
  return {
    type: 'modal',
    title: plain('Reminder settings', SLACK_LIMITS.modalLabel),
    close: plain('Close', SLACK_LIMITS.modalLabel),
    blocks: [{ type: 'section', text: mrkdwn(body) }],
  };
}

/** What the ack can say from the submission alone; the time zone and the next reminder follow. */
function savingModal(input: Settings): ModalView {
  const days = [...new Set(input.days)].sort((a, b) => a - b);
  const what = input.enabled ? `I will remind you *${describeSchedule({ days, minutes: input.minutes })}*.` : 'You will get no reminder DMs.';
  return settingsNote(`:hourglass_flowing_sand: Saving… ${what}`);
}

const REOPEN = 'Open them again with `/kr remind` or *Change* on your Home tab.';

/**
 * Valid input is acked at once with a "Saving…" view: saving also works out the next reminder, which
 * reads the person's time zone from Slack (users.info, which retries, times out after 10 s and waits
 * out a 429) or waits on a member-list walk, well past Slack's 3 s for the ack. The modal then shows
 * the outcome; a failure is told there, or by DM if the modal is gone, never left unsaid.
 */
export async function reminderSettingsSubmission({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs, ctx: ListenerContext): Promise<void> {
  const input = readSettings(view.state.values);
  if (!input.ok) {
    await ack({ response_action: 'errors', errors: input.errors });
    return;
  }
  const { enabled, days, minutes } = input;
  await ack({ response_action: 'update', view: savingModal({ enabled, days, minutes }) });
  await ctx.inFlight.track(saveAfterAck(client, ctx, body.user.id, view.id, { enabled, days, minutes }));
}

async function saveAfterAck(client: AllMiddlewareArgs['client'], ctx: ListenerContext, slackUserId: string, viewId: string, input: Settings): Promise<void> {
  const show = (next: ModalView) => client.views.update({ view_id: viewId, view: next });
  const tell = async (reason: string) => {
    const text = `:warning: Your reminder settings were not saved. ${reason} ${REOPEN}`;
    await show(settingsNote(text)).catch(async (error: unknown) => {
      // The modal is gone (closed while saving) or Slack refused the update: the DM still tells.
      ctx.logger.warn({ err: error, viewId }, 'could not show the reminder settings failure in the modal');
      await client.chat.postMessage({ channel: slackUserId, ...textReply(text) });
    });
  };
  await runReportingFailure(ctx, { what: 'save reminder settings', tell, logFields: { slackUserId } }, async () => {
    const state = await ctx.services.reminderSettings.saveSettings(slackUserId, input);
    // Saved: if the modal was closed meanwhile, the Home tab below shows the new settings.
    await show(settingsSavedModal(state, ctx.services.clock.now())).catch((error: unknown) =>
      ctx.logger.warn({ err: error, viewId }, 'could not show the saved reminder settings in the modal'),
    );
  });
  // The Home tab shows the settings in effect (the new ones, or the old ones after a failure).
  await publishHome(client, ctx, slackUserId);
}
