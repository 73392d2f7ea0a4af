import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { Config } from '../config.js';
import { boltLogger, type Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { interactiveClientOptions, type WebClientSettings } from './gateway/web-clients.js';
import { keepIdleConnections } from './idle-connections.js';
import { InFlightWork } from './in-flight.js';
import type { ListenerContext } from './listeners/context.js';
import { createSlackHttpReceiver } from './receiver.js';
import * as commands from './listeners/commands/index.js';
import * as actions from './listeners/actions/index.js';
import * as views from './listeners/views/index.js';
import * as events from './listeners/events/index.js';
import * as shortcuts from './listeners/shortcuts/index.js';

export interface SlackAppOptions {
  config: Config;
  logger: Logger;
  services: Services;
  scheduler: Pick<Scheduler, 'nextRun' | 'isRunning' | 'runExclusively'>;
  /** The Web API settings; Bolt's client uses the gateway's interactive configuration. */
  webApi: WebClientSettings;
}

export interface SlackApp {
  app: App;
  inFlight: InFlightWork;
  /** Starts listening; resolves with the HTTP port (HTTP mode) or null (Socket Mode, where PORT serves only /healthz). */
  start(): Promise<number | null>;
  /** Stops taking requests, then waits up to `drainMs` for work already acknowledged. */
  stop(drainMs?: number): Promise<void>;
}

function healthRoute() {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: unknown, res: { writeHead(status: number, headers: Record<string, string>): void; end(body: string): void }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    },
  };
}

export function createSlackApp({ config, logger, services, scheduler, webApi }: SlackAppOptions): SlackApp {
  const slackLogger = boltLogger(logger);
  const receiver: Receiver =
    config.slack.mode === 'socket'
      ? new SocketModeReceiver({
          appToken: config.slack.appToken!,
          logger: slackLogger,
          // /healthz on PORT in Socket Mode too: hosts (a Procfile's web process) expect the port bound and a health check to answer.
          customRoutes: [healthRoute()],
          // apps.connections.open goes to SLACK_API_URL like every other Web API call.
          installerOptions: { port: config.port, clientOptions: { slackApiUrl: webApi.slackApiUrl } },
        })
      : createSlackHttpReceiver({
          signingSecret: config.slack.signingSecret!,
          endpoint: '/slack/events',
          customRoutes: [healthRoute()],
          logger: slackLogger,
          // Listeners ack first and keep working; the response must not wait for Gtmhub.
          processBeforeResponse: false,
        });

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: slackLogger,
    clientOptions: interactiveClientOptions(webApi),
    // Bolt's default conversation store is a per-process Map read on every request; nothing here uses
    // it, and with replicas it would hold a different state in each process.
    convoStore: false,
  });

  const inFlight = new InFlightWork();
  const context: ListenerContext = { services, config, logger, inFlight, scheduler };
  commands.register(app, context);
  actions.register(app, context);
  views.register(app, context);
  events.register(app, context);
  shortcuts.register(app, context);

  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener');
  });

  let server: Server | undefined;
  return {
    app,
    inFlight,
    async start() {
      if (config.slack.mode === 'socket') {
        await app.start();
        return null;
      }
      server = (await app.start(config.port)) as Server;
      keepIdleConnections(server);
      return (server.address() as AddressInfo).port;
    },
    async stop(drainMs = 20_000) {
      await app.stop();
      const drained = await inFlight.drain(drainMs);
      if (!drained) logger.warn({ pending: inFlight.size }, 'stopped with work still running; check-ins stay in the outbox');
    },
  };
}
