/** Where a key result's link comes from: Gtmhub's own `url`, else an explicitly configured web app base, else nowhere. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { keyResultUrl } from '../../src/gtmhub/links.js';

const metric = { id: 'cccccccccccccccccccccccc', goalId: 'bbbbbbbbbbbbbbbbbbbbbbbb', sessionId: 'aaaaaaaaaaaaaaaaaaaaaaaa' };
const env = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'shhh-very-secret',
  GTMHUB_API_TOKEN: 'gtmhub-secret-token',
  GTMHUB_ACCOUNT_ID: '5be26318e5274a0007f17f61',
};

describe('keyResultUrl', () => {
  it("uses the metric's own url first, whatever is configured", () => {
    const url = 'https://acme.gtmhub.com/#/goals/aaaaaaaaaaaaaaaaaaaaaaaa/all/bbbbbbbbbbbbbbbbbbbbbbbb/metrics/metric/cccccccccccccccccccccccc/';
    expect(keyResultUrl({ ...metric, url }, 'https://other.example/')).toBe(url);
    expect(keyResultUrl({ ...metric, url }, undefined)).toBe(url);
  });

  it('builds the real link shape only from a configured web app base', () => {
    expect(keyResultUrl(metric, 'https://acme.gtmhub.com')).toBe(
      'https://acme.gtmhub.com/#/goals/aaaaaaaaaaaaaaaaaaaaaaaa/all/bbbbbbbbbbbbbbbbbbbbbbbb/metrics/metric/cccccccccccccccccccccccc/',
    );
    expect(keyResultUrl(metric, 'https://acme.gtmhub.com/')).toBe(keyResultUrl(metric, 'https://acme.gtmhub.com'));
  });

  it('gives no link without a url and without a configured base (or without the session a link needs)', () => {
    expect(keyResultUrl(metric, undefined)).toBeUndefined();
    expect(keyResultUrl({ ...metric, url: '' }, undefined)).toBeUndefined();
    expect(keyResultUrl({ ...metric, url: 'javascript:alert(1)' }, undefined)).toBeUndefined();
    expect(keyResultUrl({ id: metric.id, goalId: metric.goalId }, 'https://acme.gtmhub.com')).toBeUndefined();
  });
});

describe('GTMHUB_APP_URL', () => {
  it('is unset unless configured: never derived from GTMHUB_API_URL', () => {
    expect(loadConfig(env).gtmhubAppUrl).toBeUndefined();
    expect(loadConfig({ ...env, GTMHUB_API_URL: 'https://app.us.quantive.com/results/api' }).gtmhubAppUrl).toBeUndefined();
    expect(loadConfig({ ...env, GTMHUB_APP_URL: 'https://acme.gtmhub.com/' }).gtmhubAppUrl).toBe('https://acme.gtmhub.com/');
  });
});
