import type { Clock } from '../../clock.js';
import { GtmhubBadRequestError } from '../../gtmhub/errors.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import { chunk, escapeRegExp } from '../../gtmhub/query.js';
import type { User } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import { mapLimited } from '../bounded.js';

/** Ids or emails per `$in` filter: keeps every request URL well under common 8 KB limits. */
const PER_REQUEST = 40;
const FIELDS = 'id,email,firstName,lastName';
/** Batches asked at once: a channel of 500 is 13 batches, and nothing waits on their order. */
const BATCHES_AT_ONCE = 4;

export interface GtmhubUsersOptions {
  gtmhub: Pick<GtmhubClient, 'listUsers'>;
  clock: Clock;
  logger: Logger;
  ttlMs?: number;
}

/**
 * Gtmhub users in bulk, for the people service: by id (a key result's owners, whose list items
 * may carry no email) and by email (a channel's members), in batches of `$in` filters and cached —
 * never one request per person.
 */
export class GtmhubUsers {
  private readonly byId = new Map<string, { user: User | null; at: number }>();
  private readonly ttlMs: number;

  constructor(private readonly options: GtmhubUsersOptions) {
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  }

  /** The users with these ids that Gtmhub knows. */
  async byIds(ids: Iterable<string>): Promise<Map<string, User>> {
    const now = this.options.clock.now().getTime();
    const wanted = [...new Set(ids)];
    const missing = wanted.filter((id) => {
      const cached = this.byId.get(id);
      return !cached || now - cached.at >= this.ttlMs;
    });
    await mapLimited(chunk(missing, PER_REQUEST), BATCHES_AT_ONCE, async (batch) => {
      const { items } = await this.options.gtmhub.listUsers({ fields: FIELDS, filter: { _id: { $in: batch } }, limit: batch.length });
      for (const id of batch) this.byId.set(id, { user: null, at: now });
      for (const user of items) this.byId.set(user.id, { user, at: now });
    });
    const found = new Map<string, User>();
    for (const id of wanted) {
      const user = this.byId.get(id)?.user;
      if (user) found.set(id, user);
    }
    return found;
  }

  /**
   * Users by email, keyed by the lower-cased email. The documented equality (`$in`) first, as given and
   * lower-cased; a case-insensitive regex only for what is left, and only where the server supports it.
   */
  async byEmails(emails: Iterable<string>): Promise<Map<string, User>> {
    const wanted = new Map<string, string>();
    for (const email of emails) {
      const trimmed = email.trim();
      if (trimmed) wanted.set(trimmed.toLowerCase(), trimmed);
    }
    const found = new Map<string, User>();
    const take = (users: User[]) => {
      for (const user of users) {
        const key = user.email?.trim().toLowerCase();
        if (key && wanted.has(key)) found.set(key, user);
      }
    };
    // Each email is in one batch only, so the batches' answers may arrive in any order.
    await mapLimited(chunk([...wanted], PER_REQUEST), BATCHES_AT_ONCE, async (batch) => {
      const variants = [...new Set(batch.flatMap(([lower, given]) => [given, lower]))];
      take((await this.options.gtmhub.listUsers({ fields: FIELDS, filter: { email: { $in: variants } }, limit: variants.length })).items);
    });
    const left = [...wanted.keys()].filter((key) => !found.has(key));
    try {
      for (const batch of chunk(left, PER_REQUEST)) {
        const pattern = `^(${batch.map(escapeRegExp).join('|')})$`;
        take((await this.options.gtmhub.listUsers({ fields: FIELDS, filter: { email: { $regex: pattern, $options: 'i' } }, limit: batch.length * 2 })).items);
      }
    } catch (error) {
      if (!(error instanceof GtmhubBadRequestError)) throw error;
      this.options.logger.info({ err: error }, 'case-insensitive email search not supported; exact matches only');
    }
    return found;
  }
}
