import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger, secretScrubber } from '../src/logger.js';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination, secrets }) };
}

describe('logger', () => {
  it('redacts tokens, authorization headers and the signing secret', () => {
    const { lines, logger } = capture();
    logger.info(
      { token: 'xoxb-secret-1', config: { signingSecret: 'sig-secret-2', apiToken: 'gtm-secret-3' }, headers: { authorization: 'Bearer gtm-secret-4' } },
      'hello',
    );
    const out = lines.join('');
    expect(out).toContain('hello');
    for (const secret of ['xoxb-secret-1', 'sig-secret-2', 'gtm-secret-3', 'gtm-secret-4']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('adapts Bolt logging calls to pino', () => {
    const { lines, logger } = capture();
    const bolt = boltLogger(logger);
    bolt.warn('something', 'odd', { n: 1 });
    bolt.error(new Error('boom'));
    const [warn, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warn).toMatchObject({ level: 40, msg: 'something odd {"n":1}', component: 'bolt' });
    expect(error).toMatchObject({ level: 50, msg: 'boom' });
  });

  it("scrubs tokens and configured secrets from an error's message, stack and nested data", () => {
    const gtmhubToken = 'eyJhbGciOi.gtmhub-api-secret_7';
    const signingSecret = '8f14e45fceea167a5a36dedd4bea2543';
    const { lines, logger } = capture([gtmhubToken, signingSecret]);
    const error = Object.assign(new Error('An API error occurred: invalid_auth for xoxb-1234-5678-abcdEFGH'), {
      code: 'slack_webapi_platform_error',
      data: {
        ok: false,
        error: 'invalid_auth',
        response_metadata: { messages: ['token xoxp-99-88-77-user', 'app xapp-1-A0-123-abc'] },
        request: { headers: { Authorization: `Bearer ${gtmhubToken}` }, url: `https://example.test/?t=${gtmhubToken}` },
        echoed: `signature over ${signingSecret}`,
      },
    });
    error.stack = `Error: failed with xoxb-1234-5678-abcdEFGH\n    at call (Bearer ${gtmhubToken})\n    at sign (${signingSecret})`;
    logger.error({ err: error, note: 'legacy xoxa-2-old and refresh xoxr-3-old, bot xoxs-4-old' }, `Slack said: Bearer abc.def-ghi for xoxb-1234-5678-abcdEFGH`);
    boltLogger(logger).error('bolt saw', { token: 'xoxb-1234-5678-abcdEFGH', secret: signingSecret }, error);
    const out = lines.join('');
    for (const secret of ['xoxb-1234-5678-abcdEFGH', 'xoxp-99-88-77-user', 'xapp-1-A0-123-abc', 'xoxa-2-old', 'xoxr-3-old', 'xoxs-4-old', gtmhubToken, signingSecret, 'abc.def-ghi']) {
      expect(out).not.toContain(secret);
    }
    const [line] = lines.map((l) => JSON.parse(l) as { msg: string; err: { message: string; stack: string; data: { error: string } } });
    expect(line!.msg).toBe('Slack said: Bearer [redacted] for [redacted]');
    expect(line!.err.message).toBe('An API error occurred: invalid_auth for [redacted]');
    expect(line!.err.stack).toContain('at call (Bearer [redacted])');
    expect(line!.err.data.error).toBe('invalid_auth');
  });

  it('leaves ordinary text alone and ignores secrets too short to look for', () => {
    const scrub = secretScrubber(['abc', '', null]);
    expect(scrub('{"msg":"abc is fine, xoxo-kisses too, and a bearer of news"}')).toBe('{"msg":"abc is fine, xoxo-kisses too, and a bearer of news"}');
    expect(secretScrubber(['a"quoted\\secret'])(JSON.stringify({ s: 'x a"quoted\\secret y' }))).toBe('{"s":"x [redacted] y"}');
  });
});
