import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { startSlackEmulator, type SlackEmulator, type SlackEmulatorOptions } from '../../../src/emulator/slack/index.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test';

export const ALICE = 'UALICE001';
export const BOB = 'UBOB00001';
export const CAROL = 'UCAROL001';
export const GONE = 'UGONE0001';
export const GENERAL = 'CGENERAL1';
export const RANDOM = 'CRANDOM01';
export const SECRET = 'GSECRET01';
export const HIDDEN = 'GHIDDEN01';
export const OLD = 'COLD00001';

export const fixtureOptions = (extra: Partial<SlackEmulatorOptions> = {}): SlackEmulatorOptions => ({
  signingSecret: SIGNING_SECRET,
  botToken: BOT_TOKEN,
  team: { id: 'T0TEST001', name: 'Test Team', domain: 'test-team' },
  users: [
    { id: ALICE, name: 'alice', realName: 'Alice Archer', email: 'alice@example.com', tz: 'Europe/Berlin', isAdmin: true },
    { id: BOB, name: 'bob', realName: 'Bob Baker', email: 'bob@example.com', tz: 'America/New_York' },
    { id: CAROL, name: 'carol', realName: 'Carol Cole', email: null },
    { id: GONE, name: 'gone', realName: 'Gone User', email: 'gone@example.com', deleted: true },
  ],
  channels: [
    { id: GENERAL, name: 'general', members: [ALICE, BOB, CAROL, 'UBOT0001'] },
    { id: RANDOM, name: 'random', members: [ALICE, BOB] },
    { id: SECRET, name: 'secret', members: [ALICE, 'UBOT0001'], isPrivate: true },
    { id: HIDDEN, name: 'hidden', members: [ALICE, BOB], isPrivate: true },
    { id: OLD, name: 'old', members: [ALICE, 'UBOT0001'], isArchived: true },
  ],
  ...extra,
});

/** WebClient logs Slack's `response_metadata.messages` as errors; the tests assert on them instead. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export function webClient(emulator: SlackEmulator, token: string = BOT_TOKEN): WebClient {
  return new WebClient(token, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
}

/** The Slack error code of a failed WebClient call. */
export async function slackError(call: Promise<unknown>): Promise<{ error: string; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: Record<string, unknown> }).data;
    if (data && typeof data.error === 'string') return { error: data.error, data };
    throw error;
  }
  throw new Error('expected the call to fail');
}

export { startSlackEmulator };
