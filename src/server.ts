import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { GtmhubClient } from './gtmhub/client.js';
import type { Logger } from './logger.js';
import { JobLeases, replicaId, type JobLeaseSettings } from './scheduler/job-lease.js';
import { outboxJob } from './scheduler/outbox-job.js';
import { reminderJob } from './scheduler/reminder-job.js';
import { retentionJob } from './scheduler/retention-job.js';
import { Scheduler } from './scheduler/scheduler.js';
import { summaryJob } from './scheduler/summary-job.js';
import { createServices, type Services } from './services/index.js';
import type { ReminderPassTuning } from './services/reminders/pass.js';
import type { RetryTimer } from './services/retry-delay.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { SlackGateway } from './slack/gateway/slack-gateway.js';
import { homeView } from './slack/listeners/publish-home.js';
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
  /** Tests: the check-in outbox lease. */
  outboxLeaseMs?: number;
  /** Tests and benchmarks: reminder pass tuning (concurrency, claim lease, …). */
  reminderTuning?: Partial<ReminderPassTuning>;
  /** Tests: the timer of the quick check-in retries (`false`: the outbox worker does every retry). */
  checkinRetryTimer?: RetryTimer | false;
  /** Tests: job lease timing (how fast a dead replica's fan-out jobs are taken over). */
  jobLease?: JobLeaseSettings;
  /** Tests: this replica's name in job leases. */
  replicaId?: string;
}

/** The composition root, built in one direction: config → store → clients → services → scheduler → Slack app. */
export async function startServer(config: Config, logger: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const store = await openStore(config.databaseUrl, { logger, poolSize: config.databasePoolSize });
  const gtmhub = new GtmhubClient({
    baseUrl: config.gtmhub.apiUrl,
    token: config.gtmhub.apiToken,
    accountId: config.gtmhub.accountId,
    timeoutMs: config.gtmhub.timeoutMs,
    logger: logger.child({ component: 'gtmhub' }),
    ...(options.gtmhubRetry ? { retry: options.gtmhubRetry } : {}),
  });
  const webApi = { token: config.slack.botToken, slackApiUrl: config.slack.apiUrl, ...(options.webApiRetries === undefined ? {} : { retries: options.webApiRetries }) };
  const slackGateway = SlackGateway.fromSettings(webApi, { clock, logger: logger.child({ component: 'slack' }) });
  const services = createServices({
    gtmhub,
    store,
    clock,
    logger,
    slack: slackGateway,
    adminSlackUserIds: config.adminSlackUserIds,
    peopleCacheTtlMs: config.peopleCacheTtlMs,
    gtmhubAppUrl: config.gtmhubAppUrl,
    unfurlLinks: config.unfurlLinks,
    gtmhubTimeoutMs: config.gtmhub.timeoutMs,
    retentionDays: config.retentionDays,
    ...(options.outboxLeaseMs === undefined ? {} : { outboxLeaseMs: options.outboxLeaseMs }),
    reminderRules: config.reminders,
    ...(options.reminderTuning ? { reminderTuning: options.reminderTuning } : {}),
    ...(options.checkinRetryTimer === undefined ? {} : { checkinRetryTimer: options.checkinRetryTimer }),
  });
  const scheduler = new Scheduler(
    [outboxJob(services.checkins), summaryJob(services.summarySubscriptions, config.summaryTick), reminderJob(services.reminders, config.reminders.tick), retentionJob(services.retention)],
    logger.child({ component: 'scheduler' }),
    // Leases are about processes staying alive, so they run on the wall clock even when a test steps the services' clock.
    new JobLeases(store, options.replicaId ?? replicaId(), systemClock, logger.child({ component: 'job-lease' }), options.jobLease ?? config.jobLease),
  );
  const slack = createSlackApp({ config, logger, services, scheduler, webApi });
  // A check-in that lands publishes its person's App Home again, rendered as when they open it.
  const homeContext = { services, config, logger, inFlight: slack.inFlight, scheduler };
  slackGateway.refreshHomesWith((slackUserId) => homeView(homeContext, slackUserId));
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
        await services.checkins.stopQuickRetries();
        // Notices are kept in the store: one still being sent is sent again after the restart, so shutdown waits only briefly.
        await Promise.race([services.checkins.notificationsSettled(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        await store.close();
        logger.info('kr-checkin stopped');
      })();
      return stopping;
    },
  };
}
