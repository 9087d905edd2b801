import { describe, expect, it } from 'vitest';
import { findSecrets, isSecretName, type SecretMatch } from './secrets.js';
import { assignmentsIn, isInComment, isUnderExampleKey, readValue } from './secret-syntax.js';
import { decodeJwt, describesASecret, isIdentifierLike, isKnownLocalDefault, isPlaceholder, isReadOnlyNxCloudToken, publicKeyKind } from './secret-values.js';

/** Builds a JWT from JSON parts, so no real token is checked in. */
function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJlLW5vdC1yZWFsLWF0LWFsbA`;
}

/** What a rule would report: credential-shaped and not dismissed. */
function reportable(text: string, path: string): Array<Pick<SecretMatch, 'kind' | 'strength'>> {
  return findSecrets(text, { path })
    .filter((match) => match.strength !== 'weak' && match.dismissed === undefined)
    .map(({ kind, strength }) => ({ kind, strength }));
}

const GITHUB = `ghp_${'R8tV2xK9mQ4wL7pZ3nB6cY1hJ5fD0sGa8eUi'}`;

describe('provider formats', () => {
  it.each([
    ['aws-access-key-id', `AWS_ACCESS_KEY_ID=AKIA${'QYLPMN5HHHFPZAM2'}`],
    ['github-token', `GITHUB_TOKEN=${GITHUB}`],
    ['gitlab-token', `token: glpat-${'x2Rk9vLm3QpT7wZb4NcY'}`],
    ['stripe-live-key', `STRIPE_SECRET_KEY=sk_live_${'51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd'}`],
    ['slack-webhook', `SLACK=https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/${'Xk9vLm3QpT7wZb4NcY2Rk9vL'}`],
    ['openai-key', `OPENAI_API_KEY=sk-proj-${'Xk9vLm3QpT7wZb4NcY2Rk9vLXk9vLm3QpT7wZb4NcY2R'}`],
    ['sendgrid-key', `SENDGRID=SG.${'Xk9vLm3QpT7wZb4NcY2Rk9'}.${'vLXk9vLm3QpT7wZb4NcY2RvLXk9vLm3QpT7wZb4NcY2'}`],
    ['npm-token', `//registry.npmjs.org/:_authToken=npm_${'Xk9vLm3QpT7wZb4NcY2Rk9vLXk9vLm3QpT7w'}`],
    ['huggingface-token', `HF_TOKEN=hf_${'XkvLmQpTwZbNcYRkvLXkvLmQpTwZbNcYRa'}`],
    ['docker-hub-token', `DOCKER_PAT=dckr_pat_${'Xk9vLm3QpT7wZb4NcY2Rk9vLXk9'}`],
    ['digitalocean-token', `DO_TOKEN=dop_v1_${'a3f9'.repeat(4)}${'0b7c5e1d2f4a6c8e'.repeat(3)}`],
    ['telegram-bot-token', `BOT=123456789:AA${'Xk9vLm3QpT7wZb4NcY2Rk9vLXk9vLm3Qp'}`],
    ['planetscale-token', `PS=pscale_tkn_${'Xk9vLm3QpT7wZb4NcY2Rk9vLXk9vLm3QpT7w'}`],
    ['twilio-auth-token', 'TWILIO_AUTH_TOKEN=4f9a8b2c7d1e6f3a9b8c7d2e1f4a5b6c'],
    ['heroku-api-key', 'HEROKU_API_KEY=e47c7721-3c6e-434e-b49b-f8f9ea5d5134'],
    ['mailchimp-api-key', 'MC=7d1e6f3a9b8c7d2e1f4a5b6c4f9a8b2c-us21'],
  ])('%s', (kind, text) => {
    expect(reportable(text, '.env')).toEqual([{ kind, strength: 'provider' }]);
  });

  it('does not read a locale tag as the start of a Mailchimp key', () => {
    expect(findSecrets('{ "locale": "en-US", "hash": "7d1e6f3a9b8c7d2e1f4a5b6c4f9a8b2c-usa" }', { path: 'i18n.json' }).filter((match) => match.kind === 'mailchimp-api-key')).toEqual([]);
  });

  it('treats Stripe test-mode keys as real but dismissed (info at most)', () => {
    const [match] = findSecrets(`STRIPE_SECRET_KEY=sk_test_${'51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd'}`, { path: '.env' });
    expect(match?.dismissed?.reason).toBe('test-mode');
  });

  it('dismisses provider-shaped stand-ins', () => {
    expect(findSecrets('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', { path: '.env' })[0]?.dismissed?.reason).toBe('placeholder');
    expect(findSecrets(`GITHUB_TOKEN=ghp_${'x'.repeat(36)}`, { path: '.env' })[0]?.dismissed?.reason).toBe('placeholder');
  });

  it('verifies private key bodies, also inside JSON strings (GCP service accounts)', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s';
    const json = `{ "type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n" }`;
    expect(reportable(json, 'gcp.json')).toEqual([{ kind: 'gcp-service-account-key', strength: 'structure' }]);
    expect(findSecrets('-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----', { path: 'README.md' })[0]?.dismissed?.reason).toBe('placeholder');
  });

  it('tells a Supabase service-role JWT (a credential) from an anon key (public) and other JWTs (masked only)', () => {
    expect(reportable(`SUPABASE_SERVICE_ROLE_KEY=${jwt({ role: 'service_role', iss: 'supabase' })}`, '.env')).toEqual([{ kind: 'supabase-service-role-key', strength: 'structure' }]);
    expect(findSecrets(`SUPABASE_ANON_KEY=${jwt({ role: 'anon' })}`, { path: '.env' })[0]?.dismissed?.reason).toBe('public');
    expect(findSecrets(`const example = '${jwt({ sub: '1' })}';`, { path: 'a.ts' }).map((match) => match.strength)).toEqual(['weak']);
  });

  it('judges connection strings by password and host', () => {
    expect(reportable('DATABASE_URL=postgres://app:p#ss$w0rd9Xk@db.prod.acme.net/app', '.env')).toEqual([{ kind: 'connection-string-password', strength: 'structure' }]);
    expect(findSecrets('DATABASE_URL=postgres://app:p#ss$w0rd9Xk@db.prod.acme.net/app', { path: '.env' })[0]?.value).toBe('p#ss$w0rd9Xk');
    expect(findSecrets('DATABASE_URL=postgres://postgres:postgres@localhost:5432/app', { path: '.env' })[0]?.dismissed?.reason).toBe('placeholder');
    expect(findSecrets('DATABASE_URL=postgres://app:Zq8vN3kP2xL7wR4t@db:5432/app', { path: '.env' })[0]?.dismissed?.reason).toBe('local-default');
  });
});

describe('generic literals: values, not names', () => {
  it('reports a high-entropy literal under a secret name', () => {
    expect(reportable('SESSION_SECRET=4f9a8b2c7d1e6f3a9b8c7d2e1f4a5b6c', '.env')).toEqual([{ kind: 'secret-assignment', strength: 'generic' }]);
    expect(reportable("const JWT_SECRET = 'h7Kq9vR2mX4pL8wN3zT6yB1cF5gJ0sDa';", 'src/a.ts')).toEqual([{ kind: 'secret-assignment', strength: 'generic' }]);
  });

  it.each([
    ['a placeholder in angle brackets', "clientSecret: '<client-secret>'", 'src/a.ts'],
    ['N/A', 'API_KEY=N/A', '.env'],
    ['an error code', "errors: { password: 'incorrectPassword' }", 'src/auth.service.ts'],
    ['a storage key', "export const AUTH_TOKEN = 'umami.auth';", 'src/constants.ts'],
    ['an enum member', 'password: Argon2i,', 'src/hash.ts'],
    ['a function call', 'const token = encodeBase32LowerCaseNoPadding(bytes);', 'src/session.ts'],
    ['an identifier', 'maxOutputTokens: V3_SURVEY_GENERATION_MAX_OUTPUT_TOKENS,', 'src/service.ts'],
    ['a UUID', "apiToken: 'e47c7721-3c6e-434e-b49b-f8f9ea5d5134'", 'src/a.ts'],
    ['a template id', "process.env.NOVU_TEMPLATEID_PASSWORD_RESET || 'password-reset'", 'src/a.ts'],
    ['a public PostHog key', '"apiKey": "phc_zJO1n3rjHlhqKiJ0gqLDwT4qvfWF1wzHDq2gfl0moQm"', 'site.json'],
    ['a browser-exposed variable', 'NEXT_PUBLIC_API_KEY=Xk9vLm3QpT7wZb4NcY2Rk9vL', '.env'],
    ['a read-only Nx Cloud token', '"nxCloudAccessToken": "ZTQ3Yzc3MjEtM2M2ZS00MzRlLWI0OWItZjhmOWVhNWQ1MTM0fHJlYWQ="', 'nx.json'],
    ['a JSDoc example', ` *               refreshToken: ${jwt({ sub: '5ebac534954b54139806c112' })}`, 'src/routes/auth.route.js'],
    ['an OpenAPI example', `      example:\n        token: Xk9vLm3QpT7wZb4NcY2Rk9vLXk9vLm3QpT7w`, 'api/components.yml'],
    ['a QStash dev-server token', 'QSTASH_TOKEN: "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0="', '.github/workflows/e2e.yml'],
    ['a local emulator credential', 'S3_ENDPOINT_URL=http://localhost:9000\nS3_SECRET_KEY=devrustfs-service123', '.env'],
    ['a bcrypt hash', "password: '$2b$10$heqvAkYMez.Va6Et2uXInOnkCT6/uQj1brkrbyG3LpopDklcq7ZOS'", 'prisma/seed.ts'],
    ['a value its comment calls not secret', '// This is not actually a secret key\nconst XOR_SECRET_KEY = "58ff90c0dc372ded858cbf8fb2306066";', 'src/a.ts'],
    ['a translation', '"password_validation_minimum_8_and_maximum_128_characters": "Mindestens 8, höchstens 128 Zeichen"', 'locales/de.json'],
    ['a shell word inside YAML', "test: \"bash -c 'AWS_SECRET_ACCESS_KEY=test awslocal s3 ls'\"", 'docker-compose.yml'],
    ['a value on the next line', 'NOVU_EMAIL_INTEGRATION_API_KEY=\n\nMAX_NOVU_INTEGRATION_SMS_REQUESTS=20', '.env'],
  ])('does not report %s', (_what, text, path) => {
    expect(reportable(text, path)).toEqual([]);
  });
});

describe('value judgement helpers', () => {
  it('reads placeholders, identifiers and public keys', () => {
    expect(['<client-secret>', 'N/A', 'xxxx', 'changeme', 'your-api-key', 'TEST_CHANGE9s', 'string', 'dummy'].every(isPlaceholder)).toBe(true);
    expect(['SOME_SECRET_FOR_JWT', 'my-jwt-secret'].every(describesASecret)).toBe(true);
    expect(['correct-horse-battery-staple', 'AKIA_SECRET_2', 'h7Kq9vR2mX4pL8wN3zT6yB1cF5gJ0sDa'].some(describesASecret)).toBe(false);
    expect(isPlaceholder('h7Kq9vR2mX4pL8wN3zT6yB1cF5gJ0sDa')).toBe(false);
    expect(['incorrectPassword', 'umami.auth', 'password-reset', 'encodeBase32LowerCaseNoPadding', 'password_validation_minimum_8_and_maximum_128_characters'].every(isIdentifierLike)).toBe(true);
    expect(['h7Kq9vR2mX4pL8wN3zT6yB1cF5gJ0sDa', 'QWRErfdsfwER23354DSAf', 'supersecret123', '58ff90c0dc372ded858cbf8fb2306066'].some(isIdentifierLike)).toBe(false);
    expect(publicKeyKind(`pk_live_${'51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd'}`)).toBeDefined();
    expect(publicKeyKind(`sk_live_${'51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd'}`)).toBeUndefined();
  });

  it('decodes JWTs and tool defaults', () => {
    expect(decodeJwt(jwt({ role: 'service_role' }))?.payload.role).toBe('service_role');
    expect(decodeJwt('eyJnotajwt.eyJx.y')).toBeUndefined();
    expect(isKnownLocalDefault('eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=')).toBe(true);
    expect(isReadOnlyNxCloudToken(Buffer.from('e47c7721-3c6e-434e-b49b-f8f9ea5d5134|read-write').toString('base64'))).toBe(false);
  });

  it('reads names for what they hold', () => {
    expect(['JWT_SECRET', 'dbPassword', 'stripe.apiKey', 'REFRESH_TOKEN_SECRET', 'AUTH_TOKEN', 'pass', 'SECRET_KEY_BASE', 'PGPASSWORD', 'STRIPE_KEY', 'DB_PASSWORD_PROD', 'x-api-key'].every(isSecretName)).toBe(true);
    expect(['NOVU_TEMPLATEID_PASSWORD_RESET', 'maxOutputTokens', 'tokenType', 'AUTH_TOKEN_EXPIRES', 'isPasswordValid', 'PASSWORD_MIN_LENGTH', 'ApiKeyEnvironment', 'cacheKey', 'forgotPassword'].some(isSecretName)).toBe(false);
  });
});

describe('value spans', () => {
  it('reads a quoted value to its closing quote whatever it holds', () => {
    expect(readValue(`PASS="p#ss$w=rd \\" x" # db`, 5, 'env')?.value).toBe('p#ss$w=rd \\" x');
    expect(readValue('PASS=p#ss$w=rd # db', 5, 'env')?.value).toBe('p#ss$w=rd');
    expect(readValue('x: foo bar # c', 3, 'yaml', ':')?.value).toBe('foo bar');
  });

  it('finds assignments in every syntax', () => {
    expect(assignmentsIn('export DB_PASSWORD=a#b', 'shell').map((found) => [found.name, found.value.value])).toEqual([['DB_PASSWORD', 'a#b']]);
    expect(assignmentsIn('{"apiKey": "k\\"ey"}', 'json').map((found) => found.value.value)).toEqual(['k\\"ey']);
    expect(assignmentsIn('if (password === "x")', 'code')).toEqual([]);
  });

  it('knows comments and example blocks', () => {
    const jsdoc = '/**\n * @swagger\n *   example:\n *     token: abc\n */\nconst token = 1;';
    expect(isInComment(jsdoc, jsdoc.indexOf('abc'), 'code')).toBe(true);
    expect(isInComment(jsdoc, jsdoc.indexOf('= 1'), 'code')).toBe(false);
    expect(isUnderExampleKey(jsdoc, jsdoc.indexOf('abc'))).toBe(true);
  });
});
