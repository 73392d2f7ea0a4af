import type { WhoAmI } from '../../services/people/whoami.js';
import { escapeMrkdwn } from './text.js';

/** "You are *Ana Novak* (ana@acme.example) in Gtmhub, matched by your Slack email." */
export function whoAmIText(me: Extract<WhoAmI, { mapped: true }>): string {
  const who = me.name ? `*${escapeMrkdwn(me.name)}*` : 'a Gtmhub user without a name';
  const email = me.email ? ` (${escapeMrkdwn(me.email)})` : '';
  const how = me.source === 'manual' ? 'linked by a kr-checkin admin' : 'matched by your Slack email';
  return `:bust_in_silhouette: You are ${who}${email} in Gtmhub, ${how}.`;
}
