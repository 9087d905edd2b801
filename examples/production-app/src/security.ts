import connectPgSimple from 'connect-pg-simple';
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import session from 'express-session';
import helmet from 'helmet';
import type { Pool } from 'pg';
import type { Env } from './env';
import { HttpError } from './http';

declare module 'express-session' {
  interface SessionData {
    userId: string;
  }
}

/** Security headers, with a CSP that allows only this origin: the SPA has no inline scripts. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 63_072_000, includeSubDomains: true },
  });
}

/** Cross-origin calls are allowed only from the origins listed in CORS_ORIGINS. */
export function corsPolicy(env: Env): RequestHandler {
  return cors({ origin: env.CORS_ORIGINS, credentials: true, methods: ['GET', 'POST', 'PATCH', 'DELETE'] });
}

/** Every API route: generous, it stops scrapers and runaway clients, not people. */
export const apiLimiter = rateLimit({
  windowMs: 60_000,
  limit: 300,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
});

/** Login, signup and password reset: strict, these are what credential-stuffing bots hit. */
export const authLimiter = rateLimit({
  windowMs: 15 * 60_000,
  limit: 10,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
});

/** Sessions live in Postgres (table `user_sessions`), so a restart or a second instance keeps users logged in. */
export function sessionStore(pool: Pool): session.Store {
  const PgStore = connectPgSimple(session);
  return new PgStore({ pool, tableName: 'user_sessions', createTableIfMissing: false });
}

/**
 * Cookie sessions. `sameSite: 'strict'` keeps the cookie off cross-site requests; `requireSameOrigin`
 * below is the second CSRF layer for browsers that ignore SameSite (see docs/adr/0002).
 */
export function sessions(env: Env, store: session.Store): RequestHandler {
  return session({
    name: 'projects.sid',
    store,
    secret: env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      secure: env.NODE_ENV === 'production',
      sameSite: 'strict',
      maxAge: 7 * 24 * 60 * 60 * 1000,
    },
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence: a state-changing request must carry an `Origin` (or, failing that, `Referer`) from an allowed
 * origin. Browsers always send `Origin` on cross-site POST/PATCH/DELETE, and pages cannot forge it.
 */
export function requireSameOrigin(env: Env): RequestHandler {
  const allowed = new Set([new URL(env.APP_URL).origin, ...env.CORS_ORIGINS.map((url) => new URL(url).origin)]);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    const source = req.get('origin') ?? req.get('referer');
    let origin: string | undefined;
    try {
      origin = source === undefined ? undefined : new URL(source).origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined || !allowed.has(origin)) {
      next(new HttpError(403, 'cross_origin_request', 'Cross-origin state-changing requests are not allowed'));
      return;
    }
    next();
  };
}

/** Routes behind it can rely on `req.session.userId`. */
export const requireUser: RequestHandler = (req, _res, next) => {
  if (req.session.userId === undefined) {
    next(new HttpError(401, 'unauthenticated', 'Log in first'));
    return;
  }
  next();
};
