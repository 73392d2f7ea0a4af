/** Issue 13 item 4: people by name, mentions where Slack renders them, who checked in. */
import { describe, expect, it } from 'vitest';
import { unmappedText } from '../../../src/slack/blocks/unmapped-message.js';
import { whoAmIText } from '../../../src/slack/blocks/whoami-message.js';
import { outcomeText } from '../../../src/slack/blocks/reminder-message.js';
import { signComment, signerOf } from '../../../src/domain/checkin-signature.js';
import type { ReminderItemSnapshot } from '../../../src/store/reminder-store.js';

/** The code spans of a mrkdwn text (Slack renders nothing inside them: no mentions, no links). */
function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`]*)`/g)].map((m) => m[1]!);
}

describe('the unmapped message', () => {
  it('names the admins as real mentions and keeps every mention out of code spans', () => {
    for (const reason of [{ kind: 'no_slack_user' }, { kind: 'no_email' }, { kind: 'no_gtmhub_user', email: 'zoe@acme.example' }] as const) {
      const text = unmappedText(reason, 'UZOE00001', '<@UADMIN001>');
      expect(text).toMatch(/ask <@UADMIN001> to link you/i);
      expect(text).toContain('/kr link <@UZOE00001>');
      for (const span of codeSpans(text)) expect(span).not.toMatch(/<[@#!]/);
    }
  });
});

describe('/kr whoami', () => {
  it('says the linked person by name and email, not by id', () => {
    const text = whoAmIText({ mapped: true, gtmhubUserId: 'a'.repeat(24), name: 'Ana Novak', email: 'ana@acme.example', source: 'email' });
    expect(text).toBe(':bust_in_silhouette: You are *Ana Novak* (ana@acme.example) in Gtmhub, matched by your Slack email.');
    expect(whoAmIText({ mapped: true, gtmhubUserId: 'a'.repeat(24), name: null, email: null, source: 'manual' })).not.toContain('a'.repeat(24));
  });
});

describe('a co-owner’s row', () => {
  const snapshot = { format: null } as unknown as ReminderItemSnapshot;
  it('says who checked in and when', () => {
    const text = outcomeText({ kind: 'already_checked_in', at: '2026-12-02T01:37:00Z', by: 'Ben Okafor' }, snapshot, 'UTC', new Date('2026-12-02T09:00:00Z'));
    expect(text).toMatch(/Already checked in by Ben Okafor, \S+ 01:37/);
  });

  it('reads the person from our own comment signature', () => {
    expect(signerOf(signComment('Up a bit', 'Grace Kim', '0123456789'))).toBe('Grace Kim');
    expect(signerOf('A comment typed in Gtmhub')).toBeNull();
  });
});
