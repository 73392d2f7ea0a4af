import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'shhh-very-secret',
  GTMHUB_API_TOKEN: 'gtmhub-secret-token',
  GTMHUB_ACCOUNT_ID: '5be26318e5274a0007f17f61',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('names every missing variable at once', () => {
    const problems = problemsOf({});
    expect(problems.join('\n')).toMatch(/SLACK_BOT_TOKEN is missing/);
    expect(problems.join('\n')).toMatch(/SLACK_SIGNING_SECRET is missing/);
    expect(problems.join('\n')).toMatch(/GTMHUB_API_TOKEN is missing/);
    expect(problems.join('\n')).toMatch(/GTMHUB_ACCOUNT_ID is missing/);
    expect(problems).toHaveLength(4);
  });

  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.slack.mode).toBe('http');
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.gtmhub.apiUrl).toBe('https://app.gtmhub.com/api');
    expect(config.databaseUrl).toBe('file:./data/kr-checkin.db');
    expect(config.databasePoolSize).toBe(10);
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.adminSlackUserIds).toEqual([]);
    expect(config.peopleCacheTtlMs).toBe(24 * 3_600_000);
  });

  it('selects Socket Mode when SLACK_APP_TOKEN is set, and then needs no signing secret', () => {
    const { SLACK_SIGNING_SECRET: _omit, ...rest } = valid;
    const config = loadConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(config.slack.mode).toBe('socket');
  });

  it('reports invalid values without printing secrets', () => {
    const env = {
      ...valid,
      SLACK_BOT_TOKEN: 'not-a-bot-token-secret-value',
      GTMHUB_ACCOUNT_ID: 'xyz',
      PORT: 'eighty',
      GTMHUB_API_URL: 'https://app.gtmhub.com/api/v2',
      DATABASE_URL: 'mysql://x',
      ADMIN_SLACK_USER_IDS: 'U123ABC, bob',
      LOG_LEVEL: 'loud',
    };
    let message = '';
    try {
      loadConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SLACK_BOT_TOKEN is invalid/);
    expect(message).toMatch(/GTMHUB_ACCOUNT_ID is invalid/);
    expect(message).toMatch(/PORT must be/);
    expect(message).toMatch(/GTMHUB_API_URL must not include the API version/);
    expect(message).toMatch(/DATABASE_URL must be/);
    expect(message).toMatch(/ADMIN_SLACK_USER_IDS .*bob/);
    expect(message).toMatch(/LOG_LEVEL must be/);
    expect(message).toMatch(/\.env\.example/);
    expect(message).not.toContain('not-a-bot-token-secret-value');
    expect(message).not.toContain('shhh-very-secret');
  });

  it('turns link previews on by default, off with UNFURL_LINKS=off, and refuses anything else', () => {
    expect(loadConfig(valid).unfurlLinks).toBe(true);
    expect(loadConfig({ ...valid, UNFURL_LINKS: 'off' }).unfurlLinks).toBe(false);
    expect(problemsOf({ ...valid, UNFURL_LINKS: 'maybe' })).toEqual(['UNFURL_LINKS must be on or off']);
  });

  it('reads one people cache TTL in hours and refuses what is not one', () => {
    expect(loadConfig({ ...valid, PEOPLE_CACHE_TTL_HOURS: '1.5' }).peopleCacheTtlMs).toBe(5_400_000);
    expect(problemsOf({ ...valid, PEOPLE_CACHE_TTL_HOURS: '0' }).join('\n')).toMatch(/PEOPLE_CACHE_TTL_HOURS must be/);
    expect(problemsOf({ ...valid, PEOPLE_CACHE_TTL_HOURS: 'a day' }).join('\n')).toMatch(/PEOPLE_CACHE_TTL_HOURS must be/);
  });

  it('refuses a GTMHUB_APP_URL that is not a web address (links to key results are built on it)', () => {
    expect(problemsOf({ ...valid, GTMHUB_APP_URL: 'acme.gtmhub.com' })).toEqual([expect.stringMatching(/^GTMHUB_APP_URL is not a valid http\(s\) URL/)]);
    expect(loadConfig({ ...valid, GTMHUB_APP_URL: 'https://acme.gtmhub.com' }).gtmhubAppUrl).toBe('https://acme.gtmhub.com');
  });

  it('parses admin ids and normalises URLs', () => {
    const config = loadConfig({ ...valid, ADMIN_SLACK_USER_IDS: 'U01ADMIN, U02OTHER', SLACK_API_URL: 'http://127.0.0.1:9/api', GTMHUB_API_URL: 'http://127.0.0.1:8/api/' });
    expect(config.adminSlackUserIds).toEqual(['U01ADMIN', 'U02OTHER']);
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9/api/');
    expect(config.gtmhub.apiUrl).toBe('http://127.0.0.1:8/api');
  });

  it('keeps history 30 days by default, takes OUTBOX_RETENTION_DAYS, and refuses one that is not a positive whole number of days', () => {
    expect(loadConfig(valid).retentionDays).toBe(30);
    expect(loadConfig({ ...valid, OUTBOX_RETENTION_DAYS: '90' }).retentionDays).toBe(90);
    for (const bad of ['0', '-3', '1.5', 'month', '3651']) {
      expect(problemsOf({ ...valid, OUTBOX_RETENTION_DAYS: bad })).toEqual(['OUTBOX_RETENTION_DAYS must be a whole number of days between 1 and 3650']);
    }
  });

  it('accepts a PostgreSQL URL and a pool size, and refuses a pool size that is not a positive whole number', () => {
    const config = loadConfig({ ...valid, DATABASE_URL: 'postgres://bot:pw@db:5432/kr?sslmode=require', DATABASE_POOL_SIZE: '25' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://bot:pw@db:5432/kr?sslmode=require', databasePoolSize: 25 });
    for (const bad of ['0', '-1', '2.5', 'ten', '1001']) {
      expect(problemsOf({ ...valid, DATABASE_POOL_SIZE: bad })).toEqual([
        'DATABASE_POOL_SIZE must be a whole number of PostgreSQL connections between 1 and 1000',
      ]);
    }
  });

  it('reads the job lease (failover time of the reminder pass and summary tick), renewed four times per lease', () => {
    expect(loadConfig(valid).jobLease).toEqual({ leaseMs: 60_000, renewEveryMs: 15_000 });
    expect(loadConfig({ ...valid, JOB_LEASE_MS: '2000' }).jobLease).toEqual({ leaseMs: 2000, renewEveryMs: 500 });
    for (const bad of ['999', '1.5', 'soon', '3600001']) {
      expect(problemsOf({ ...valid, JOB_LEASE_MS: bad })).toEqual([
        'JOB_LEASE_MS must be a whole number of milliseconds between 1000 and 3600000 (how soon another replica takes over the reminder pass of one that died)',
      ]);
    }
  });
});
