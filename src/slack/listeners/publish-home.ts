import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { appHomeView } from '../blocks/app-home.js';
import { publishHomeTab } from '../gateway/home-tab.js';
import { adminsText } from './admins-text.js';
import type { ListenerContext } from './context.js';

/** The person's Home tab as it is now (also what the gateway publishes again after their check-in lands). */
export async function homeView(ctx: ListenerContext, slackUserId: string): Promise<HomeView> {
  const model = await ctx.services.reminderHome.home(slackUserId);
  return appHomeView(model, ctx.services.reminderSettings.rules, ctx.services.clock.now(), { slackUserId, admins: adminsText(ctx) });
}

/** Renders and publishes the person's Home tab; failures are logged (the tab keeps its last content). */
export async function publishHome(client: WebClient, ctx: ListenerContext, slackUserId: string): Promise<void> {
  try {
    await publishHomeTab(client, slackUserId, await homeView(ctx, slackUserId));
  } catch (error) {
    ctx.logger.warn({ err: error, slackUserId }, 'could not publish the App Home');
  }
}
