import { beforeEach, describe, expect, it } from 'vitest';
import type { OwnerLink, Store } from '../../../src/store/store.js';
import type { StoreBackend } from './backend.js';

const GTMHUB_ANA = '64b000000000000000000001';
const GTMHUB_BO = '64b000000000000000000002';

function link(overrides: Partial<OwnerLink> = {}): OwnerLink {
  return {
    slackUserId: 'U0001',
    gtmhubUserId: GTMHUB_ANA,
    email: 'ana@example.com',
    source: 'email',
    linkedBy: null,
    createdAt: new Date('2026-03-01T10:00:00.000Z'),
    expiresAt: new Date('2026-03-02T10:00:00.000Z'),
    ...overrides,
  };
}

export function ownersContract(backend: StoreBackend): void {
  describe(`${backend.name} owner links and Slack profiles`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await (await backend.freshDatabase()).open();
    });

    it('returns null for a Slack user without a link, and the link as stored otherwise', async () => {
      expect(await store.getOwnerLink('U0001')).toBeNull();
      await store.putOwnerLink(link());
      expect(await store.getOwnerLink('U0001')).toEqual(link());
    });

    it('keeps a manual link without expiry and who made it', async () => {
      const manual = link({ source: 'manual', linkedBy: 'UADMIN', expiresAt: null, email: null });
      await store.putOwnerLink(manual);
      expect(await store.getOwnerLink('U0001')).toEqual(manual);
    });

    it('replaces the link of a Slack user on put (a manual link overrides an email match)', async () => {
      await store.putOwnerLink(link());
      const manual = link({ gtmhubUserId: GTMHUB_BO, source: 'manual', linkedBy: 'UADMIN', expiresAt: null });
      await store.putOwnerLink(manual);
      expect(await store.getOwnerLink('U0001')).toEqual(manual);
      expect(await store.findOwnerLinksByGtmhubUser(GTMHUB_ANA)).toEqual([]);
    });

    it('finds every Slack user linked to a Gtmhub user, manual links first, expired ones included', async () => {
      const expired = link({ slackUserId: 'U0002', createdAt: new Date('2026-01-01T00:00:00Z'), expiresAt: new Date('2026-01-02T00:00:00Z') });
      const email = link({ slackUserId: 'U0003' });
      const manual = link({ slackUserId: 'U0004', source: 'manual', linkedBy: 'UADMIN', expiresAt: null, createdAt: new Date('2025-12-01T00:00:00Z') });
      const other = link({ slackUserId: 'U0005', gtmhubUserId: GTMHUB_BO });
      for (const l of [expired, email, manual, other]) await store.putOwnerLink(l);

      expect(await store.findOwnerLinksByGtmhubUser(GTMHUB_ANA)).toEqual([manual, email, expired]);
      expect(await store.findOwnerLinksByGtmhubUser(GTMHUB_BO)).toEqual([other]);
      expect(await store.findOwnerLinksByGtmhubUser('64b0000000000000000000ff')).toEqual([]);
    });

    it('deletes a link and says whether there was one', async () => {
      await store.putOwnerLink(link());
      expect(await store.deleteOwnerLink('U0001')).toBe(true);
      expect(await store.getOwnerLink('U0001')).toBeNull();
      expect(await store.deleteOwnerLink('U0001')).toBe(false);
    });

    it('stores and replaces Slack profiles, nulls included', async () => {
      expect(await store.getSlackProfile('U0001')).toBeNull();
      const first = { slackUserId: 'U0001', email: 'ana@example.com', tz: 'Europe/Sofia', realName: 'Ana Petrova', fetchedAt: new Date('2026-03-01T10:00:00.123Z') };
      await store.putSlackProfile(first);
      expect(await store.getSlackProfile('U0001')).toEqual(first);
      const second = { slackUserId: 'U0001', email: null, tz: null, realName: null, fetchedAt: new Date('2026-03-02T10:00:00Z') };
      await store.putSlackProfile(second);
      expect(await store.getSlackProfile('U0001')).toEqual(second);
    });

    it('refuses an invalid date instead of storing garbage', async () => {
      await expect(store.putOwnerLink(link({ createdAt: new Date('not a date') }))).rejects.toThrow(RangeError);
    });
  });
}
