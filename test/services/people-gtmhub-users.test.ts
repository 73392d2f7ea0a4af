import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { fixedClock } from '../../src/clock.js';
import { startGtmhubEmulator, type GtmhubEmulator } from '../../src/emulator/gtmhub/index.js';
import { GtmhubClient } from '../../src/gtmhub/client.js';
import { GtmhubBadRequestError } from '../../src/gtmhub/errors.js';
import { createLogger } from '../../src/logger.js';
import { GtmhubUsers } from '../../src/services/people/gtmhub-users.js';
import { smallAccount, USERS } from '../support/fixtures.js';

let emulator: GtmhubEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function setUp() {
  emulator = await startGtmhubEmulator({ port: 0, data: smallAccount().data });
  const gtmhub = new GtmhubClient({ baseUrl: emulator.url, token: emulator.adminToken, accountId: emulator.accountId });
  const clock = fixedClock('2026-11-27T10:00:00Z');
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  return { people: new GtmhubUsers({ gtmhub, clock, logger }), clock, emulator };
}

const usersRequests = (e: GtmhubEmulator) => e.requests.filter((r) => r.path === '/api/v2/users').length;

describe('GtmhubUsers', () => {
  it('finds users by id in one batch and caches them, unknown ones too', async () => {
    const { people: directory, clock, emulator: e } = await setUp();
    const unknown = 'ff0000000000000000000000';
    const found = await directory.byIds([USERS.ana, USERS.ben, unknown]);
    expect([...found.keys()].sort()).toEqual([USERS.ana, USERS.ben].sort());
    expect(found.get(USERS.ana)?.email).toBe('ana@acme.example');
    expect(usersRequests(e)).toBe(1);
    await directory.byIds([USERS.ana, unknown]);
    expect(usersRequests(e)).toBe(1);
    clock.advance(2 * 3600_000);
    await directory.byIds([USERS.ana]);
    expect(usersRequests(e)).toBe(2);
  });

  it('finds users by email: exact first, case-insensitively for the rest', async () => {
    const { people: directory, emulator: e } = await setUp();
    // Ben is stored as Ben@Acme.example: no exact match for the lower-cased address.
    const found = await directory.byEmails(['ANA@acme.example', 'ben@acme.example', 'nobody@acme.example']);
    expect(found.get('ana@acme.example')?.id).toBe(USERS.ana);
    expect(found.get('ben@acme.example')?.id).toBe(USERS.ben);
    expect(found.has('nobody@acme.example')).toBe(false);
    expect(usersRequests(e)).toBe(2);
  });

  it('keeps the exact matches when the server refuses the case-insensitive search', async () => {
    const { emulator: e } = await setUp();
    const client = new GtmhubClient({ baseUrl: e.url, token: e.adminToken, accountId: e.accountId });
    // A server that knows only the documented operators: a regex filter is a 400.
    const strict: Pick<GtmhubClient, 'listUsers'> = {
      listUsers: (options) =>
        JSON.stringify(options?.filter ?? {}).includes('$regex')
          ? Promise.reject(new GtmhubBadRequestError({ method: 'GET', path: '/v2/users', status: 400, gtmhubMessage: 'unknown operator $regex' }))
          : client.listUsers(options),
    };
    const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
    const strictPeople = new GtmhubUsers({ gtmhub: strict, clock: fixedClock('2026-11-27T10:00:00Z'), logger });
    const found = await strictPeople.byEmails(['cleo@acme.example', 'ben@acme.example']);
    expect([...found.keys()]).toEqual(['cleo@acme.example']);
  });
});
