import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

describe('npm run emulator (main.ts)', () => {
  it('prints its URL, account and tokens, serves the demo data and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/gtmhub/main.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    try {
      const deadline = Date.now() + 15_000;
      while (!/GTMHUB_API_TOKEN=\S+/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      const url = /GTMHUB_API_URL=(\S+)/.exec(output)?.[1];
      const accountId = /GTMHUB_ACCOUNT_ID=(\S+)/.exec(output)?.[1];
      const token = /GTMHUB_API_TOKEN=(\S+)/.exec(output)?.[1];
      expect(url, output).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
      expect(output).toContain("--data-urlencode 'filter={name: {$in: [\"sales\", \"marketing\"]}}'");

      const query = new URLSearchParams({ filter: '{name: {$in: ["sales", "marketing"]}}', sort: '-name,dateCreated', fields: 'name' });
      const response = await fetch(`${url}/v2/metrics?${query}`, { headers: { authorization: `Bearer ${token}`, 'gtmhub-accountId': accountId! } });
      expect(await response.json()).toMatchObject({ totalCount: 2, items: [{ name: 'sales' }, { name: 'marketing' }] });

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(output).toContain('SIGTERM: stopping the emulator');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
