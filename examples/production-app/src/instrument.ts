// Imported first by server.ts: Sentry must initialise before express and pg are loaded so that it can
// instrument them. Without SENTRY_DSN the SDK stays disabled (local development, CI).
import * as Sentry from '@sentry/node';
import { loadEnv } from './env';

const env = loadEnv();

Sentry.init({
  dsn: env.SENTRY_DSN,
  environment: env.NODE_ENV,
  tracesSampleRate: env.NODE_ENV === 'production' ? 0.1 : 1.0,
  sendDefaultPii: false,
});
