import type { App } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { registerAppHome } from './app-home.js';
import { registerLinkShared } from './link-shared.js';

export function register(app: App, ctx: ListenerContext): void {
  registerAppHome(app, ctx);
  registerLinkShared(app, ctx);
}
