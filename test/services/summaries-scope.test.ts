import { describe, expect, it } from 'vitest';
import { deserializeScope, parseScope, scopeKey, serializeScope } from '../../src/services/summaries/scope.js';

describe('parseScope', () => {
  const parse = (text: string) => parseScope(text, 'UCALLER');

  it('reads every scope form', () => {
    expect(parse('')).toEqual({ ok: true, scope: { kind: 'channel' } });
    expect(parse('mine')).toEqual({ ok: true, scope: { kind: 'user', slackUserId: 'UCALLER' } });
    expect(parse('<@U0123ABC|ana>')).toEqual({ ok: true, scope: { kind: 'user', slackUserId: 'U0123ABC' } });
    expect(parse('<@W0123ABC>')).toEqual({ ok: true, scope: { kind: 'user', slackUserId: 'W0123ABC' } });
    expect(parse('goal:"Revenue growth"')).toEqual({ ok: true, scope: { kind: 'goal', text: 'Revenue growth' } });
    expect(parse('session:"Q4 2026"')).toEqual({ ok: true, scope: { kind: 'session', name: 'Q4 2026' } });
    expect(parse('team:"Sales"')).toEqual({ ok: true, scope: { kind: 'team', name: 'Sales' } });
  });

  it('accepts the curly quotes Slack clients type, and no quotes at all', () => {
    expect(parse('goal:“Revenue”')).toEqual({ ok: true, scope: { kind: 'goal', text: 'Revenue' } });
    expect(parse('team: Platform crew')).toEqual({ ok: true, scope: { kind: 'team', name: 'Platform crew' } });
    expect(parse('Session:"q4"')).toEqual({ ok: true, scope: { kind: 'session', name: 'q4' } });
  });

  it('explains what it cannot read', () => {
    const unknown = parse('everyone');
    expect(unknown.ok).toBe(false);
    const plainAt = parse('@ana');
    expect(!plainAt.ok && plainAt.problem).toContain('suggestions');
    const empty = parse('goal:""');
    expect(!empty.ok && empty.problem).toContain('needs a name');
  });

  it('round-trips through storage and gives case-insensitive keys', () => {
    for (const text of ['', 'mine', 'goal:"Revenue"', 'session:"Q4"', 'team:"Sales"']) {
      const parsed = parse(text);
      if (!parsed.ok) throw new Error(text);
      expect(deserializeScope(serializeScope(parsed.scope))).toEqual(parsed.scope);
    }
    expect(deserializeScope('{"kind":"goal"}')).toBeNull();
    expect(deserializeScope('nope')).toBeNull();
    expect(scopeKey({ kind: 'goal', text: 'Revenue' })).toBe(scopeKey({ kind: 'goal', text: 'REVENUE' }));
  });
});
