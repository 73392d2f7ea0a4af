import type { App, MessageShortcut } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { CHECKIN_FROM_MESSAGE, checkInFromMessage } from './checkin-from-message.js';

export function register(app: App, ctx: ListenerContext): void {
  app.shortcut<MessageShortcut>({ callback_id: CHECKIN_FROM_MESSAGE, type: 'message_action' }, (args) => checkInFromMessage(args, ctx));
}
