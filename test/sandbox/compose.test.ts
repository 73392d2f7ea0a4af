import { describe, expect, it } from 'vitest';
// @ts-expect-error The sandbox page's own module, plain JavaScript served to the browser.
import { commandText, matchingPeople, mentionQuery, messageText } from '../../src/sandbox/public/compose.js';

const people = [
  { id: 'UBEN00001', realName: 'Ben Okafor', name: 'ben' },
  { id: 'UBEA00001', realName: 'Beatrice Lind', name: 'bea' },
  { id: 'UANA00001', realName: 'Ana Novak', name: 'ana' },
];

describe('the sandbox composer formats a message as the Slack client does (issue 13 item 11)', () => {
  it('turns a picked mention into <@U…>, bare links into <url>, and escapes the rest', () => {
    const mentions = [{ label: '@Ben Okafor', id: 'UBEN00001' }];
    expect(messageText('Thanks @Ben Okafor, see https://acme.gtmhub.com/#/goals/a/all/b/metrics/metric/c/ & <b>', mentions)).toBe(
      'Thanks <@UBEN00001>, see <https://acme.gtmhub.com/#/goals/a/all/b/metrics/metric/c/> &amp; &lt;b&gt;',
    );
    // A label the person deleted again is not a mention; an @ typed by hand stays text.
    expect(messageText('@ana said so', mentions)).toBe('@ana said so');
    expect(messageText('see http://x.example/a?b=1&c=2.', [])).toBe('see <http://x.example/a?b=1&c=2>.');
  });

  it('sends a command mention as the handle, as Slack does for commands that do not escape users', () => {
    expect(commandText('/invite @kr-checkin', [{ label: '@kr-checkin', id: 'UBOT' }], (id: string) => (id === 'UBOT' ? 'kr-checkin' : undefined))).toBe('/invite @kr-checkin');
    expect(commandText('/kr whoami @Ben Okafor', [{ label: '@Ben Okafor', id: 'UBEN00001' }], () => 'ben')).toBe('/kr whoami @ben');
  });

  it('finds the @query before the caret and the people it matches', () => {
    expect(mentionQuery('Thanks @be', 10)).toEqual({ start: 7, query: 'be' });
    expect(mentionQuery('mail me@example', 15)).toBeNull();
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(matchingPeople(people, 'be').map((p: { id: string }) => p.id)).toEqual(['UBEN00001', 'UBEA00001']);
    expect(matchingPeople(people, 'oka').map((p: { id: string }) => p.id)).toEqual(['UBEN00001']);
    expect(matchingPeople(people, 'zz')).toEqual([]);
  });
});
