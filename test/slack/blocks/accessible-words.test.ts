/** Issue 13 item 10: status is never carried by emoji alone, and fallback texts state the essentials. */
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../src/store/store.js';
import type { SummaryItem } from '../../../src/services/summaries/model.js';
import { STATUSES } from '../../../src/services/summaries/status.js';
import { checkInConfirmation } from '../../../src/slack/blocks/checkin-confirmation.js';
import { attentionLine, keyResultLine, STATUS_LABEL } from '../../../src/slack/blocks/summary-message.js';

const item: SummaryItem = {
  metricId: 'c'.repeat(24),
  goalId: 'b'.repeat(24),
  name: 'Engineers hired',
  url: '',
  attainment: 0.5,
  actual: 5,
  target: 10,
  format: undefined,
  change: null,
  confidence: null,
  lowConfidence: false,
  owner: { kind: 'slack', slackUserId: 'UANA00001', name: 'Ana Novak' },
  status: 'on_track',
  gap: null,
  lastCheckInDate: null,
  direction: 'increase',
};

describe('status words', () => {
  it('stand beside the emoji of every status in every summary line', () => {
    for (const status of STATUSES) {
      const line = keyResultLine({ ...item, status });
      const pointer = attentionLine({ ...item, status });
      for (const text of [line, pointer]) {
        expect(text).toContain(STATUS_LABEL[status]);
        // Without its emoji the line still says the status.
        expect(text.replace(/:[a-z_]+:/g, '')).toContain(STATUS_LABEL[status]);
      }
    }
  });
});

describe('fallback texts', () => {
  it('a check-in confirmation says what, from → to and how far', () => {
    const entry = { id: 1, submittedAt: new Date('2026-12-02T10:00:00Z'), origin: 'modal' } as unknown as OutboxEntry;
    const metric = { id: 'a'.repeat(24), name: 'Engineers hired', goalId: 'b'.repeat(24), initialValue: 0, target: 10, actual: 6, format: { suffix: ' hires', fractionSize: 0 } };
    const { text } = checkInConfirmation(entry, { metric, previousActual: 5, newActual: 6, previousAttainment: 0.5, newAttainment: 0.6 } as never, false);
    expect(text).toBe('Checked in Engineers hired: 5 hires → 6 hires, progress 60%');
  });
});
