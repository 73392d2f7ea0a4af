import type { App } from '@slack/bolt';
import { unfurlsOf } from '../../blocks/key-result-card.js';
import type { ListenerContext } from '../context.js';
import { runReportingFailure, tellNobody } from '../respond.js';

/** `link_shared` → `chat.unfurl` with a card per Gtmhub link that resolves; the rest are left alone. */
export function registerLinkShared(app: App, ctx: ListenerContext): void {
  app.event('link_shared', async ({ event, client }) => {
    const previews = ctx.services.keyResultAdmin.linkPreviews;
    if (!previews.enabled) return;
    const work = { what: 'unfurl a Gtmhub link', level: 'warn' as const, tell: tellNobody, logFields: { channel: event.channel } };
    await ctx.inFlight.track(
      runReportingFailure(ctx, work, async () => {
        const found = await previews.previews(event.links.map((l) => l.url));
        if (found.length === 0) return;
        await client.chat.unfurl({ channel: event.channel, ts: event.message_ts, unfurls: unfurlsOf(found, ctx.services.clock.now()) });
      }),
    );
  });
}
