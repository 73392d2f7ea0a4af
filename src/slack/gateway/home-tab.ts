/**
 * Publishing a person's Home tab. Its key-result table is a `data_table` block, whose support in the
 * Home tab rests on Slack's documentation as captured (blocks/chart-types.ts): if Slack refuses the
 * view's blocks (invalid_blocks), the tab is published again without the table — its rows below say the
 * same — rather than staying stale.
 */
import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { platformErrorCode } from './slack-errors.js';

export async function publishHomeTab(client: WebClient, slackUserId: string, view: HomeView): Promise<void> {
  try {
    await client.views.publish({ user_id: slackUserId, view });
  } catch (error) {
    const blocks = view.blocks.filter((block) => (block as { type: string }).type !== 'data_table');
    if (platformErrorCode(error) !== 'invalid_blocks' || blocks.length === view.blocks.length) throw error;
    await client.views.publish({ user_id: slackUserId, view: { ...view, blocks } });
  }
}
