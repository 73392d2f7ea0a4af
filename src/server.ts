import { WebClient } from '@slack/web-api';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { GtmhubClient } from './gtmhub/client.js';
import type { Logger } from './logger.js';
import { outboxJob } from './scheduler/outbox-job.js';
import { reminderJob } from './scheduler/reminder-job.js';
import { Scheduler } from './scheduler/scheduler.js';
import { summaryJob } from './scheduler/summary-job.js';
import { createServices, type Services } from './services/index.js';
import type { ReminderPassTuning } from './services/reminders/pass.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { WebApiSlackDirectory } from './slack/directory.js';
import { SlackCheckInNotifier } from './slack/notifier.js';
import { reminderWebClient, WebApiReminderMessenger } from './slack/reminder-messenger.js';
import { WebApiSummarySlack } from './slack/summary-slack.js';
import { openStore } from './store/open-store.js';

export interface RunningServer {
  /** HTTP port (null in Socket Mode). */
  port: number | null;
  services: Services;
  slack: SlackApp;
  scheduler: Scheduler;
  /** Graceful: stop taking requests, finish acknowledged work, stop jobs, close the store. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  clock?: Clock;
  /** Tests: Web API retries (Slack's client otherwise retries for a long time). */
  webApiRetries?: number;
  /** Tests: do not tick on a timer; jobs are run with scheduler.runNow. */
  startScheduler?: boolean;
  /** Tests: Gtmhub client retry settings. */
  gtmhubRetry?: ConstructorParameters<typeof GtmhubClient>[0]['retry'];
  /** Tests and benchmarks: reminder pass tuning (concurrency, claim lease, …). */
  reminderTuning?: Partial<ReminderPassTuning>;
}

/** The composition root: config → store → clients → services → Slack app → scheduler. */
export async function startServer(config: Config, logger: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const store = await openStore(config.databaseUrl, { logger });
  const gtmhub = new GtmhubClient({
    baseUrl: config.gtmhub.apiUrl,
    token: config.gtmhub.apiToken,
    accountId: config.gtmhub.accountId,
    timeoutMs: config.gtmhub.timeoutMs,
    logger: logger.child({ component: 'gtmhub' }),
    ...(options.gtmhubRetry ? { retry: options.gtmhubRetry } : {}),
  });
  const slackClient = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    ...(options.webApiRetries === undefined ? {} : { retryConfig: { retries: options.webApiRetries } }),
  });
  const services = createServices({
    gtmhub,
    store,
    clock,
    logger,
    slack: new WebApiSlackDirectory(slackClient),
    notifier: new SlackCheckInNotifier(slackClient, logger),
    adminSlackUserIds: config.adminSlackUserIds,
    summarySlack: new WebApiSummarySlack(slackClient, clock),
    gtmhubAppUrl: config.gtmhubAppUrl,
    reminderMessenger: new WebApiReminderMessenger(reminderWebClient(config.slack.botToken, config.slack.apiUrl, options.webApiRetries)),
    reminderRules: config.reminders,
    ...(options.reminderTuning ? { reminderTuning: options.reminderTuning } : {}),
  });
  const { reminders } = services;
  const slack = createSlackApp({ config, logger, services, ...(options.webApiRetries === undefined ? {} : { webApiRetries: options.webApiRetries }) });
  const scheduler = new Scheduler([outboxJob(services.checkins), summaryJob(services.summarySubscriptions, config.summaryTick), reminderJob(reminders, config.reminders.tick)], logger.child({ component: 'scheduler' }));

  reminders.nextTick = () => scheduler.nextRun('reminders');
  const port = await slack.start();
  if (options.startScheduler !== false) scheduler.start();
  logger.info({ port, mode: config.slack.mode }, 'kr-checkin is running');

  let stopping: Promise<void> | undefined;
  return {
    port,
    services,
    slack,
    scheduler,
    stop() {
      stopping ??= (async () => {
        await slack.stop();
        await scheduler.stop();
        await store.close();
        logger.info('kr-checkin stopped');
      })();
      return stopping;
    },
  };
}
