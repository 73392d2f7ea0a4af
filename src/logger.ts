import { pino, type Logger } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { escapeRegExp } from './gtmhub/query.js';

export type { Logger };

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'apiToken',
  '*.apiToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'headers["x-slack-signature"]',
];

/** Secrets recognisable by their shape, wherever they appear: messages, stacks, nested data. */
const SECRET_SHAPES = [/\bxox[abeprs]-[A-Za-z0-9-]+/g, /\bxapp-[A-Za-z0-9-]+/g, /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi];
/** A configured secret shorter than this is not looked for: it would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces every token-shaped string and every configured secret in a serialized log line. It runs
 * on the final JSON, so it also reaches what paths cannot: an error's message and stack, and data a
 * library attached to it. Secrets are matched as they appear inside a JSON string (escaped).
 */
export function secretScrubber(secrets: ReadonlyArray<string | null | undefined> = []): (line: string) => string {
  const configured = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))]
    .map((s) => JSON.stringify(s).slice(1, -1))
    .sort((a, b) => b.length - a.length);
  const configuredPattern = configured.length > 0 ? new RegExp(configured.map(escapeRegExp).join('|'), 'g') : null;
  return (line) => {
    let out = configuredPattern ? line.replace(configuredPattern, '[redacted]') : line;
    for (const shape of SECRET_SHAPES) out = out.replace(shape, (_match, bearer?: string) => (typeof bearer === 'string' ? `${bearer} [redacted]` : '[redacted]'));
    return out;
  };
}

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
  /** Configured secrets (Gtmhub token, signing secret, Slack tokens) to scrub from every line. */
  secrets?: ReadonlyArray<string | null | undefined>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (process.env.NODE_ENV === 'development' && process.stdout.isTTY);
  const base = {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { app: 'kr-checkin' },
    hooks: { streamWrite: secretScrubber(options.secrets) },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}

const boltLevelToPino: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Bolt's logger interface takes varargs and a settable level; pino takes an object then a message. */
export function boltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: 'bolt' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error', args: unknown[]) => {
    // Bolt logs debug lines with objects on every request: serializing them for a disabled level is wasted work.
    if (!child.isLevelEnabled(level)) return;
    const error = args.find((a): a is Error => a instanceof Error);
    const message = args.filter((a) => !(a instanceof Error)).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    if (error) child[level]({ err: error }, message || error.message);
    else child[level](message);
  };
  return {
    debug: (...args) => write('debug', args),
    info: (...args) => write('info', args),
    warn: (...args) => write('warn', args),
    error: (...args) => write('error', args),
    setLevel: (level) => {
      child.level = boltLevelToPino[level] ?? 'info';
    },
    getLevel: () => {
      const entry = Object.entries(boltLevelToPino).find(([, pinoLevel]) => pinoLevel === child.level);
      return (entry?.[0] as LogLevel | undefined) ?? LogLevel.INFO;
    },
    setName: (name) => {
      child = logger.child({ component: name });
    },
  };
}
