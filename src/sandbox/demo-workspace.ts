/**
 * The Slack side of the sandbox: one person per Gtmhub demo user with the same email (so the app
 * maps them the way it maps real people), one person Gtmhub does not know, and channels with and
 * without the bot.
 */
import type { EmulatorChannelSeed, EmulatorUserSeed } from '../emulator/slack/index.js';
import type { EmulatorUser } from '../emulator/gtmhub/index.js';

export const SANDBOX_SIGNING_SECRET = 'sandbox-signing-secret';
export const SANDBOX_BOT_TOKEN = 'xoxb-sandbox';
export const SANDBOX_TEAM = { id: 'TSANDBOX1', name: 'Acme (sandbox)', domain: 'acme-sandbox' };

/** Someone with a Slack account but no Gtmhub user: shows the "no Gtmhub user" message. */
export const UNMAPPED_PERSON: EmulatorUserSeed = { id: 'UZOE00001', name: 'zoe', realName: 'Zoe Unmapped', email: 'zoe@elsewhere.example', tz: 'Europe/London' };

const ZONES = ['Europe/Berlin', 'America/New_York', 'Europe/Lisbon', 'Asia/Kolkata', 'Europe/Stockholm', 'Europe/Berlin', 'Asia/Seoul', 'Europe/Paris', 'America/Los_Angeles', 'Europe/Oslo'];

function slackIdFor(user: EmulatorUser, index: number): string {
  const base = (user.firstName ?? user.email ?? `user${index}`).toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 6);
  return `U${base.padEnd(7, '0')}1`;
}

export interface DemoWorkspace {
  users: EmulatorUserSeed[];
  channels: EmulatorChannelSeed[];
  /** The one demo admin (ADMIN_SLACK_USER_IDS). */
  adminId: string;
}

/** Slack people for the Gtmhub users (same emails), the unmapped person, and the channels. */
export function demoWorkspace(gtmhubUsers: readonly EmulatorUser[], botUserId: string): DemoWorkspace {
  const mapped: EmulatorUserSeed[] = gtmhubUsers
    .filter((u) => u.email)
    .map((u, i) => ({
      id: slackIdFor(u, i),
      name: u.email!.split('@')[0]!,
      realName: [u.firstName, u.lastName].filter(Boolean).join(' ') || u.email!,
      email: u.email!,
      tz: ZONES[i % ZONES.length]!,
    }));
  const users = [...mapped, UNMAPPED_PERSON];
  const adminId = mapped[0]?.id ?? UNMAPPED_PERSON.id;
  const byName = (names: string[]) => mapped.filter((u) => names.includes(u.name)).map((u) => u.id);
  const channels: EmulatorChannelSeed[] = [
    { id: 'CGENERAL01', name: 'general', members: [...users.map((u) => u.id), botUserId] },
    { id: 'CSALES0001', name: 'sales', members: [...byName(['ana', 'ben', 'carla', 'dev', 'hugo']), botUserId] },
    // Without the bot: a summary here explains why it cannot be posted.
    { id: 'CRANDOM001', name: 'random', members: users.map((u) => u.id) },
  ];
  return { users, channels, adminId };
}
