/**
 * The environment the sandbox hands to the app's own loadConfig: the same contract a real
 * deployment uses, pointed at the two emulators. Nothing else tells the app where it runs.
 */
export interface SandboxEndpoints {
  slackApiUrl: string;
  gtmhubApiUrl: string;
  gtmhubToken: string;
  gtmhubAccountId: string;
  botToken: string;
  signingSecret: string;
  /** `file:…` (the default, in the data directory) or a PostgreSQL URL (SANDBOX_DATABASE_URL). */
  databaseUrl: string;
  appPort: number;
  adminSlackUserId: string;
}

/**
 * Behaviour settings a person may change for the sandbox from their shell (the connection settings
 * above always point at the emulators, so a real token in the environment is never used).
 */
export const TUNABLE_APP_VARIABLES = [
  'LOG_LEVEL',
  'GTMHUB_TIMEOUT_MS',
  'SUMMARY_TICK',
  'REMINDER_TICK',
  'REMINDER_DEFAULT_SCHEDULE',
  'WORKING_HOURS',
  'WORKING_DAYS',
  'REMINDER_FOLLOW_UP',
] as const;

/**
 * Sandbox defaults: any hour of any day counts as working time and reminders are due daily from
 * midnight, so "run reminders now" shows a reminder whenever one tries the sandbox.
 */
export const SANDBOX_DEFAULTS: Record<(typeof TUNABLE_APP_VARIABLES)[number], string> = {
  LOG_LEVEL: 'warn',
  GTMHUB_TIMEOUT_MS: '5000',
  SUMMARY_TICK: '0 * * * * *',
  REMINDER_TICK: '0 */5 * * * *',
  REMINDER_DEFAULT_SCHEDULE: 'daily 00:00',
  WORKING_HOURS: '00:00-23:59',
  WORKING_DAYS: 'daily',
  REMINDER_FOLLOW_UP: 'on',
};

export function appEnvironment(endpoints: SandboxEndpoints, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const tunable = Object.fromEntries(TUNABLE_APP_VARIABLES.map((name) => [name, overrides[name]?.trim() || SANDBOX_DEFAULTS[name]]));
  return {
    ...tunable,
    SLACK_BOT_TOKEN: endpoints.botToken,
    SLACK_SIGNING_SECRET: endpoints.signingSecret,
    SLACK_API_URL: endpoints.slackApiUrl,
    GTMHUB_API_URL: endpoints.gtmhubApiUrl,
    GTMHUB_API_TOKEN: endpoints.gtmhubToken,
    GTMHUB_ACCOUNT_ID: endpoints.gtmhubAccountId,
    DATABASE_URL: endpoints.databaseUrl,
    PORT: String(endpoints.appPort),
    ADMIN_SLACK_USER_IDS: endpoints.adminSlackUserId,
  };
}
