import { describe, expect, it } from 'vitest';
import { backoffDelayMs, messageFromErrorBody, parseRetryAfter } from '../../src/gtmhub/http.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-02T10:00:00Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  const retry = { baseDelayMs: 100, maxBackoffMs: 1000 };
  it('doubles per retry, jitters within the upper half, and is capped', () => {
    expect(backoffDelayMs(1, retry, () => 0)).toBe(50);
    expect(backoffDelayMs(1, retry, () => 1)).toBe(100);
    expect(backoffDelayMs(3, retry, () => 0)).toBe(200);
    expect(backoffDelayMs(3, retry, () => 1)).toBe(400);
    expect(backoffDelayMs(10, retry, () => 1)).toBe(1000);
    expect(backoffDelayMs(10, retry, () => 0)).toBe(500);
  });
});

describe('messageFromErrorBody', () => {
  it.each([
    ['{"message":"Metric not found"}', 'Metric not found'],
    ['{"error":"invalid filter: unexpected token"}', 'invalid filter: unexpected token'],
    ['{"error":{"message":"nested"}}', 'nested'],
    ['"just a string"', 'just a string'],
    ['Internal   Server\nError', 'Internal Server Error'],
    ['', ''],
    ['{"unrelated":1}', '{"unrelated":1}'],
  ])('%s → %s', (body, message) => {
    expect(messageFromErrorBody(body)).toBe(message);
  });

  it('truncates long text bodies (an HTML error page)', () => {
    const message = messageFromErrorBody(`<html>${'x'.repeat(2000)}</html>`);
    expect(message.length).toBeLessThanOrEqual(501);
    expect(message.endsWith('…')).toBe(true);
  });
});
