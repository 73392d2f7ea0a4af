import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GtmhubError } from '../../src/gtmhub/errors.js';
import { PersonFacingError } from '../../src/services/errors.js';
import { describeFailure } from '../../src/slack/listeners/describe-failure.js';

const SRC = join(import.meta.dirname, '../../src');
const GENERIC = 'Something went wrong on our side; it has been logged. Please try again.';
/** Entry points that start processes when imported; the emulators and sandbox are not the app. */
const SKIP = [/^index\.ts$/, /^emulator\//, /^sandbox\//];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

type ErrorClass = new (...args: never[]) => Error;

async function everyErrorClass(): Promise<Map<string, ErrorClass>> {
  const classes = new Map<string, ErrorClass>();
  for (const file of sourceFiles(SRC)) {
    const rel = relative(SRC, file);
    if (SKIP.some((re) => re.test(rel))) continue;
    const module = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === 'function' && value.prototype instanceof Error) classes.set(`${rel}:${name}`, value as ErrorClass);
    }
  }
  return classes;
}

/** An instance of each class, built the way the code builds it. */
function instanceOf(cls: ErrorClass): Error {
  const make = cls as unknown as new (...args: unknown[]) => Error;
  if (cls.prototype instanceof GtmhubError || cls === (GtmhubError as unknown)) {
    const details = { method: 'POST', path: '/v1/metrics/abc/checkin', status: 400, gtmhubMessage: 'session is closed' };
    // Classes whose first argument is a summary or problem text take the details second.
    return cls === (GtmhubError as unknown) || cls.length === 2 ? new make('bad request', details) : new make(details);
  }
  if (cls.name === 'ChannelUnavailableError') return new make('not_in_channel', 'C123');
  if (cls.name === 'SlackRateLimitedError') return new make('chat.postMessage', 30_000);
  if (cls.name === 'SlackPermanentError') return new make('chat.postMessage', 'user_disabled');
  if (cls.name === 'ConfigError') return new make(['SLACK_BOT_TOKEN is missing']);
  return new make('Pick at least one day, or turn reminders off.');
}

describe('describeFailure', () => {
  it('has a sensible reply for every error class the app defines', async () => {
    const classes = await everyErrorClass();
    // The walk must have found the app's errors, or this test proves nothing.
    expect([...classes.keys()].map((k) => k.split(':')[1])).toEqual(
      expect.arrayContaining(['NotAllowedError', 'InvalidInputError', 'NotFoundError', 'GtmhubBadRequestError', 'ChannelUnavailableError', 'SlackPermanentError']),
    );
    for (const [where, cls] of classes) {
      const error = instanceOf(cls);
      const reply = describeFailure(error);
      expect(reply, where).toMatch(/\S/);
      expect(reply, where).not.toMatch(/\n\s+at |undefined|\[object /);
      expect(reply, where).not.toContain(error.stack ?? '\u0000');
      if (error instanceof PersonFacingError) expect(reply, where).toBe(error.message);
      if (error instanceof GtmhubError) expect(reply, where).not.toBe(GENERIC);
      if (['ChannelUnavailableError', 'SlackRateLimitedError', 'SlackPermanentError'].includes(cls.name)) expect(reply, where).not.toBe(GENERIC);
    }
  });

  it('never shows the text of an error that was not written for people', () => {
    const reply = describeFailure(new Error('connect ECONNREFUSED 10.0.0.3:5432 password=hunter2'));
    expect(reply).toBe(GENERIC);
  });

  it('shows an error written for people as it is', () => {
    expect(describeFailure(new (class extends PersonFacingError {})('Only admins can do that.'))).toBe('Only admins can do that.');
  });
});
