import { validate as validateCron } from 'node-cron';
import type { ReminderRules } from './services/reminders/planner.js';
import { parseSchedule, parseWorkingTime, ScheduleFormatError } from './services/reminders/schedule.js';
import { isGtmhubId } from './gtmhub/ids.js';
import type { JobLeaseSettings } from './scheduler/job-lease.js';
export type SlackMode = 'http' | 'socket';

export interface Config {
  slack: {
    mode: SlackMode;
    signingSecret: string | undefined;
    botToken: string;
    appToken: string | undefined;
    apiUrl: string;
  };
  gtmhub: {
    apiUrl: string;
    apiToken: string;
    accountId: string;
    timeoutMs: number;
  };
  databaseUrl: string;
  /** PostgreSQL connections per process (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  port: number;
  adminSlackUserIds: string[];
  /** How long an email match, a Slack profile and a Gtmhub user are trusted (PEOPLE_CACHE_TTL_HOURS). */
  peopleCacheTtlMs: number;
  logLevel: string;
  /** GTMHUB_APP_URL: the web app base for links the API does not give; unset = no built links. */
  gtmhubAppUrl: string | undefined;
  /** Link previews of pasted Gtmhub links (UNFURL_LINKS). */
  unfurlLinks: boolean;
  /** node-cron schedule of the channel-summary tick (SUMMARY_TICK). */
  summaryTick: string;
  /** OUTBOX_RETENTION_DAYS: finished check-ins and other history are deleted after this many days. */
  retentionDays: number;
  /** Reminder DMs: REMINDER_TICK, REMINDER_DEFAULT_SCHEDULE, WORKING_HOURS, WORKING_DAYS, REMINDER_FOLLOW_UP. */
  reminders: ReminderRules & { tick: string };
  /** JOB_LEASE_MS: how long a replica's hold on the reminder pass or summary tick lasts unrenewed (failover time). */
  jobLease: JobLeaseSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      [
        `kr-checkin cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}:`,
        ...problems.map((p) => `  - ${p}`),
        'Copy .env.example to .env (or set these variables in your environment); README.md explains each one.',
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function validUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Reads the configuration contract of DESIGN.md from `env`. Collects every problem before failing,
 * and never puts a secret's value into a message.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const appToken = present(env, 'SLACK_APP_TOKEN');
  const mode: SlackMode = appToken ? 'socket' : 'http';
  const signingSecret = present(env, 'SLACK_SIGNING_SECRET');
  const botToken = present(env, 'SLACK_BOT_TOKEN');
  if (!botToken) problems.push('SLACK_BOT_TOKEN is missing (the bot token, xoxb-…, from your Slack app\'s "OAuth & Permissions" page)');
  else if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN is invalid: a bot token starts with "xoxb-"');
  if (mode === 'http' && !signingSecret) {
    problems.push('SLACK_SIGNING_SECRET is missing (required in HTTP mode; "Basic Information" → "Signing Secret")');
  }
  if (appToken && !appToken.startsWith('xapp-')) problems.push('SLACK_APP_TOKEN is invalid: an app-level token starts with "xapp-"');

  const slackApiUrl = present(env, 'SLACK_API_URL') ?? 'https://slack.com/api/';
  if (!validUrl(slackApiUrl)) problems.push('SLACK_API_URL is not a valid http(s) URL');

  const gtmhubApiUrl = present(env, 'GTMHUB_API_URL') ?? 'https://app.gtmhub.com/api';
  if (!validUrl(gtmhubApiUrl)) problems.push('GTMHUB_API_URL is not a valid http(s) URL');
  else if (/\/v\d+\/?$/.test(gtmhubApiUrl)) problems.push('GTMHUB_API_URL must not include the API version (use e.g. https://app.gtmhub.com/api)');

  const gtmhubToken = present(env, 'GTMHUB_API_TOKEN');
  if (!gtmhubToken) problems.push('GTMHUB_API_TOKEN is missing (a Gtmhub API token: Settings → API tokens)');
  const accountId = present(env, 'GTMHUB_ACCOUNT_ID');
  if (!accountId) problems.push('GTMHUB_ACCOUNT_ID is missing (your Gtmhub account id, 24 hexadecimal characters)');
  else if (!isGtmhubId(accountId)) problems.push('GTMHUB_ACCOUNT_ID is invalid: expected 24 hexadecimal characters');

  const timeoutRaw = present(env, 'GTMHUB_TIMEOUT_MS') ?? '10000';
  const timeoutMs = Number(timeoutRaw);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    problems.push('GTMHUB_TIMEOUT_MS must be a whole number of milliseconds between 100 and 120000');
  }

  const databaseUrl = present(env, 'DATABASE_URL') ?? 'file:./data/kr-checkin.db';
  if (!/^file:.+/.test(databaseUrl) && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be file:PATH (SQLite) or postgres://… (PostgreSQL)');
  }

  const poolSizeRaw = present(env, 'DATABASE_POOL_SIZE') ?? '10';
  const databasePoolSize = Number(poolSizeRaw);
  if (!/^\d+$/.test(poolSizeRaw) || databasePoolSize < 1 || databasePoolSize > 1000) {
    problems.push('DATABASE_POOL_SIZE must be a whole number of PostgreSQL connections between 1 and 1000');
  }

  const portRaw = present(env, 'PORT') ?? '3000';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT must be a whole number between 0 and 65535');

  const adminSlackUserIds = (present(env, 'ADMIN_SLACK_USER_IDS') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const badAdmins = adminSlackUserIds.filter((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
  if (badAdmins.length > 0) problems.push(`ADMIN_SLACK_USER_IDS holds values that are not Slack user ids: ${badAdmins.join(', ')}`);

  const peopleTtlRaw = present(env, 'PEOPLE_CACHE_TTL_HOURS') ?? '24';
  const peopleCacheTtlHours = Number(peopleTtlRaw);
  if (!/^\d+(\.\d+)?$/.test(peopleTtlRaw) || peopleCacheTtlHours <= 0 || peopleCacheTtlHours > 24 * 30) {
    problems.push('PEOPLE_CACHE_TTL_HOURS must be a number of hours above 0 and at most 720 (30 days)');
  }

  const logLevel = present(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  // Never derived from GTMHUB_API_URL: the web app lives on the account's own domain.
  const gtmhubAppUrl = present(env, 'GTMHUB_APP_URL');
  if (gtmhubAppUrl !== undefined && !validUrl(gtmhubAppUrl)) problems.push('GTMHUB_APP_URL is not a valid http(s) URL (the account\'s Gtmhub web app, e.g. https://acme.gtmhub.com)');

  const summaryTick = present(env, 'SUMMARY_TICK') ?? '0 * * * * *';
  if (!validateCron(summaryTick)) problems.push('SUMMARY_TICK must be a cron expression (node-cron, 5 or 6 fields), e.g. "0 * * * * *" for every minute');

  const reminderTick = present(env, 'REMINDER_TICK') ?? '0 */5 * * * *';
  if (!validateCron(reminderTick)) problems.push('REMINDER_TICK must be a cron expression (node-cron, 5 or 6 fields), e.g. "0 */5 * * * *" for every 5 minutes');
  let defaultSchedule: ReminderRules['defaultSchedule'] = { days: [1], minutes: 600 };
  try {
    defaultSchedule = parseSchedule(present(env, 'REMINDER_DEFAULT_SCHEDULE') ?? 'mon 10:00');
  } catch (error) {
    if (!(error instanceof ScheduleFormatError)) throw error;
    problems.push(`REMINDER_DEFAULT_SCHEDULE is invalid: ${error.message} (e.g. "mon 10:00" or "mon,thu 09:30")`);
  }
  let working: ReminderRules['working'] = { days: [1, 2, 3, 4, 5], startMinutes: 480, endMinutes: 1140 };
  try {
    working = parseWorkingTime(present(env, 'WORKING_HOURS') ?? '08:00-19:00', present(env, 'WORKING_DAYS') ?? 'mon-fri');
  } catch (error) {
    if (!(error instanceof ScheduleFormatError)) throw error;
    problems.push(`WORKING_HOURS or WORKING_DAYS is invalid: ${error.message} (e.g. WORKING_HOURS="08:00-19:00", WORKING_DAYS="mon-fri")`);
  }
  const followUpRaw = (present(env, 'REMINDER_FOLLOW_UP') ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'].includes(followUpRaw)) problems.push('REMINDER_FOLLOW_UP must be on or off');
  const followUp = ['on', 'true', '1', 'yes'].includes(followUpRaw);
  const unfurlRaw = (present(env, 'UNFURL_LINKS') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(unfurlRaw)) problems.push('UNFURL_LINKS must be on or off');

  const jobLeaseRaw = present(env, 'JOB_LEASE_MS') ?? '60000';
  const jobLeaseMs = Number(jobLeaseRaw);
  if (!/^\d+$/.test(jobLeaseRaw) || jobLeaseMs < 1000 || jobLeaseMs > 3_600_000) {
    problems.push('JOB_LEASE_MS must be a whole number of milliseconds between 1000 and 3600000 (how soon another replica takes over the reminder pass of one that died)');
  }

  const retentionRaw = present(env, 'OUTBOX_RETENTION_DAYS') ?? '30';
  const retentionDays = Number(retentionRaw);
  if (!/^\d+$/.test(retentionRaw) || retentionDays < 1 || retentionDays > 3650) {
    problems.push('OUTBOX_RETENTION_DAYS must be a whole number of days between 1 and 3650');
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    slack: { mode, signingSecret, botToken: botToken!, appToken, apiUrl: slackApiUrl.endsWith('/') ? slackApiUrl : `${slackApiUrl}/` },
    gtmhub: { apiUrl: gtmhubApiUrl.replace(/\/+$/, ''), apiToken: gtmhubToken!, accountId: accountId!, timeoutMs },
    databaseUrl,
    databasePoolSize,
    port,
    adminSlackUserIds,
    peopleCacheTtlMs: peopleCacheTtlHours * 3_600_000,
    logLevel,
    gtmhubAppUrl,
    summaryTick,
    retentionDays,
    reminders: { tick: reminderTick, defaultSchedule, working, followUp },
    unfurlLinks: unfurlRaw === 'on',
    jobLease: { leaseMs: jobLeaseMs, renewEveryMs: Math.floor(jobLeaseMs / 4) },
  };
}
