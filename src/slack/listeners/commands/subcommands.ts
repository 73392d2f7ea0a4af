import { checkinSubcommand } from './checkin.js';
import { helpSubcommand } from './help.js';
import { linkSubcommand, unlinkSubcommand } from './link.js';
import { newKeyResultSubcommand, objectivesSubcommand } from './manage.js';
import { remindSubcommand } from './remind.js';
import type { Subcommand } from './subcommand.js';
import { subscribeSubcommand, subscriptionsSubcommand, unsubscribeSubcommand } from './subscribe.js';
import { summarySubcommand } from './summary.js';
import { whoamiSubcommand } from './whoami.js';

/** Every `/kr` subcommand, in the order help lists them. Add new ones here. */
export const subcommands: Subcommand[] = [];
subcommands.push(
  checkinSubcommand,
  newKeyResultSubcommand,
  objectivesSubcommand,
  whoamiSubcommand,
  linkSubcommand,
  unlinkSubcommand,
  remindSubcommand,
  summarySubcommand,
  subscribeSubcommand,
  subscriptionsSubcommand,
  unsubscribeSubcommand,
  helpSubcommand(() => subcommands),
);

const ALIASES: Record<string, string> = { 'check-in': 'checkin', ci: 'checkin', '?': 'help' };

export function findSubcommand(name: string): Subcommand | undefined {
  const wanted = ALIASES[name] ?? name;
  return subcommands.find((s) => s.name === wanted);
}
