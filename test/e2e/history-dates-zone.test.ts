/**
 * A key result's history dates its check-ins in the viewer's own time zone (their Slack profile's),
 * not in UTC: a check-in at 23:30 UTC on Monday 9 March was made on Tuesday 10 March in Tokyo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { historyView } from '../../src/slack/blocks/key-result-manage.js';
import { smallAccount, USERS } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const TOKYO = 'UANA00001';
const UTC_PERSON = 'UBEN00001';

describe('history dates', () => {
  it('are the viewer’s calendar days: Tokyo sees 10 March for 23:30 UTC on 9 March, someone without a zone sees 9 March', async () => {
    const account = smallAccount();
    const nps = account.metrics.nps!;
    const metric = account.data.metrics.find((m) => m.id === nps)!;
    metric.metricHistory = [{ changedBy: USERS.ana, comment: 'Late-night survey', createdAt: '2026-03-09T23:30:00.000Z', value: 31 }];
    harness = await startHarness({
      gtmhub: { data: account.data },
      slackUsers: [
        { id: TOKYO, name: 'ana', realName: 'Ana Novak', email: 'ana@acme.example', tz: 'Asia/Tokyo' },
        { id: UTC_PERSON, name: 'ben', realName: 'Ben Okafor', email: 'ben@acme.example', tz: 'UTC' },
      ],
    });
    const history = harness.server.services.keyResultAdmin.history;
    const inTokyo = JSON.stringify(historyView(await history.view(TOKYO, nps)).blocks);
    expect(inTokyo).toContain('Late-night survey');
    expect(inTokyo).toContain('Tue, 10 Mar 2026');
    expect(inTokyo).not.toContain('9 Mar 2026');
    const inUtc = JSON.stringify(historyView(await history.view(UTC_PERSON, nps)).blocks);
    expect(inUtc).toContain('Mon, 9 Mar 2026');
  });
});
