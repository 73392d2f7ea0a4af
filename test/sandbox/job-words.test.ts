import { describe, expect, it } from 'vitest';
// @ts-expect-error The sandbox page's own module, plain JavaScript served to the browser.
import { cronInWords, describeJobRun, jobsIntro } from '../../src/sandbox/public/job-words.js';
import { emptyReport } from '../../src/services/reminders/report.js';

describe('the sandbox job log in words (issue 13 item 11)', () => {
  it('describes a reminder pass by what happened, with each skip reason in words', () => {
    const report = { ...emptyReport('manual', new Date('2026-12-02T09:00:00Z')), keyResultsScanned: 12, people: 4, sent: 3, quietHours: 1 };
    expect(describeJobRun('reminders', report)).toBe('Reminder pass: 3 sent, 1 skipped (quiet hours), 12 key results checked for 4 people.');
    const mixed = { ...report, alreadySent: 2, failed: 1, unmappedCount: 1 };
    const line = describeJobRun('reminders', mixed);
    expect(line).toContain('3 skipped (1 quiet hours, 2 already reminded)');
    expect(line).toContain('1 failed');
    expect(line).toContain('1 owner with no Slack match');
  });

  it('never shows a field name or JSON for any job', () => {
    const lines = [
      describeJobRun('reminders', { ...emptyReport('manual', new Date()), sent: 1, followUpsSent: 1, notYet: 2, off: 1, snoozed: 1, inProgress: 1, rateLimited: 1, wakeUpsSent: 0 }),
      describeJobRun('outbox', { delivered: 2, rejected: 1, retrying: 1 }),
      describeJobRun('summaries', { posted: 1, skipped: 0, failed: 1, retrying: 0 }),
      describeJobRun('retention', { checkin_history: 3 }),
      describeJobRun('something-new', { keyResultsScanned: 4, durationMs: 9 }),
    ];
    for (const line of lines) {
      expect(line).not.toMatch(/[{}"]|[a-z][A-Z]|_/);
    }
    expect(lines[1]).toBe('Outbox: 2 check-ins delivered to Gtmhub, 1 refused by Gtmhub (the person was told), 1 still waiting (tried again later).');
    expect(lines[4]).toBe('Job something-new: 4 key results scanned.');
  });

  it('says when a run had nothing to do', () => {
    expect(describeJobRun('outbox', { delivered: 0, rejected: 0, retrying: 0 })).toBe('Outbox: no check-ins were waiting.');
    expect(describeJobRun('summaries', { posted: 0, skipped: 0, failed: 0, retrying: 0 })).toBe('Summaries: none were due.');
    expect(describeJobRun('reminders', null)).toBe('Reminder pass: nothing was due.');
    expect(describeJobRun('retention', {})).toBe('Retention: nothing old enough to delete.');
  });

  it('says the jobs also run by themselves, how often, and what Run outbox now does', () => {
    expect(cronInWords('*/15 * * * * *')).toBe('every 15 seconds');
    expect(cronInWords('0 */5 * * * *')).toBe('every 5 minutes');
    expect(cronInWords('0 * * * * *')).toBe('every minute');
    expect(cronInWords('0 30 3 * * *')).toBe('every day at 03:30 (server time)');
    expect(cronInWords('0 0 9 * * 1')).toBe('on the schedule "0 0 9 * * 1"');
    const intro = jobsIntro([
      { name: 'reminders', schedule: '0 */5 * * * *' },
      { name: 'outbox', schedule: '*/15 * * * * *' },
    ]);
    expect(intro).toContain('own schedule');
    expect(intro).toContain('reminders every 5 minutes');
    expect(intro).toMatch(/Run outbox now delivers check-ins waiting in the outbox to Gtmhub/);
  });
});
