import { textReply } from '../../blocks/text-reply.js';
import { unmappedText } from '../../blocks/unmapped-message.js';
import { whoAmIText } from '../../blocks/whoami-message.js';
import { whoAmI } from '../../../services/people/whoami.js';
import { adminsText } from '../admins-text.js';
import type { Subcommand } from './subcommand.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';

export const whoamiSubcommand: Subcommand = {
  name: 'whoami',
  usage: 'whoami',
  description: 'which Gtmhub user you are linked to, and how',
  async run({ ack, respond, command }, ctx) {
    await ackThenRun(ack, ctx, repliesEphemerally(respond, 'look you up in Gtmhub'), async () => {
      const me = await whoAmI(ctx.services.people, command.user_id);
      if (!me.mapped) {
        await respond({ response_type: 'ephemeral', ...textReply(unmappedText(me.reason, command.user_id, adminsText(ctx))) });
        return;
      }
      await respond({ response_type: 'ephemeral', ...textReply(whoAmIText(me)) });
    });
  },
};
