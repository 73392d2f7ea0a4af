import { textReply } from '../../blocks/text-reply.js';
import { unmappedText } from '../../blocks/unmapped-message.js';
import { escapeMrkdwn } from '../../blocks/text.js';
import { adminsText } from '../admins-text.js';
import type { Subcommand } from './subcommand.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';

export const whoamiSubcommand: Subcommand = {
  name: 'whoami',
  usage: 'whoami',
  description: 'which Gtmhub user you are linked to, and how',
  async run({ ack, respond, command }, ctx) {
    await ackThenRun(ack, ctx, repliesEphemerally(respond, 'look you up in Gtmhub'), async () => {
      const owner = await ctx.services.people.resolve(command.user_id);
      if (!owner.mapped) {
        await respond({ response_type: 'ephemeral', ...textReply(unmappedText(owner.reason, command.user_id, adminsText(ctx))) });
        return;
      }
      const who = owner.displayName ? `*${escapeMrkdwn(owner.displayName)}* ` : '';
      const how =
        owner.source === 'manual'
          ? 'linked by a kr-checkin admin'
          : `matched by your Slack email${owner.email ? ` (${escapeMrkdwn(owner.email)})` : ''}`;
      await respond({
        response_type: 'ephemeral',
        ...textReply(`:bust_in_silhouette: You are Gtmhub user ${who}\`${owner.gtmhubUserId}\`, ${how}.`),
      });
    });
  },
};
