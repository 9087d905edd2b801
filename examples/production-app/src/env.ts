import { z } from 'zod';

/** An empty value in `.env` (`SENTRY_DSN=`) means "not set", not "invalid". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const commaSeparatedUrls = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''))
  .pipe(z.array(z.url()).min(1));

/**
 * Every environment variable the server reads. It is validated once, at startup, so a missing or malformed
 * value stops the process with a list of what is wrong instead of failing on the first request that needs it.
 * `.env.example` documents the same names.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APP_URL: z.url(),
  CORS_ORIGINS: commaSeparatedUrls,
  DATABASE_URL: z.string().regex(/^postgres(?:ql)?:\/\//, 'must be a postgres:// connection string'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  SESSION_SECRET: z.string().min(32, 'use at least 32 random characters (openssl rand -hex 32)'),
  JWT_SECRET: z.string().min(32, 'use at least 32 random characters (openssl rand -hex 32)'),
  STRIPE_SECRET_KEY: z.string().regex(/^sk_(?:test|live)_/, 'must be a Stripe secret key'),
  STRIPE_PRICE_ID: z.string().startsWith('price_'),
  MAIL_API_URL: z.url(),
  MAIL_API_TOKEN: z.string().min(1),
  MAIL_FROM: z.email(),
  SENTRY_DSN: optional(z.url()),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(10_000),
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * Validates an environment object; throws one error that lists every problem.
 *
 * @example parseEnv(process.env).PORT // 3000
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid environment (see .env.example):\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated `process.env`, parsed on first use. Tests call `parseEnv` with their own values instead. */
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
