// Sentry first: it instruments the modules imported after it.
import './instrument';
import * as Sentry from '@sentry/node';
import { createApp } from './app';
import { createPool } from './db';
import { loadEnv } from './env';
import { createLogger } from './logger';
import { sessionStore } from './security';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);
const pool = createPool(env, logger);
const lifecycle = { isShuttingDown: false };
const app = createApp({ env, db: pool, logger, sessionStore: sessionStore(pool), lifecycle });

const server = app.listen(env.PORT, () => {
  logger.info({ port: env.PORT }, 'projects-api listening');
});
// Longer than nginx's upstream keepalive, so nginx never reuses a socket the app is closing.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

/**
 * SIGTERM (docker stop, a deploy) and SIGINT (Ctrl-C): stop accepting connections, let in-flight requests
 * finish, close the pool, flush Sentry, exit. SHUTDOWN_TIMEOUT_MS (10 s) bounds the drain so a stuck connection
 * cannot hang the process; it stays below the compose files' stop_grace_period (30 s), after which Docker kills.
 */
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (lifecycle.isShuttingDown) return;
  lifecycle.isShuttingDown = true;
  logger.info({ signal }, 'shutting down: draining connections');

  const forceExit = setTimeout(() => {
    logger.error({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out, exiting with open connections');
    process.exit(1);
  }, env.SHUTDOWN_TIMEOUT_MS);
  forceExit.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets with no request in flight would otherwise hold close() open until they time out.
      server.closeIdleConnections();
    });
    await pool.end();
    await Sentry.close(2_000);
    logger.info('shutdown complete');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}

process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));

// A bug that escaped every handler: record it, then exit so the orchestrator restarts a clean process.
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: reason }, 'unhandled promise rejection');
  Sentry.captureException(reason);
  void Sentry.flush(2_000).finally(() => process.exit(1));
});
process.on('uncaughtException', (error) => {
  logger.fatal({ err: error }, 'uncaught exception');
  Sentry.captureException(error);
  void Sentry.flush(2_000).finally(() => process.exit(1));
});
