import type { KnownBlock } from '@slack/types';
import { mrkdwn } from './text.js';

/** A short ephemeral reply: one section, and the same words as notification text. */
export function textReply(text: string): { text: string; blocks: KnownBlock[] } {
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
