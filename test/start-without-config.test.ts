import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('starting without configuration', () => {
  it('exits non-zero naming every missing variable and pointing to .env.example and the README', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kr-noconfig-'));
    const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(process.cwd(), 'src/index.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', GTMHUB_API_TOKEN: 'super-secret-value', GTMHUB_ACCOUNT_ID: 'nope' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SLACK_BOT_TOKEN is missing');
    expect(result.stderr).toContain('SLACK_SIGNING_SECRET is missing');
    expect(result.stderr).toContain('GTMHUB_ACCOUNT_ID is invalid');
    expect(result.stderr).toContain('.env.example');
    expect(result.stderr).toContain('README.md');
    expect(result.stderr + result.stdout).not.toContain('super-secret-value');
  });
});
