import { randomBytes } from 'node:crypto';
import session from 'express-session';
import { pino } from 'pino';
import type { QueryResult, QueryResultRow } from 'pg';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from './app';
import type { Db } from './db';
import { parseEnv } from './env';

const APP_URL = 'http://localhost:3000';

// Secrets are random per run: nothing in the repository could be mistaken for (or used as) a real one.
const env = parseEnv({
  NODE_ENV: 'test',
  APP_URL,
  CORS_ORIGINS: APP_URL,
  DATABASE_URL: 'postgres://localhost:5432/projects_test',
  SESSION_SECRET: randomBytes(32).toString('hex'),
  JWT_SECRET: randomBytes(32).toString('hex'),
  STRIPE_SECRET_KEY: `sk_test_${randomBytes(12).toString('hex')}`,
  STRIPE_PRICE_ID: 'price_team_monthly',
  MAIL_API_URL: 'http://127.0.0.1:9/send',
  MAIL_API_TOKEN: randomBytes(8).toString('hex'),
  MAIL_FROM: 'no-reply@projects.local',
});

/** A database stand-in: every query succeeds with no rows, or fails with `failure`. */
function fakeDb(failure?: Error): Db {
  return {
    async query<Row extends QueryResultRow>(): Promise<QueryResult<Row>> {
      if (failure !== undefined) throw failure;
      const rows: Row[] = [];
      return { rows, rowCount: 0, command: 'SELECT', oid: 0, fields: [] };
    },
  };
}

function appWith(db: Db, isShuttingDown = false) {
  return createApp({
    env,
    db,
    logger: pino({ level: 'silent' }),
    sessionStore: new session.MemoryStore(),
    lifecycle: { isShuttingDown },
    publicDir: '/nonexistent',
  });
}

describe('health endpoints', () => {
  it('answers /healthz without touching the database', async () => {
    const response = await request(appWith(fakeDb(new Error('db down')))).get('/healthz');
    expect(response.status).toBe(200);
  });

  it('reports not ready when the database is unreachable', async () => {
    const response = await request(appWith(fakeDb(new Error('db down')))).get('/readyz');
    expect(response.status).toBe(503);
  });

  it('reports not ready while draining', async () => {
    const response = await request(appWith(fakeDb(), true)).get('/readyz');
    expect(response.status).toBe(503);
  });
});

describe('API boundary', () => {
  it('rejects an invalid signup body with 400 before any query runs', async () => {
    const response = await request(appWith(fakeDb(new Error('must not query'))))
      .post('/api/auth/signup')
      .set('origin', APP_URL)
      .send({ email: 'not-an-email', password: 'short' });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues)).toEqual(expect.arrayContaining(['email', 'password', 'displayName']));
  });

  it('rejects a state-changing request from another origin (CSRF)', async () => {
    const response = await request(appWith(fakeDb()))
      .post('/api/auth/login')
      .set('origin', 'https://attacker.invalid')
      .send({ email: 'a@b.co', password: 'whatever-password' });
    expect(response.status).toBe(403);
  });

  it('requires a session for projects', async () => {
    const response = await request(appWith(fakeDb())).get('/api/projects');
    expect(response.status).toBe(401);
  });

  it('echoes a valid incoming request id and generates one otherwise', async () => {
    const app = appWith(fakeDb());
    const echoed = await request(app).get('/healthz').set('x-request-id', 'abc12345-proxy');
    expect(echoed.headers['x-request-id']).toBe('abc12345-proxy');
    const generated = await request(app).get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await request(appWith(fakeDb())).get('/api/nope');
    expect(response.status).toBe(404);
    expect(response.body.error).toBe('not_found');
  });
});
