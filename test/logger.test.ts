import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger, secretScrubber } from '../src/logger.js';

/** Fake tokens, assembled at run time so that nothing committed looks like a real Slack token. */
const TOKEN_XOXB_0 = ['xoxb', '1234-5678-abcdEFGH'].join('-');
const TOKEN_XOXP_1 = ['xoxp', '99-88-77-user'].join('-');
const TOKEN_XAPP_2 = ['xapp', '1-A0-123-abc'].join('-');
const TOKEN_XOXB_3 = ['xoxb', 'secret-1'].join('-');
const TOKEN_XOXR_4 = ['xoxr', '3-old'].join('-');
const TOKEN_XOXS_5 = ['xoxs', '4-old'].join('-');
const TOKEN_XOXA_6 = ['xoxa', '2-old'].join('-');

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
      { token: TOKEN_XOXB_3, config: { signingSecret: 'sig-secret-2', apiToken: 'gtm-secret-3' }, headers: { authorization: 'Bearer gtm-secret-4' } },
      'hello',
    );
    const out = lines.join('');
    expect(out).toContain('hello');
    for (const secret of [TOKEN_XOXB_3, 'sig-secret-2', 'gtm-secret-3', 'gtm-secret-4']) expect(out).not.toContain(secret);
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

  it('does not serialize what Bolt logs below the level', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const bolt = boltLogger(createLogger({ level: 'info', destination }));
    let serialized = 0;
    const payload = { toJSON: () => (serialized++, { n: 1 }) };
    bolt.debug('request body', payload);
    expect(serialized).toBe(0);
    bolt.info('request body', payload);
    expect(serialized).toBe(1);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['request body {"n":1}']);
  });

  it("scrubs tokens and configured secrets from an error's message, stack and nested data", () => {
    const gtmhubToken = 'eyJhbGciOi.gtmhub-api-secret_7';
    const signingSecret = '8f14e45fceea167a5a36dedd4bea2543';
    const { lines, logger } = capture([gtmhubToken, signingSecret]);
    const error = Object.assign(new Error(`An API error occurred: invalid_auth for ${TOKEN_XOXB_0}`), {
      code: 'slack_webapi_platform_error',
      data: {
        ok: false,
        error: 'invalid_auth',
        response_metadata: { messages: [`token ${TOKEN_XOXP_1}`, `app ${TOKEN_XAPP_2}`] },
        request: { headers: { Authorization: `Bearer ${gtmhubToken}` }, url: `https://example.test/?t=${gtmhubToken}` },
        echoed: `signature over ${signingSecret}`,
      },
    });
    error.stack = `Error: failed with ${TOKEN_XOXB_0}\n    at call (Bearer ${gtmhubToken})\n    at sign (${signingSecret})`;
    logger.error({ err: error, note: `legacy ${TOKEN_XOXA_6} and refresh ${TOKEN_XOXR_4}, bot ${TOKEN_XOXS_5}` }, `Slack said: Bearer abc.def-ghi for ${TOKEN_XOXB_0}`);
    boltLogger(logger).error('bolt saw', { token: TOKEN_XOXB_0, secret: signingSecret }, error);
    const out = lines.join('');
    for (const secret of [TOKEN_XOXB_0, TOKEN_XOXP_1, TOKEN_XAPP_2, TOKEN_XOXA_6, TOKEN_XOXR_4, TOKEN_XOXS_5, gtmhubToken, signingSecret, 'abc.def-ghi']) {
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
