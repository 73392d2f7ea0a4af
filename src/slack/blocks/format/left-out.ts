/** Key results that take no check-in here, each with why and what to do: nothing is dropped silently. */
import type { LeftOutKeyResult } from '../../../services/key-results.js';
import { escapeMrkdwn, truncate } from '../text.js';

const WHY_AND_WHAT: Record<LeftOutKeyResult['reason'], string> = {
  past_due: 'its due date has passed: to check it in, move its due date in Gtmhub',
  session_closed: 'its OKR session is closed: its value is final unless a Gtmhub admin reopens the session',
  dynamic: 'it is updated automatically from a data source: change the source, not the key result',
};

const MAX_LISTED = 8;

/** A mrkdwn paragraph listing them (at most a few, then how many more), or null when there are none. */
export function leftOutText(leftOut: readonly LeftOutKeyResult[] | undefined): string | null {
  if (!leftOut || leftOut.length === 0) return null;
  const lines = leftOut.slice(0, MAX_LISTED).map(({ metric, reason }) => `• *${escapeMrkdwn(truncate(metric.name, 80))}* — ${WHY_AND_WHAT[reason]}`);
  const more = leftOut.length > MAX_LISTED ? `\n…and ${leftOut.length - MAX_LISTED} more.` : '';
  return `*Not offered here (${leftOut.length}):*\n${lines.join('\n')}${more}`;
}
