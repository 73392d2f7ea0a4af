/**
 * The sandbox: the Gtmhub emulator with the demo account, the Slack emulator with demo people, and
 * the production app started through its composition root with an environment pointing at both.
 * The browser UI (ui-server.ts) drives the Slack emulator as "the Slack client".
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DEMO_BASE_DATE, demoEmulatorData, startGtmhubEmulator, type EmulatorData, type GtmhubEmulator } from '../emulator/gtmhub/index.js';
import { startSlackEmulator, type SlackEmulator } from '../emulator/slack/index.js';
import { createLogger, type Logger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { dropAppTables } from '../store/postgres/drop-app-tables.js';
import { appEnvironment } from './app-env.js';
import { demoWorkspace, SANDBOX_BOT_TOKEN, SANDBOX_SIGNING_SECRET, SANDBOX_TEAM, type DemoWorkspace } from './demo-workspace.js';
import { loadGtmhubData, persistGtmhubChanges, saveGtmhubData } from './gtmhub-store.js';
import { rebaseDemoData } from './rebase-demo-data.js';
import { scheduledJobs, type ScheduledJob } from './scheduler-jobs.js';

export interface SandboxPorts {
  /** The browser UI. */
  ui: number;
  /** The app's HTTP port (Slack requests arrive at /slack/events). */
  app: number;
  slack: number;
  gtmhub: number;
}

export interface SandboxRuntimeOptions {
  /** Where the database and the Gtmhub account are kept between runs. */
  dataDir: string;
  /** 0 = any free port (the default for each). */
  ports?: Partial<Omit<SandboxPorts, 'ui'>>;
  host?: string;
  /** Behaviour settings for the app (LOG_LEVEL, WORKING_HOURS, …); see app-env.ts. */
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Default true. Tests run jobs with runJob instead of on the clock. */
  startScheduler?: boolean;
  /**
   * A PostgreSQL URL for the app's database instead of the SQLite file in `dataDir`. Reset drops the
   * app's tables there, so give the sandbox a database of its own.
   */
  databaseUrl?: string;
}

export interface SandboxRuntime {
  readonly gtmhub: GtmhubEmulator;
  /** Replaced by reset(): read it again after one. */
  readonly slack: SlackEmulator;
  readonly server: RunningServer;
  readonly config: Config;
  readonly workspace: DemoWorkspace;
  readonly databaseFile: string;
  /** What the app runs on: `file:<databaseFile>`, or the PostgreSQL URL it was given. */
  readonly databaseUrl: string;
  readonly gtmhubDataFile: string;
  /** Resolves when no reset is in progress (callers wait for it before touching slack/server). */
  settled(): Promise<void>;
  jobs(): ScheduledJob[];
  runJob(name: string): Promise<unknown>;
  /** Deletes the app's database and the Gtmhub account, restarts Slack and the app on fresh demo data. */
  reset(): Promise<void>;
  /** Called after each reset, once the new Slack emulator and app are up. */
  onReset(listener: () => void): () => void;
  close(): Promise<void>;
}

function freshDemoData(): EmulatorData {
  return rebaseDemoData(demoEmulatorData(), new Date(DEMO_BASE_DATE), new Date());
}

export async function startSandboxRuntime(options: SandboxRuntimeOptions): Promise<SandboxRuntime> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const databaseFile = join(dataDir, 'sandbox.db');
  const postgresUrl = options.databaseUrl?.trim() || undefined;
  if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) throw new ConfigError(['SANDBOX_DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the SQLite file in the data directory)']);
  const databaseUrl = postgresUrl ?? `file:${databaseFile}`;
  const gtmhubDataFile = join(dataDir, 'sandbox-gtmhub.json');

  const startGtmhub = (data: EmulatorData) => startGtmhubEmulator({ port: options.ports?.gtmhub ?? 0, host, data });
  const kept = loadGtmhubData(gtmhubDataFile);
  let gtmhub: GtmhubEmulator | undefined;
  if (kept) {
    // A file from an older emulator version may no longer load; the demo data always does.
    gtmhub = await startGtmhub(kept).catch((error: unknown) => {
      if (error instanceof Error && /invalid emulator data/.test(error.message)) return undefined;
      throw error;
    });
  }
  if (!gtmhub) {
    const data = freshDemoData();
    saveGtmhubData(gtmhubDataFile, data);
    gtmhub = await startGtmhub(data);
  }
  let persistence = persistGtmhubChanges(gtmhub, gtmhubDataFile);

  const slackPort = options.ports?.slack ?? 0;
  const botUserId = 'UKRBOT001';
  const workspace = demoWorkspace(gtmhub.state.users, botUserId);
  const startSlack = () =>
    startSlackEmulator({
      port: slackPort,
      host,
      signingSecret: SANDBOX_SIGNING_SECRET,
      botToken: SANDBOX_BOT_TOKEN,
      team: SANDBOX_TEAM,
      botUserId,
      botName: 'kr-checkin',
      users: workspace.users,
      channels: workspace.channels,
      // Links to the Gtmhub stand-in's web page unfurl, as links to the account's Gtmhub domain would.
      unfurlDomains: [new URL(gtmhub!.url).hostname],
    });

  let config!: Config;
  let logger = options.logger;
  const startApp = async (slackEmulator: SlackEmulator): Promise<RunningServer> => {
    const env = appEnvironment(
      {
        slackApiUrl: slackEmulator.apiUrl,
        gtmhubApiUrl: gtmhub.url,
        gtmhubToken: gtmhub.adminToken,
        gtmhubAccountId: gtmhub.accountId,
        botToken: SANDBOX_BOT_TOKEN,
        signingSecret: SANDBOX_SIGNING_SECRET,
        databaseUrl,
        appPort: options.ports?.app ?? 0,
        adminSlackUserId: workspace.adminId,
      },
      options.env,
    );
    config = loadConfig(env);
    logger ??= createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
    const running = await startServer(config, logger, { startScheduler: options.startScheduler ?? true });
    slackEmulator.setAppUrl(`http://127.0.0.1:${running.port}/slack/events`);
    return running;
  };

  let slack = await startSlack();
  let server: RunningServer;
  try {
    server = await startApp(slack);
  } catch (error) {
    persistence.stop();
    await Promise.all([slack.close(), gtmhub.close()]);
    throw error;
  }

  const resetListeners = new Set<() => void>();
  let busy: Promise<void> = Promise.resolve();

  const runtime: SandboxRuntime = {
    gtmhub,
    get slack() {
      return slack;
    },
    get server() {
      return server;
    },
    get config() {
      return config;
    },
    workspace,
    databaseFile,
    databaseUrl,
    gtmhubDataFile,
    settled: () => busy,
    jobs: () => scheduledJobs(server.scheduler),
    runJob: (name) => server.scheduler.runNow(name),
    reset() {
      const run = busy.then(async () => {
        await server.stop();
        await slack.close();
        persistence.stop();
        if (postgresUrl) await dropAppTables(postgresUrl);
        else for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${databaseFile}${suffix}`, { force: true });
        const fresh = freshDemoData();
        gtmhub.reset(fresh);
        saveGtmhubData(gtmhubDataFile, fresh);
        persistence = persistGtmhubChanges(gtmhub, gtmhubDataFile);
        slack = await startSlack();
        server = await startApp(slack);
        for (const listener of resetListeners) listener();
      });
      busy = run.catch(() => undefined);
      return run;
    },
    onReset(listener) {
      resetListeners.add(listener);
      return () => resetListeners.delete(listener);
    },
    async close() {
      await busy.catch(() => undefined);
      await server.stop();
      persistence.stop();
      await Promise.all([slack.close(), gtmhub.close()]);
    },
  };
  return runtime;
}
