import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer, type RunningServer } from './server.js';

async function main(): Promise<void> {
  // A .env file in the working directory is read if present; the environment wins over it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.gtmhub.apiToken, config.slack.signingSecret, config.slack.botToken, config.slack.appToken],
  });
  let server: RunningServer | undefined;
  let exiting = false;

  const shutdown = (reason: string, exitCode: number) => {
    if (exiting) return;
    exiting = true;
    logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 25_000).unref();
    (server ? server.stop() : Promise.resolve()).then(
      () => {
        clearTimeout(force);
        process.exit(exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  // After an error nothing caught, this process's state is unknown: finish what was acknowledged,
  // close the store and exit non-zero so the supervisor starts a clean one. The outbox keeps
  // every accepted check-in across the restart.
  const fail = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, `${kind}: exiting for a restart`);
    shutdown(kind, 1);
  };
  process.on('uncaughtException', fail('uncaught exception'));
  process.on('unhandledRejection', fail('unhandled promise rejection'));
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
  process.once('SIGINT', () => shutdown('SIGINT', 0));

  server = await startServer(config, logger);
}

main().catch((error: unknown) => {
  console.error('kr-checkin failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
