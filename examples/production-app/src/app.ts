import { existsSync } from 'node:fs';
import path from 'node:path';
import * as Sentry from '@sentry/node';
import express, { type Express } from 'express';
import type session from 'express-session';
import type { Db } from './db';
import type { Env } from './env';
import { asyncHandler, errorHandler, notFound } from './http';
import { requestLogger, type Logger } from './logger';
import { authRouter } from './routes/auth';
import { billingRouter } from './routes/billing';
import { projectsRouter } from './routes/projects';
import { apiLimiter, corsPolicy, requireSameOrigin, securityHeaders, sessions } from './security';

export interface AppDeps {
  readonly env: Env;
  readonly db: Db;
  readonly logger: Logger;
  readonly sessionStore: session.Store;
  /** Set by server.ts on SIGTERM: /readyz then fails so the proxy stops sending new requests. */
  readonly lifecycle: { isShuttingDown: boolean };
  /** The built web client (web/dist, copied to ./public in the image). */
  readonly publicDir?: string;
}

/**
 * The whole HTTP application, without listening: server.ts listens, tests call it in-process.
 *
 * @example createApp({ env, db: pool, logger, sessionStore, lifecycle: { isShuttingDown: false } }).listen(3000)
 */
export function createApp(deps: AppDeps): Express {
  const { env, db, logger, lifecycle } = deps;
  const app = express();
  app.disable('x-powered-by');
  // One proxy (nginx) sits in front: req.ip is the client's address, which the rate limiters key on.
  app.set('trust proxy', 1);

  app.use(requestLogger(logger));
  app.use(securityHeaders());

  // Liveness: the process answers. Readiness: it can serve traffic (database reachable, not draining).
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/readyz',
    asyncHandler(async (req, res) => {
      if (lifecycle.isShuttingDown) {
        res.status(503).json({ status: 'shutting_down' });
        return;
      }
      try {
        await db.query('SELECT 1');
        res.json({ status: 'ready' });
      } catch (error) {
        req.log.warn({ err: error }, 'readiness check: database unreachable');
        res.status(503).json({ status: 'database_unreachable' });
      }
    }),
  );

  const api = express.Router();
  api.use(corsPolicy(env));
  api.use(apiLimiter);
  // Cross-origin writes are rejected before the body is parsed or the session store is touched.
  api.use(requireSameOrigin(env));
  api.use(express.json({ limit: '100kb' }));
  api.use(sessions(env, deps.sessionStore));
  api.use('/auth', authRouter(env, db));
  api.use('/projects', projectsRouter(db));
  api.use('/billing', billingRouter(env, db));
  api.use(notFound);
  app.use('/api', api);

  const publicDir = deps.publicDir ?? path.resolve(__dirname, '..', 'public');
  if (existsSync(publicDir)) {
    app.use(express.static(publicDir, { index: false, maxAge: '1h' }));
    // Client-side routes (/projects/42, /reset?token=…) all load the SPA shell.
    app.get('*', (_req, res) => {
      res.sendFile(path.join(publicDir, 'index.html'));
    });
  }

  Sentry.setupExpressErrorHandler(app);
  app.use(errorHandler);
  return app;
}
