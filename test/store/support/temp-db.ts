import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewOutboxEntry } from '../../../src/store/store.js';

/** A fresh directory under os.tmpdir() for one test's database files; `remove()` deletes it. */
export function tempDir(): { path: string; file(name?: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'kr-checkin-store-'));
  return {
    path,
    file: (name = 'store.db') => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

export function newCheckIn(overrides: Partial<NewOutboxEntry> = {}): NewOutboxEntry {
  return {
    idempotencyKey: 'view-1:submit',
    slackUserId: 'U0001',
    gtmhubUserId: '64b000000000000000000001',
    metricId: '64c000000000000000000001',
    actual: 42.5,
    confidence: 0.7,
    comment: 'Checked in from Slack by <@U0001>',
    submittedAt: new Date('2026-03-02T09:00:00.000Z'),
    origin: 'reminder',
    reminderId: 7,
    context: { previousActual: 40, unit: '%' },
    ...overrides,
  };
}
