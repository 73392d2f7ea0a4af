/** `npm run emulator` with a client's own data file: its account id, ids and token work unchanged. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const data = {
  accountId: '64a000000000000000000001',
  users: [{ id: '64a0000000000000000000aa', email: 'owner@client.example', firstName: 'Own', lastName: 'Er' }],
  teams: [],
  sessions: [{ id: '64a0000000000000000000bb', title: 'Client Q1', status: 'open', start: '2026-01-01T00:00:00Z', end: '2026-03-31T23:59:59Z' }],
  goals: [{ id: '64a0000000000000000000cc', name: 'Client goal', sessionId: '64a0000000000000000000bb', ownerIds: ['64a0000000000000000000aa'] }],
  metrics: [{ id: '64a0000000000000000000dd', name: 'Client KR', goalId: '64a0000000000000000000cc', ownerIds: ['64a0000000000000000000aa'], target: 10 }],
  snapshots: [],
  tokens: [{ token: 'client-own-token', userId: '64a0000000000000000000aa', role: 'admin' }],
};

async function run(args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/gtmhub/main.ts', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  try {
    const deadline = Date.now() + 15_000;
    while (!/GTMHUB_API_TOKEN=\S+/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const url = /GTMHUB_API_URL=(\S+)/.exec(output)?.[1];
    expect(output).toMatch(/GTMHUB_ACCOUNT_ID=64a000000000000000000001/);
    expect(output).toMatch(/GTMHUB_API_TOKEN=client-own-token/);
    const headers = { authorization: 'Bearer client-own-token', 'gtmhub-accountId': data.accountId };
    const metric = await (await fetch(`${url}/v1/metrics/64a0000000000000000000dd`, { headers })).json();
    expect(metric).toMatchObject({ id: '64a0000000000000000000dd', name: 'Client KR', goalId: '64a0000000000000000000cc', sessionId: '64a0000000000000000000bb' });
    const checkIn = await fetch(`${url}/v1/metrics/64a0000000000000000000dd/checkin`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ actual: 4 }),
    });
    expect(checkIn.status).toBe(201);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('npm run emulator with a data file', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'gtmhub-data-')), 'client.json');
  writeFileSync(file, JSON.stringify(data));

  it('--data FILE', async () => {
    await run(['--data', file, '--now', '2026-02-01T09:00:00Z'], {});
  });

  it('GTMHUB_EMULATOR_DATA=FILE', async () => {
    await run(['--now', '2026-02-01T09:00:00Z'], { GTMHUB_EMULATOR_DATA: file });
  });
});
