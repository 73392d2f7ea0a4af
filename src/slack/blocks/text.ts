/** Text helpers that keep Block Kit within Slack's limits and its mrkdwn safe. */
import { SLACK_LIMITS } from './slack-limits.js';

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function plain(text: string, max: number = SLACK_LIMITS.text): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string, max: number = SLACK_LIMITS.text): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

/** Only a plain http(s) URL becomes a link: anything that could close the `<…|…>` early is shown as the label alone. */
const LINKABLE_URL = /^https?:\/\/[^\s<>|]+$/i;

export function link(url: string | undefined, label: string): string {
  const safe = escapeMrkdwn(label);
  return url && LINKABLE_URL.test(url) ? `<${escapeMrkdwn(url)}|${safe.replace(/\|/g, '¦')}>` : safe;
}

const UNITS: Array<[number, string]> = [
  [365 * 24 * 3600_000, 'year'],
  [30 * 24 * 3600_000, 'month'],
  [7 * 24 * 3600_000, 'week'],
  [24 * 3600_000, 'day'],
  [3600_000, 'hour'],
  [60_000, 'minute'],
];

/** "3 days ago", "in 2 weeks", "just now". */
export function relativeTime(date: Date, now: Date): string {
  const diff = date.getTime() - now.getTime();
  const abs = Math.abs(diff);
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return diff < 0 ? `${phrase} ago` : `in ${phrase}`;
    }
  }
  return 'just now';
}

/** "Mon 30 Nov 2026" in the given time zone (UTC when unknown). */
export function shortDate(date: Date, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(date);
}

/** A date and time Slack shows in each reader's own time zone (mrkdwn; the fallback says UTC). */
export function slackDate(date: Date): string {
  const fallback = `${shortDate(date)} ${date.toISOString().slice(11, 16)} UTC`;
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}

/** A day Slack shows in each reader's own time zone (mrkdwn), for moments such as "submitted"; not for due dates, which are calendar days. */
export function slackDay(date: Date): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty}|${shortDate(date)}>`;
}
