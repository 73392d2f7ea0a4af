import type { UnmappedReason } from '../../services/people/people-types.js';
import { escapeMrkdwn } from './text.js';

/** Why someone has no Gtmhub owner, and whom to ask, in one paragraph. */
export function unmappedText(reason: UnmappedReason, slackUserId: string, admins: string): string {
  // Slack does not render a mention inside a code span, so the command is written out in plain text.
  const fix = `Ask ${admins} to link you: they type /kr link <@${slackUserId}> followed by the email you use in Gtmhub.`;
  switch (reason.kind) {
    case 'no_slack_user':
      return `:thinking_face: I could not read your Slack profile, so I cannot find you in Gtmhub. ${fix}`;
    case 'no_email':
      return `:thinking_face: I cannot see an email address on your Slack profile, so I cannot find you in Gtmhub. ${fix}`;
    case 'no_gtmhub_user':
      return `:thinking_face: No Gtmhub user has the email *${escapeMrkdwn(reason.email)}* (your Slack email). If your Gtmhub account uses another address, ${fix.charAt(0).toLowerCase()}${fix.slice(1)}`;
  }
}
