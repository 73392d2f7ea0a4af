/**
 * One users.list walk under way: the members read so far, and the lookups waiting for a member the
 * walk has not reached yet. A waiting lookup is answered as soon as its member's page arrives, or
 * when the walk ends (finished: the member is not listed; failed: the caller looks them up itself).
 */
import type { SlackUser } from '../../services/ports.js';
import { MemberList } from './member-list.js';

/** What the list says about a member: found, not listed (null), or no answer because the walk failed (undefined). */
export type Listed = SlackUser | null | undefined;

export class MemberWalk {
  readonly list = new MemberList();
  private state: 'walking' | 'finished' | 'failed' = 'walking';
  /** Lookups waiting, by `email:<lower-cased email>` or `id:<user id>`. */
  private readonly waiting = new Map<string, Array<() => void>>();

  get finished(): boolean {
    return this.state === 'finished';
  }

  add(user: SlackUser): void {
    this.list.add(user);
    if (this.waiting.size === 0) return;
    this.wake(`id:${user.slackUserId}`);
    if (user.email) this.wake(`email:${user.email.toLowerCase()}`);
  }

  end(outcome: 'finished' | 'failed'): void {
    this.state = outcome;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const resolvers of waiting) for (const resolve of resolvers) resolve();
  }

  byEmail(email: string): Promise<Listed> {
    const lower = email.toLowerCase();
    return this.lookUp(`email:${lower}`, () => this.list.byEmail(lower));
  }

  byId(slackUserId: string): Promise<Listed> {
    return this.lookUp(`id:${slackUserId}`, () => this.list.get(slackUserId));
  }

  private async lookUp(key: string, find: () => SlackUser | undefined): Promise<Listed> {
    for (;;) {
      const found = find();
      // A member read before the walk failed is as fresh as any: only the rest need a lookup of their own.
      if (found) return found;
      if (this.state === 'finished') return null;
      if (this.state === 'failed') return undefined;
      await new Promise<void>((resolve) => {
        const resolvers = this.waiting.get(key);
        if (resolvers) resolvers.push(resolve);
        else this.waiting.set(key, [resolve]);
      });
    }
  }

  private wake(key: string): void {
    const resolvers = this.waiting.get(key);
    if (!resolvers) return;
    this.waiting.delete(key);
    for (const resolve of resolvers) resolve();
  }
}
