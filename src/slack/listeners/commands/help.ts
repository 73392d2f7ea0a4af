import { helpMessage } from '../../blocks/help-message.js';
import type { Subcommand } from './subcommand.js';

export function helpSubcommand(all: () => Subcommand[]): Subcommand {
  return {
    name: 'help',
    usage: 'help',
    description: 'this list',
    async run({ ack, command }, ctx) {
      await ack({ response_type: 'ephemeral', ...helpMessage(all(), { isAdmin: ctx.services.people.isAdmin(command.user_id) }) });
    },
  };
}
