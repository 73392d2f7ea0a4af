/**
 * In Socket Mode Slack's requests come over a WebSocket, but hosts still expect the web process to bind
 * PORT and answer a health check (a Procfile `web:` dyno that binds nothing is killed). The real entry
 * point, started with SLACK_APP_TOKEN, against a Slack stand-in on 127.0.0.1 that never opens the socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

let child: ChildProcess | undefined;
let slack: Server | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await new Promise<void>((resolve) => (slack ? slack.close(() => resolve()) : resolve()));
  slack = undefined;
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Socket Mode', () => {
  it('binds PORT and answers /healthz while Slack requests come over the socket', async () => {
    const asked: string[] = [];
    slack = createServer((req, res) => {
      asked.push(req.url ?? '');
      // Never opens the socket: apps.connections.open stays unanswered; everything else is a plain ok.
      if (req.url?.includes('apps.connections.open')) return;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'Acme', url: 'https://acme.slack.com/' }));
    });
    await new Promise<void>((resolve) => slack!.listen(0, '127.0.0.1', resolve));
    const slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/`;
    const port = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'kr-socket-'));
    child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(process.cwd(), 'src/index.ts')], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_APP_TOKEN: 'xapp-1-test',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: slackUrl,
        GTMHUB_API_URL: 'http://127.0.0.1:9/api',
        GTMHUB_API_TOKEN: 'gtmhub-test-token',
        GTMHUB_ACCOUNT_ID: '5be26318e5274a0007f17f61',
        DATABASE_URL: `file:${join(cwd, 'kr.db')}`,
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    let status = 0;
    for (let i = 0; i < 150 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
    }
    expect(status).toBe(200);
    expect(asked.some((url) => url.includes('apps.connections.open'))).toBe(true);
    // Slack's events are not taken over HTTP in Socket Mode.
    const events = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' });
    expect(events.status).not.toBe(200);
  }, 30_000);
});
