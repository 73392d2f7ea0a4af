import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ListenerContext } from '../context.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** One `/kr <name> …` subcommand. Each acks the command itself (some must open a modal first). */
export interface Subcommand {
  name: string;
  /** e.g. "checkin [search words]" */
  usage: string;
  description: string;
  adminOnly?: boolean;
  run(args: CommandArgs, ctx: ListenerContext, rest: string): Promise<void>;
}

/** `<@U123|name>` or `<@U123>` → U123 (slash commands escape mentions, see manifest should_escape). */
export function parseUserMention(token: string | undefined): string | null {
  const match = token?.match(/^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/);
  return match?.[1] ?? null;
}

/** `<mailto:a@b.com|a@b.com>` (escaped) or a bare address. */
export function parseEmail(token: string | undefined): string | null {
  if (!token) return null;
  const mailto = token.match(/^<mailto:([^|>]+)(\|[^>]*)?>$/);
  return (mailto?.[1] ?? token).trim();
}
