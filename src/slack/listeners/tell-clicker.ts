import type { BlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { textReply } from '../blocks/text-reply.js';
import { repliesEphemerally, type ListenerWork } from './respond.js';

/** What of Bolt's action arguments these need. Bolt leaves `respond` undefined when the payload has no response_url. */
interface Clicked {
  body: Pick<BlockAction, 'user'> & { response_url?: string };
  client: WebClient;
  respond?: RespondFn;
}

/**
 * Tells the person who clicked: ephemerally under the message when the click came with a response_url,
 * else in their DM with the app. App Home buttons (and buttons in modals) carry no response_url, so there
 * `respond` does not exist and an ephemeral has no channel to go to.
 */
export function replyToClicker({ body, client, respond }: Clicked, text: string): Promise<unknown> {
  if (body.response_url && respond) return respond({ response_type: 'ephemeral', replace_original: false, ...textReply(text) });
  return client.chat.postMessage({ channel: body.user.id, ...textReply(text) });
}

/** `repliesEphemerally` where the click has a message to reply under; a DM ":warning: <lead> <reason>" where it has none (App Home). */
export function tellsClicker(clicked: Clicked, what: string, lead = `I could not ${what}.`): ListenerWork {
  if (clicked.body.response_url && clicked.respond) return repliesEphemerally(clicked.respond, what, lead);
  return { what, tell: (reason) => replyToClicker(clicked, `:warning: ${lead} ${reason}`) };
}
