import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Generates Slack-shaped identifiers; message timestamps are unique and strictly increasing. */
export class IdFactory {
  private lastMicros = 0;
  private counter = 0;

  constructor(private readonly now: () => number) {}

  /** A message `ts` like `1712345678.000123`, derived from the emulator clock. */
  messageTs(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  viewId(): string {
    return `V${randomString(ALPHANUMERIC, 10)}`;
  }

  viewHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  triggerId(teamNumber: string): string {
    return `${Math.floor(this.now() / 1000)}${++this.counter}.${teamNumber}.${randomBytes(16).toString('hex')}`;
  }

  eventId(): string {
    return `Ev${randomString(ALPHANUMERIC, 10)}`;
  }

  /** Slack fills in a short random `block_id` / `action_id` where the app gave none. */
  shortId(): string {
    return randomString(MIXED, 5);
  }

  secret(): string {
    return randomString(MIXED, 24);
  }

  channelId(prefix: 'C' | 'G'): string {
    return `${prefix}${randomString(ALPHANUMERIC, 10)}`;
  }

  sequence(): number {
    return ++this.counter;
  }
}
