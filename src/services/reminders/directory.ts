/**
 * Slack people as reminders need them (email → user, time zone), from users.list: one paged walk
 * per hour serves every person of a pass, instead of one users.lookupByEmail (Tier 3) and one
 * users.info (Tier 4) per person.
 */
import type { Clock } from '../../clock.js';
import type { ReminderMessenger, WorkspaceMember } from './ports.js';

export interface DirectorySnapshot {
  byId: Map<string, WorkspaceMember>;
  byEmail: Map<string, WorkspaceMember>;
  loadedAt: number;
}

export class WorkspaceDirectory {
  private current: DirectorySnapshot | null = null;
  private loading: Promise<DirectorySnapshot> | null = null;
  private readonly timeZones = new Map<string, { tz: string | null; at: number }>();

  constructor(
    private readonly messenger: Pick<ReminderMessenger, 'listMembers' | 'timeZoneOf'>,
    private readonly clock: Clock,
    private readonly ttlMs = 60 * 60 * 1000,
  ) {}

  /** The cached member list, refreshed once it is older than the TTL (one walk at a time). */
  async snapshot(): Promise<DirectorySnapshot> {
    const now = this.clock.now().getTime();
    if (this.current && now - this.current.loadedAt < this.ttlMs) return this.current;
    this.loading ??= this.load(now).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(now: number): Promise<DirectorySnapshot> {
    const members = await this.messenger.listMembers();
    const byId = new Map<string, WorkspaceMember>();
    const byEmail = new Map<string, WorkspaceMember>();
    for (const member of members) {
      byId.set(member.slackUserId, member);
      if (member.email && !member.deleted && !member.isBot) byEmail.set(member.email.toLowerCase(), member);
    }
    this.current = { byId, byEmail, loadedAt: now };
    return this.current;
  }

  /** The person's time zone: from the member list when loaded, else users.info (cached for the TTL). */
  async timeZoneOf(slackUserId: string): Promise<string | null> {
    const member = this.current?.byId.get(slackUserId);
    if (member) return member.tz;
    const now = this.clock.now().getTime();
    const cached = this.timeZones.get(slackUserId);
    if (cached && now - cached.at < this.ttlMs) return cached.tz;
    const tz = await this.messenger.timeZoneOf(slackUserId);
    this.timeZones.set(slackUserId, { tz, at: now });
    return tz;
  }
}
