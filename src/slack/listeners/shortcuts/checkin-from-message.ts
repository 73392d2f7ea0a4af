import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { DRAFT_MAX } from '../../blocks/checkin-modal.js';
import { openCheckInModal } from '../checkin-modal-loader.js';
import type { ListenerContext } from '../context.js';
import { ackThenRun, repliesEphemerally } from '../respond.js';

/** The message shortcut's callback_id (manifest `shortcuts`). */
export const CHECKIN_FROM_MESSAGE = 'checkin_from_message';

/** The comment draft: the message's words, then a link to it. */
export function draftFrom(text: string, permalink: string | null): string {
  const link = permalink ? `\n\n${permalink}` : '';
  const words = text.trim();
  const room = DRAFT_MAX - link.length;
  return `${words.length > room ? `${words.slice(0, Math.max(0, room - 1))}…` : words}${link}`.trim();
}

/** "Check in a key result" on a message: the check-in modal with the message as the comment draft. */
export async function checkInFromMessage(args: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs, ctx: ListenerContext): Promise<void> {
  const { ack, shortcut, client, respond } = args;
  await ackThenRun(ack, ctx, repliesEphemerally(respond, 'open the check-in form'), async () => {
    // trigger_id lives 3 s: open the modal first, with the words alone if the permalink is slow to come.
    const permalink = await client.chat
      .getPermalink({ channel: shortcut.channel.id, message_ts: shortcut.message_ts })
      .then((r) => r.permalink ?? null)
      .catch(() => null);
    const text = typeof shortcut.message.text === 'string' ? shortcut.message.text : '';
    await openCheckInModal(client, ctx, shortcut.trigger_id, shortcut.user.id, shortcut.channel.id, '', undefined, draftFrom(text, permalink));
  });
}
