import type { WebClient } from '@slack/web-api';
import { appHomeView } from '../blocks/app-home.js';
import { adminsText } from './admins-text.js';
import type { ListenerContext } from './context.js';

/** Renders and publishes the person's Home tab; failures are logged (the tab keeps its last content). */
export async function publishHome(client: WebClient, ctx: ListenerContext, slackUserId: string): Promise<void> {
  try {
    const model = await ctx.services.reminderHome.home(slackUserId);
    const view = appHomeView(model, ctx.services.reminderSettings.rules, ctx.services.clock.now(), { slackUserId, admins: adminsText(ctx) });
    await client.views.publish({ user_id: slackUserId, view });
  } catch (error) {
    ctx.logger.warn({ err: error, slackUserId }, 'could not publish the App Home');
  }
}
