/**
 * The workspace's members as the app keeps them between users.list walks: only what matching and
 * planning read (id, email, time zone, real name, deleted and bot flags), in parallel arrays with
 * time zones interned, instead of one object per member and one per map entry. A 100,000-member
 * workspace costs a few MB; `SlackUser` objects are made only for the members asked for.
 */
import type { SlackMembers, SlackUser } from '../../services/ports.js';

const DELETED = 1;
const BOT = 2;

export class MemberList implements SlackMembers {
  private readonly ids: string[] = [];
  private readonly emails: Array<string | null> = [];
  private readonly names: Array<string | null> = [];
  private readonly zones: number[] = [];
  private readonly flags: number[] = [];
  private readonly zoneNames: Array<string | null> = [null];
  private readonly zoneIndex = new Map<string, number>();
  private readonly indexById = new Map<string, number>();
  /** Lower-cased email → member, for members who can be matched (neither deleted nor a bot). */
  private readonly indexByEmail = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  add(user: SlackUser): void {
    const at = this.indexById.get(user.slackUserId) ?? this.ids.length;
    this.ids[at] = user.slackUserId;
    this.emails[at] = user.email;
    this.names[at] = user.realName;
    this.zones[at] = this.zoneOf(user.tz);
    this.flags[at] = (user.deleted ? DELETED : 0) | (user.isBot ? BOT : 0);
    this.indexById.set(user.slackUserId, at);
    if (user.email && !user.deleted && !user.isBot) this.indexByEmail.set(user.email.toLowerCase(), at);
  }

  get(slackUserId: string): SlackUser | undefined {
    const at = this.indexById.get(slackUserId);
    return at === undefined ? undefined : this.userAt(at);
  }

  /** The member who can be matched with this email (case-insensitive): neither deleted nor a bot. */
  byEmail(email: string): SlackUser | undefined {
    const at = this.indexByEmail.get(email.toLowerCase());
    return at === undefined ? undefined : this.userAt(at);
  }

  private zoneOf(tz: string | null): number {
    if (tz === null) return 0;
    let index = this.zoneIndex.get(tz);
    if (index === undefined) {
      index = this.zoneNames.length;
      this.zoneNames.push(tz);
      this.zoneIndex.set(tz, index);
    }
    return index;
  }

  private userAt(at: number): SlackUser {
    const flags = this.flags[at]!;
    return {
      slackUserId: this.ids[at]!,
      email: this.emails[at]!,
      tz: this.zoneNames[this.zones[at]!]!,
      realName: this.names[at]!,
      isBot: (flags & BOT) !== 0,
      deleted: (flags & DELETED) !== 0,
    };
  }
}
