/**
 * Moments (when a check-in was submitted or made, the previous summary) are written as Slack date
 * tokens, so every reader sees them in their own time zone; the fallback is the UTC day.
 */
import { describe, expect, it } from 'vitest';
import { checkInRejectedNotice } from '../../../src/slack/blocks/checkin-confirmation.js';
import { slackDate, slackDay } from '../../../src/slack/blocks/text.js';
import type { OutboxEntry } from '../../../src/store/store.js';

// 23:30 UTC on Monday 9 March is Tuesday 10 March in Tokyo: only the reader's Slack can say which.
const LATE_MONDAY = new Date('2026-03-09T23:30:00Z');

describe('dates each reader sees in their own time zone', () => {
  it('are Slack date tokens with the UTC day (and time) as fallback', () => {
    expect(slackDay(LATE_MONDAY)).toBe(`<!date^${LATE_MONDAY.getTime() / 1000}^{date_short_pretty}|Mon, 9 Mar 2026>`);
    expect(slackDate(LATE_MONDAY)).toBe(`<!date^${LATE_MONDAY.getTime() / 1000}^{date_short_pretty} at {time}|Mon, 9 Mar 2026 23:30 UTC>`);
  });

  it('date when a refused check-in was submitted', () => {
    const entry = { id: 1, actual: 5, submittedAt: LATE_MONDAY } as unknown as OutboxEntry;
    const { text } = checkInRejectedNotice(entry, 'Gtmhub said: no.', { name: 'NPS' });
    expect(text).toContain(`submitted ${slackDay(LATE_MONDAY)})`);
  });
});
