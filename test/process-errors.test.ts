/**
 * The real entry point (`src/index.ts`) in a child process, against both emulators: an error that
 * nothing caught is logged, the app stops cleanly, and the process exits 1 for its supervisor.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGtmhubEmulator, type GtmhubEmulator } from '../src/emulator/gtmhub/index.js';
import { startSlackEmulator, type SlackEmulator } from '../src/emulator/slack/index.js';
import { smallAccount } from './support/fixtures.js';

/** Assembled at run time so that nothing committed looks like a real Slack token. */
const BOT_TOKEN = ['xoxb', '1111-2222-processerrorsecret'].join('-');
let gtmhub: GtmhubEmulator;
let slack: SlackEmulator;
beforeAll(async () => {
  gtmhub = await startGtmhubEmulator({ port: 0, data: smallAccount().data });
  slack = await startSlackEmulator({ port: 0, signingSecret: 'process-test-secret', botToken: BOT_TOKEN, users: [], channels: [] });
});
afterAll(async () => {
  await Promise.all([slack.close(), gtmhub.close()]);
});

interface Outcome {
  code: number | null;
  lines: Array<Record<string, unknown>>;
  output: string;
}

async function runAppAndInject(fault: 'exception' | 'rejection'): Promise<Outcome> {
  const cwd = mkdtempSync(join(tmpdir(), 'kr-process-'));
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), '--import', import.meta.resolve('./support/fault-on-signal.ts'), join(process.cwd(), 'src/index.ts')],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        INJECT_FAULT: fault,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: 'process-test-secret',
        SLACK_API_URL: slack.apiUrl,
        GTMHUB_API_URL: gtmhub.url,
        GTMHUB_API_TOKEN: gtmhub.adminToken,
        GTMHUB_ACCOUNT_ID: gtmhub.accountId,
        DATABASE_URL: `file:${join(cwd, 'app.db')}`,
        PORT: '0',
      },
    },
  );
  let output = '';
  let injected = false;
  const onData = (chunk: Buffer) => {
    output += String(chunk);
    if (!injected && output.includes('kr-checkin is running')) {
      injected = true;
      child.kill('SIGUSR2');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const lines = output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, lines, output };
}

describe('errors nothing caught', () => {
  it.each([
    ['exception', 'uncaught exception: exiting for a restart'],
    ['rejection', 'unhandled promise rejection: exiting for a restart'],
  ] as const)('an uncaught %s is logged, the app stops cleanly and exits 1', async (fault, message) => {
    const { code, lines, output } = await runAppAndInject(fault);
    expect(code).toBe(1);
    const fatal = lines.find((l) => l.level === 60);
    expect(fatal, output).toMatchObject({ msg: message, err: { message: expect.stringContaining('injected fault') } });
    const after = lines.slice(lines.indexOf(fatal!));
    expect(after.map((l) => l.msg)).toContain('kr-checkin stopped');
    // The error carried the bot token; the log line does not.
    expect(output).not.toContain(BOT_TOKEN);
    expect(JSON.stringify(fatal)).toContain('[redacted]');
  }, 45_000);
});
