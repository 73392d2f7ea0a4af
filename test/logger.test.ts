import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
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
});
