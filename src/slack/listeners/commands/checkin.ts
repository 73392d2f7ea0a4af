import { openCheckInModal } from '../checkin-modal-loader.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';
import type { Subcommand } from './subcommand.js';

export const checkinSubcommand: Subcommand = {
  name: 'checkin',
  usage: 'checkin [search words]',
  description: 'record a new value, confidence and comment for one of your key results',
  async run({ ack, command, client, respond }, ctx, rest) {
    await ackThenRun(ack, ctx, repliesEphemerally(respond, 'open the check-in form'), () =>
      openCheckInModal(client, ctx, command.trigger_id, command.user_id, command.channel_id, rest.trim()),
    );
  },
};
