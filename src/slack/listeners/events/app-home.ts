import type { App } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { publishHome } from '../publish-home.js';

export function registerAppHome(app: App, ctx: ListenerContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await ctx.inFlight.track(publishHome(client, ctx, event.user));
  });
}
