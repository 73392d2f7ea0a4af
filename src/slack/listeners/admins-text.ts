import type { ListenerContext } from './context.js';

/** Who a person should ask for help: the configured kr-checkin admins as mentions. */
export function adminsText(ctx: ListenerContext): string {
  const admins = ctx.config.adminSlackUserIds;
  return admins.length > 0 ? admins.map((id) => `<@${id}>`).join(', ') : 'your Slack admin';
}
