import type { KnownBlock } from '@slack/types';
import type { ReminderStatus } from '../../services/reminders/passes.js';
import type { ReminderPassReport } from '../../services/reminders/report.js';
import { escapeMrkdwn, mrkdwn, relativeTime, slackDate, truncate } from './text.js';
import { SLACK_LIMITS } from './slack-limits.js';

const MAX_UNMAPPED_LISTED = 40;

function counts(report: ReminderPassReport): string {
  const lines = [
    `*Sent:* ${report.sent}${report.followUpsSent ? ` (+${report.followUpsSent} follow-ups)` : ''}${report.wakeUpsSent ? ` (+${report.wakeUpsSent} snoozes ended)` : ''}`,
    `*Already sent this period:* ${report.alreadySent}${report.inProgress ? ` (+${report.inProgress} being sent by another worker)` : ''}`,
    `*Skipped:* ${report.quietHours} quiet hours · ${report.snoozed} snoozed or skipped · ${report.nothingDue} nothing due · ${report.notYet} not their time yet · ${report.off} reminders off`,
    `*Failed:* ${report.failed}${report.failed ? ' (tried again by the next pass)' : ''}`,
    `*Owners with no Slack match:* ${report.unmappedCount}`,
  ];
  return lines.join('\n');
}

function unmappedList(report: ReminderPassReport): string {
  const listed = report.unmapped.slice(0, MAX_UNMAPPED_LISTED).map((u) => {
    const who = u.name ? escapeMrkdwn(u.name) : `Gtmhub user \`${escapeMrkdwn(u.gtmhubUserId)}\``;
    const why = u.email ? `${escapeMrkdwn(u.email)} is not in this Slack workspace` : 'no email in Gtmhub';
    return `• ${who} — ${why}`;
  });
  const more = report.unmappedCount - listed.length;
  return `${listed.join('\n')}${more > 0 ? `\n…and ${more} more` : ''}\nLink them with \`/kr link @person their-gtmhub-email\`.`;
}

export function passReportBlocks(report: ReminderPassReport, title: string, now: Date, options: { withNext?: boolean } = {}): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `${title}\n${report.keyResultsScanned} key results scanned, ${report.people} people with remindable key results, ${(report.durationMs / 1000).toFixed(1)} s.`,
      ),
    },
    { type: 'section', text: mrkdwn(counts(report)) },
  ];
  if (report.unmapped.length > 0) blocks.push({ type: 'section', text: mrkdwn(truncate(unmappedList(report), SLACK_LIMITS.text)) });
  if (report.error) blocks.push({ type: 'section', text: mrkdwn(`:warning: The pass stopped early: ${escapeMrkdwn(truncate(report.error, 500))}`) });
  if (report.rateLimited > 0) blocks.push({ type: 'context', elements: [mrkdwn(`Slack rate-limited us ${report.rateLimited} times (${Math.round(report.rateLimitPausedMs / 1000)} s paused).`)] });
  if (report.nextPassAt && options.withNext !== false) blocks.push({ type: 'context', elements: [mrkdwn(`Next work is due ${slackDate(new Date(report.nextPassAt))} (${relativeTime(new Date(report.nextPassAt), now)}).`)] });
  return blocks;
}

export function passReport(report: ReminderPassReport, now: Date): { text: string; blocks: KnownBlock[] } {
  const title = report.error ? ':warning: *Reminder pass finished with an error*' : ':bell: *Reminder pass finished*';
  return { text: `Reminder pass: ${report.sent} sent, ${report.failed} failed, ${report.unmappedCount} unmapped owners`, blocks: passReportBlocks(report, title, now) };
}

export function reminderStatus(status: ReminderStatus & { nextTickAt: Date | null }, now: Date): { text: string; blocks: KnownBlock[] } {
  // Each thing once, dates in each reader's own zone (Slack date formatting).
  const dueNow = status.nextPassAt !== null && status.nextPassAt <= now;
  const next = [
    status.running ? ':hourglass_flowing_sand: A pass is running now.' : '',
    status.nextPassAt ? `*Next reminders due:* ${dueNow ? 'now' : `${slackDate(status.nextPassAt)} (${relativeTime(status.nextPassAt, now)})`}` : '*Next reminders due:* not planned yet (the next pass plans it)',
    status.nextTickAt ? `*Next check:* ${slackDate(status.nextTickAt)}` : '*Next check:* the scheduler is not running in this process',
  ].filter(Boolean);
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(`:bell: *Reminders*\n${next.join('\n')}`) }];
  if (status.lastPass) {
    blocks.push(...passReportBlocks(status.lastPass, `*Last pass* (${escapeMrkdwn(status.lastPass.trigger)}, ${slackDate(new Date(status.lastPass.finishedAt))}):`, now, { withNext: false }));
  } else blocks.push({ type: 'section', text: mrkdwn('No pass has run yet.') });
  const last = status.lastPass ? `last pass sent ${status.lastPass.sent}, ${status.lastPass.failed} failed` : 'no pass has run yet';
  return { text: `Reminders: ${status.nextPassAt ? `next due ${dueNow ? 'now' : status.nextPassAt.toISOString()}` : 'next not planned'}; ${last}.`, blocks };
}
