/**
 * The sandbox without a browser: how it configures the app, what it keeps between runs, the UI
 * server's JSON API and event stream, and `npm run sandbox` itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { demoEmulatorData, DEMO_BASE_DATE, NO_DUE_DATE } from '../../src/emulator/gtmhub/index.js';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { rebaseDemoData } from '../../src/sandbox/rebase-demo-data.js';
import { eventually } from '../support/harness.js';

const quietLogger = () =>
  createLogger({
    level: 'warn',
    destination: new Writable({
      write(_chunk, _encoding, done) {
        done();
      },
    }),
  });

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(dataDir = mkdtempSync(join(tmpdir(), 'kr-sandbox-'))): Promise<Sandbox> {
  const sandbox = await startSandbox({ dataDir, startScheduler: false, logger: quietLogger() });
  open.push(sandbox);
  return sandbox;
}

async function post(sandbox: Sandbox, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(new URL(path, sandbox.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A check-in the way a person does it, through the Slack emulator. */
async function checkIn(sandbox: Sandbox, slackUserId: string, metricName: string, value: string): Promise<void> {
  const { slack, gtmhub } = sandbox.runtime;
  const metric = gtmhub.state.metrics.find((m) => m.name === metricName)!;
  const showing = (blockId: string) => {
    const view = slack.openViews(slackUserId).at(-1);
    return view?.blocks.some((b) => b.block_id === blockId) ? view : undefined;
  };
  await slack.slashCommand(slackUserId, 'CGENERAL01', '/kr', 'checkin');
  const form = await eventually(() => showing('kr'));
  await slack.selectInView(slackUserId, form.id, 'kr_select', { value: metric.id });
  const details = await eventually(() => showing('value'));
  slack.setViewValue(slackUserId, details.id, 'value', 'value_input', value);
  await slack.submitView(slackUserId, details.id);
  await eventually(() => gtmhub.state.metrics.find((m) => m.id === metric.id)!.actual === Number(value));
}

describe('the sandbox', () => {
  it('configures the app only through its environment contract, pointed at the two emulators', async () => {
    const sandbox = await start();
    const { config, slack, gtmhub, workspace, databaseFile } = sandbox.runtime;
    expect(config.slack.apiUrl).toBe(slack.apiUrl);
    expect(config.gtmhub.apiUrl).toBe(gtmhub.url);
    expect(config.gtmhub.accountId).toBe(gtmhub.accountId);
    expect(config.databaseUrl).toBe(`file:${databaseFile}`);
    expect(config.adminSlackUserIds).toEqual([workspace.adminId]);
    // Every Gtmhub person has a Slack twin with the same email, plus one Gtmhub does not know.
    const gtmhubEmails: Array<string | null | undefined> = gtmhub.state.users.map((u) => u.email);
    const slackEmails = slack.users().filter((u) => !u.isBot).map((u) => u.email);
    expect(slackEmails).toEqual(expect.arrayContaining(gtmhubEmails));
    expect(slackEmails.filter((e) => !gtmhubEmails.includes(e))).toEqual(['zoe@elsewhere.example']);
    expect(slack.channels().filter((c) => !c.isIm && c.members.includes(slack.bot.userId)).map((c) => c.name)).toEqual(['general', 'sales']);
  });

  it('keeps check-ins and the database across a restart, and reset goes back to the demo data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kr-sandbox-'));
    const first = await start(dataDir);
    await checkIn(first, 'UANA00001', 'Engineers hired', '12');
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = await start(dataDir);
    const hires = () => second.runtime.gtmhub.state.metrics.find((m) => m.name === 'Engineers hired')!;
    expect(hires().actual).toBe(12);
    expect(existsSync(second.runtime.databaseFile)).toBe(true);

    const reset = await post(second, '/api/reset', {});
    expect(reset.json.ok).toBe(true);
    expect(hires().actual).toBe(11);
    expect(second.runtime.gtmhub.state.snapshots.length).toBe(demoEmulatorData().snapshots.length);
    // The app runs again on the new Slack emulator after a reset.
    await checkIn(second, 'UANA00001', 'Engineers hired', '13');
  });

  it('starts from the demo data when the kept Gtmhub account no longer loads', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kr-sandbox-'));
    writeFileSync(join(dataDir, 'sandbox-gtmhub.json'), JSON.stringify({ accountId: 'not-an-id', users: [], metrics: [] }));
    const sandbox = await start(dataDir);
    expect(sandbox.runtime.gtmhub.state.metrics.length).toBe(demoEmulatorData().metrics.length);
  });

  it('lists the app\'s scheduler jobs and runs any of them by name', async () => {
    const sandbox = await start();
    const state = (await (await fetch(new URL('/api/state', sandbox.url))).json()) as { jobs: Array<{ name: string }> };
    expect(state.jobs.map((j) => j.name).sort()).toEqual(['outbox', 'reminders', 'retention', 'summaries']);
    const run = await post(sandbox, '/api/jobs/run', { name: 'outbox' });
    expect(run.json).toMatchObject({ ok: true, job: 'outbox', result: { delivered: 0, rejected: 0, retrying: 0 } });
    expect((await post(sandbox, '/api/jobs/run', { name: 'nope' })).status).toBe(404);
  });

  it('streams the Slack emulator\'s changes as server-sent events', async () => {
    const sandbox = await start();
    const controller = new AbortController();
    const response = await fetch(new URL('/api/events', sandbox.url), { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    let received = '';
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += new TextDecoder().decode(value);
        if (received.includes('message_posted')) return;
      }
    })();
    await eventually(() => received.includes('event: hello'));
    await sandbox.runtime.slack.slashCommand('UBEN00001', 'CGENERAL01', '/kr', 'checkin');
    await fetch(`${sandbox.runtime.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer xoxb-sandbox' },
      body: JSON.stringify({ channel: 'CGENERAL01', text: 'hello' }),
    });
    await read;
    controller.abort();
    expect(received).toContain('"type":"views_changed","user":"UBEN00001"');
    expect(received).toContain('"type":"message_posted","channel":"CGENERAL01"');
  });

  it('answers only JSON requests on its own host name', async () => {
    const sandbox = await start();
    const form = await fetch(new URL('/api/reset', sandbox.url), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/api/state', sandbox.url), { headers: { Host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const notMember = await post(sandbox, '/api/command', { user: 'UZOE00001', channel: 'CSALES0001', text: '/kr checkin' });
    expect(notMember.status).toBe(409);
    expect(String(notMember.json.error)).toContain('not a member');
    const notCommand = await post(sandbox, '/api/command', { user: 'UANA00001', channel: 'CGENERAL01', text: 'hello' });
    expect(notCommand.json.error).toContain('slash commands');
  });

  it('rebases the demo dates on today, keeping "no due date" as it is', () => {
    const data = demoEmulatorData();
    const today = new Date('2027-03-10T15:00:00Z');
    const rebased = rebaseDemoData(data, new Date(DEMO_BASE_DATE), today);
    const days = (Date.UTC(2027, 2, 10) - Date.UTC(2026, 10, 27)) / 86_400_000;
    data.metrics.forEach((metric, i) => {
      const moved = rebased.metrics[i]!;
      if (metric.dueDate === NO_DUE_DATE) expect(moved.dueDate).toBe(NO_DUE_DATE);
      else expect(Date.parse(moved.dueDate) - Date.parse(metric.dueDate)).toBe(days * 86_400_000);
      if (metric.lastCheckInDate) expect(Date.parse(moved.lastCheckInDate!) - Date.parse(metric.lastCheckInDate)).toBe(days * 86_400_000);
    });
    expect(rebased.sessions.map((s) => s.status)).toEqual(data.sessions.map((s) => s.status));
    expect(rebased.metrics.map((m) => m.id)).toEqual(data.metrics.map((m) => m.id));
  });
});

describe('npm run sandbox', () => {
  it('starts everything, prints one URL to open, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kr-sandbox-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts'], {
      env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually(() => /Open http:\/\/\S+/.test(output), 25_000, 'the URL to open').catch((error: Error) => {
        throw new Error(`${error.message}; output so far: ${output}`);
      });
      const urls = output.match(/http:\/\/[^\s)]+/g) ?? [];
      expect(urls).toHaveLength(1);
      const page = await fetch(urls[0]!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="/static/sandbox.js">');
      expect(existsSync(join(dataDir, 'sandbox.db'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 40_000);
});
