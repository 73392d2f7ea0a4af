import { textReply } from '../../blocks/text-reply.js';
import { escapeMrkdwn } from '../../blocks/text.js';
import { parseEmail, parseUserMention, type Subcommand } from './subcommand.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';

const NOT_ADMIN = ':lock: Only kr-checkin admins can link and unlink people.';

export const linkSubcommand: Subcommand = {
  name: 'link',
  usage: 'link @person email@company.com',
  description: 'link a person to the Gtmhub user with that email (when their emails differ)',
  adminOnly: true,
  async run({ ack, respond, command }, ctx, rest) {
    if (!ctx.services.people.isAdmin(command.user_id)) {
      await ack({ response_type: 'ephemeral', ...textReply(NOT_ADMIN) });
      return;
    }
    const [mention, emailToken, ...extra] = rest.split(/\s+/).filter(Boolean);
    const slackUserId = parseUserMention(mention);
    const email = parseEmail(emailToken);
    if (!slackUserId || !email || extra.length > 0) {
      await ack({ response_type: 'ephemeral', ...textReply('Usage: `/kr link @person email@company.com` — mention the person, then their Gtmhub email.') });
      return;
    }
    await ackThenRun(ack, ctx, repliesEphemerally(respond, `link <@${slackUserId}>`), async () => {
      const linked = await ctx.services.people.link(command.user_id, slackUserId, email);
      const name = linked.displayName ? ` (*${escapeMrkdwn(linked.displayName)}*)` : '';
      await respond({
        response_type: 'ephemeral',
        ...textReply(`:link: <@${slackUserId}> is now linked to the Gtmhub user ${escapeMrkdwn(email)}${name}. This overrides their email match.`),
      });
    });
  },
};

export const unlinkSubcommand: Subcommand = {
  name: 'unlink',
  usage: 'unlink @person',
  description: 'remove a manual link; the person is matched by email again',
  adminOnly: true,
  async run({ ack, command }, ctx, rest) {
    if (!ctx.services.people.isAdmin(command.user_id)) {
      await ack({ response_type: 'ephemeral', ...textReply(NOT_ADMIN) });
      return;
    }
    const [mention, ...extra] = rest.split(/\s+/).filter(Boolean);
    const slackUserId = parseUserMention(mention);
    if (!slackUserId || extra.length > 0) {
      await ack({ response_type: 'ephemeral', ...textReply('Usage: `/kr unlink @person`') });
      return;
    }
    const removed = await ctx.services.people.unlink(command.user_id, slackUserId);
    await ack({
      response_type: 'ephemeral',
      ...textReply(removed ? `:broken_chain: <@${slackUserId}> is unlinked; they will be matched by their Slack email again.` : `<@${slackUserId}> had no link.`),
    });
  },
};
