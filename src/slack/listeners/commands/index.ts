import type { App } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { helpMessage } from '../../blocks/help-message.js';
import { findSubcommand, subcommands } from './subcommands.js';

export const COMMAND = '/kr';

/** `/kr <subcommand> …`: an empty or unknown subcommand gets help. */
export function register(app: App, ctx: ListenerContext): void {
  app.command(COMMAND, async (args) => {
    const text = args.command.text.trim();
    const first = text.split(/\s+/)[0] ?? '';
    const name = first.toLowerCase();
    const rest = text.slice(first.length).trim();
    const subcommand = name ? findSubcommand(name) : findSubcommand('help');
    if (!subcommand) {
      const isAdmin = ctx.services.people.isAdmin(args.command.user_id);
      await args.ack({ response_type: 'ephemeral', ...helpMessage(subcommands, { unknown: first, isAdmin }) });
      return;
    }
    await subcommand.run(args, ctx, rest);
  });
}
