import { passReport, reminderStatus } from '../../blocks/reminder-report.js';
import { reminderSettingsModal } from '../../blocks/reminder-settings-modal.js';
import { textReply } from '../../blocks/text-reply.js';
import { heldElsewhere } from '../../../scheduler/job-lease.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';
import type { CommandArgs, Subcommand } from './subcommand.js';
import type { ListenerContext } from '../context.js';

const NOT_ADMIN = ':lock: Only kr-checkin admins can run reminder passes and see their status.';
const RUNNING_ELSEWHERE = ':hourglass_flowing_sand: A reminder pass is already running on another replica of kr-checkin; `/kr remind status` shows its report when it is done.';
const USAGE = 'Usage: `/kr remind` (your reminder settings), `/kr remind now` or `/kr remind status` (admins).';

async function openSettings({ ack, command, client, respond }: CommandArgs, ctx: ListenerContext): Promise<void> {
  const settings = ctx.services.reminderSettings;
  await ackThenRun(ack, ctx, repliesEphemerally(respond, 'open your reminder settings'), async () => {
    const state = await settings.stateOf(command.user_id);
    await client.views.open({ trigger_id: command.trigger_id, view: reminderSettingsModal(state, settings.rules, ctx.services.clock.now()) });
  });
}

export const remindSubcommand: Subcommand = {
  name: 'remind',
  usage: 'remind',
  description: 'when and whether I remind you of key results that need a check-in (admins: `remind now`, `remind status`)',
  async run(args, ctx, rest) {
    const { ack, command, respond } = args;
    const action = rest.trim().toLowerCase();
    if (action === '' || action === 'settings') return openSettings(args, ctx);
    if (action !== 'now' && action !== 'status') {
      await ack({ response_type: 'ephemeral', ...textReply(USAGE) });
      return;
    }
    const reminders = ctx.services.reminders;
    if (!ctx.services.people.isAdmin(command.user_id)) {
      await ack({ response_type: 'ephemeral', ...textReply(NOT_ADMIN) });
      return;
    }
    if (action === 'status') {
      await ackThenRun(ack, ctx, repliesEphemerally(respond, 'read the reminder status'), async () => {
        const [status, runningAnywhere] = await Promise.all([reminders.status(), ctx.scheduler.isRunning('reminders')]);
        const view = { ...status, running: status.running || runningAnywhere, nextTickAt: ctx.scheduler.nextRun('reminders') };
        await respond({ response_type: 'ephemeral', ...reminderStatus(view, ctx.services.clock.now()) });
      });
      return;
    }
    const running = () => ack({ response_type: 'ephemeral', ...textReply(':hourglass_flowing_sand: Running a reminder pass now; I will post its report here.') });
    await ackThenRun(running, ctx, repliesEphemerally(respond, 'run the reminder pass'), async () => {
      const report = await ctx.scheduler.runExclusively('reminders', () => reminders.runPass(`admin ${command.user_id}`));
      if (heldElsewhere(report)) {
        await respond({ response_type: 'ephemeral', ...textReply(RUNNING_ELSEWHERE) });
        return;
      }
      await respond({ response_type: 'ephemeral', ...passReport(report, ctx.services.clock.now()) });
    });
  },
};
