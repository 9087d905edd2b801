import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { generateCerts, type Certs } from '../../test/probe/servers.js';
import { runDoctor, type DoctorOptions, type DoctorResult, type LayerResult } from './index.js';
import type { MigrationSet } from '../migrations/types.js';
import { readInputs } from './inputs.js';
import type { Lookup } from './net.js';
import { clientConfig, missingMigrations } from './postgres.js';

const SERVER_URL = process.env['SHIPREADY_TEST_DATABASE_URL'] === '' ? undefined : process.env['SHIPREADY_TEST_DATABASE_URL'];

/** No lookups leave the machine: names resolve to loopback, or fail as a missing name does. */
const lookup: Lookup = async (host) => {
  if (host === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

async function diagnose(urls: readonly string[], options: Partial<DoctorOptions> = {}): Promise<DoctorResult> {
  // Never the real docker CLI: a compose file in a fixture would otherwise run `docker compose ps` on this machine.
  const result = await runDoctor({ root: options.root ?? emptyRoot, env: {}, urls, lookup, timeoutMs: 2000, docker: async () => undefined, ...options });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The cause as `component layer code`, the assertion every scenario makes. */
function causeOf(result: DoctorResult): string {
  return result.cause === undefined ? 'none' : `${result.cause.component} ${result.cause.layer} ${result.cause.code ?? ''}`.trim();
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

let emptyRoot: string;
const servers: net.Server[] = [];
beforeAll(() => {
  emptyRoot = mkdtempSync(path.join(tmpdir(), 'shipready-doctor-'));
});
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(emptyRoot, { recursive: true, force: true });
});

async function httpServer(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  return listen(server);
}

describe('doctor: network layers', () => {
  it('names a refused port at the tcp layer and blocks the layers above it', async () => {
    const closed = net.createServer();
    const port = await listen(closed);
    closed.close();
    const result = await diagnose([`DATABASE_URL=postgres://app:pw@127.0.0.1:${port}/app`]);
    expect(causeOf(result)).toBe('DATABASE_URL tcp ECONNREFUSED');
    expect(result.components[0]?.layers.filter((layer) => layer.status === 'blocked').map((layer) => layer.layer)).toEqual(['handshake', 'auth', 'query', 'migrations', 'seed']);
  });

  it('names an unresolvable host at the dns layer', async () => {
    expect(causeOf(await diagnose(['REDIS_URL=redis://cache.internal:6379']))).toBe('REDIS_URL dns ENOTFOUND');
  });

  it('says "port open but not PostgreSQL" when HTTP answers on the database port', async () => {
    const port = await httpServer((_request, response) => response.end('hello'));
    const result = await diagnose([`DATABASE_URL=postgres://app:pw@127.0.0.1:${port}/app`]);
    expect(causeOf(result)).toBe('DATABASE_URL handshake NOT_POSTGRES');
    expect(result.cause?.output).toMatch(/answered HTTP/);
  });

  it('names an API behind a proxy that answers 502 at the http layer', async () => {
    const port = await httpServer((_request, response) => {
      response.statusCode = 502;
      response.end('Bad Gateway');
    });
    expect(causeOf(await diagnose([`API_URL=http://127.0.0.1:${port}/`]))).toBe('API_URL http HTTP_502');
  });

  it('reads an unhealthy health body as the API failing, and a database below it as the cause', async () => {
    const api = await httpServer((request, response) => {
      response.statusCode = request.url === '/healthz' ? 503 : 200;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ status: 'error', details: { database: { status: 'down' } } }));
    });
    const closed = net.createServer();
    const dbPort = await listen(closed);
    closed.close();
    const result = await diagnose([`API_URL=http://127.0.0.1:${api}/`, `DATABASE_URL=postgres://app:pw@127.0.0.1:${dbPort}/app`]);
    expect(causeOf(result)).toBe('DATABASE_URL tcp ECONNREFUSED');
    expect(result.components.find((component) => component.name === 'API_URL')).toMatchObject({ status: 'fail', blockedBy: 'DATABASE_URL' });
  });

  it('passes a healthy API and says nothing blocks', async () => {
    const api = await httpServer((request, response) => {
      response.statusCode = request.url === '/health' ? 200 : 404;
      response.end('{"status":"ok"}');
    });
    const result = await diagnose([`API_URL=http://127.0.0.1:${api}/`]);
    expect(causeOf(result)).toBe('none');
    expect(result.components[0]?.layers.map((layer) => `${layer.layer}:${layer.status}`)).toEqual(['config:pass', 'dns:pass', 'tcp:pass', 'http:pass', 'health:pass']);
  });
});

describe('doctor: the frontend side', () => {
  it('names an API base baked into the frontend bundle as localhost', async () => {
    const port = await httpServer((request, response) => {
      if (request.url === '/app.js') response.end('const api = "http://localhost:3000"; export const login = (body) => fetch(`${api}/login`, { method: "POST", body });');
      else response.end('<!doctype html><html><head><script src="/app.js"></script></head><body></body></html>');
    });
    const result = await diagnose([`APP_URL=http://127.0.0.1:${port}/`]);
    expect(causeOf(result)).toBe('APP_URL bundle LOCALHOST_API_BASE');
  });

  it('names a CORS preflight from the frontend origin that omits credentials', async () => {
    const frontend = await httpServer((_request, response) => response.end('<!doctype html><title>app</title>'));
    const origin = `http://127.0.0.1:${frontend}`;
    const api = await httpServer((request, response) => {
      if (request.method === 'OPTIONS') {
        response.setHeader('access-control-allow-origin', request.headers.origin ?? '');
        response.setHeader('access-control-allow-methods', 'POST');
        response.statusCode = 204;
        response.end();
        return;
      }
      response.statusCode = request.url === '/healthz' ? 200 : 404;
      response.end('ok');
    });
    const result = await diagnose([`APP_URL=${origin}/`, `API_URL=http://127.0.0.1:${api}/`], { loginPath: '/auth/login' });
    expect(causeOf(result)).toBe('API_URL cors CORS_NO_CREDENTIALS');
    expect(result.cause?.output).toMatch(/^OPTIONS \/auth\/login from http:\/\/127\.0\.0\.1:\d+ → 204/);
    expect(result.components.find((component) => component.name === 'APP_URL')?.status).toBe('pass');
  });
});

describe('doctor: TLS', () => {
  let certs: Certs;
  beforeAll(() => {
    certs = generateCerts();
  });
  afterAll(() => certs.cleanup());

  async function tlsServer(name: 'good' | 'expired'): Promise<number> {
    const server = tls.createServer(certs.pair(name), (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
    servers.push(server);
    return listen(server);
  }

  it('names an expired certificate by its code', async () => {
    const port = await tlsServer('expired');
    expect(causeOf(await diagnose([`APP_URL=https://127.0.0.1:${port}/`], { ca: certs.caCert }))).toBe('APP_URL tls CERT_HAS_EXPIRED');
  });

  it('reports the days a valid certificate has left', async () => {
    const port = await tlsServer('good');
    const result = await diagnose([`APP_URL=https://127.0.0.1:${port}/`], { ca: certs.caCert });
    expect(result.components[0]?.layers.find((layer) => layer.layer === 'tls')).toMatchObject({ status: 'pass', observedUnit: 'days' });
  });
});

describe('doctor: Redis (a RESP server on loopback)', () => {
  let port: number;
  beforeAll(async () => {
    const server = net.createServer((socket) => {
      let authed = false;
      socket.on('data', (data) => {
        const text = data.toString();
        if (/AUTH/.test(text)) {
          authed = /\$5\r\nright\r\n/.test(text);
          socket.write(authed ? '+OK\r\n' : '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
        } else if (/PING/.test(text)) socket.write(authed ? '+PONG\r\n' : '-NOAUTH Authentication required.\r\n');
      });
    });
    servers.push(server);
    port = await listen(server);
  });

  it('names a wrong password WRONGPASS at the auth layer', async () => {
    expect(causeOf(await diagnose([`REDIS_URL=redis://:wrong@127.0.0.1:${port}`]))).toBe('REDIS_URL auth WRONGPASS');
  });

  it('passes with the right password', async () => {
    expect(causeOf(await diagnose([`REDIS_URL=redis://:right@127.0.0.1:${port}`]))).toBe('none');
  });
});

describe.skipIf(SERVER_URL === undefined && process.env['CI'] !== 'true')('doctor: a real PostgreSQL server', () => {
  const base = new URL(SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const databases = ['doctor_unmigrated', 'doctor_unseeded', 'doctor_ready', 'doctor_golang', 'doctor_flyway'];
  let repo: string;
  const urlFor = (database: string, user = 'postgres', password = ''): string => {
    const url = new URL(base.href);
    url.pathname = `/${database}`;
    url.username = user;
    url.password = password;
    return url.href;
  };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: base.href });
    await admin.connect();
    for (const database of databases) {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.query(`CREATE DATABASE ${database}`);
    }
    await admin.query('DROP ROLE IF EXISTS doctor_password');
    await admin.query("CREATE ROLE doctor_password LOGIN PASSWORD 'right'");
    await admin.end();
    const setUp = async (database: string, sql: string): Promise<void> => {
      const client = new pg.Client({ connectionString: urlFor(database) });
      await client.connect();
      await client.query(sql);
      await client.end();
    };
    const history = 'CREATE TABLE _prisma_migrations (id text PRIMARY KEY, migration_name text NOT NULL, finished_at timestamptz, rolled_back_at timestamptz);';
    await setUp('doctor_unseeded', `${history} INSERT INTO _prisma_migrations VALUES ('1', '20240101000000_init', now(), NULL); CREATE TABLE "User" (id serial PRIMARY KEY);`);
    await setUp('doctor_ready', `${history} INSERT INTO _prisma_migrations VALUES ('1', '20240101000000_init', now(), NULL); CREATE TABLE "User" (id serial PRIMARY KEY); INSERT INTO "User" DEFAULT VALUES;`);
    await setUp('doctor_golang', 'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, false);');
    await setUp('doctor_flyway', "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200), script varchar(1000), success boolean NOT NULL); INSERT INTO flyway_schema_history VALUES (1, '1', 'init', 'V1__init.sql', true), (2, '1.1', 'more', 'V1_1__more.sql', true), (3, NULL, 'views', 'R__views.sql', true);");
    repo = mkdtempSync(path.join(tmpdir(), 'shipready-doctor-repo-'));
    mkdirSync(path.join(repo, 'prisma', 'migrations', '20240101000000_init'), { recursive: true });
    writeFileSync(path.join(repo, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
    writeFileSync(path.join(repo, 'prisma', 'migrations', '20240101000000_init', 'migration.sql'), 'CREATE TABLE "User" (id serial PRIMARY KEY);\n');
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: base.href });
    await admin.connect();
    for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query('DROP ROLE IF EXISTS doctor_password');
    await admin.end();
    rmSync(repo, { recursive: true, force: true });
  });

  it('names a wrong password 28P01 at the auth layer', async () => {
    expect(causeOf(await diagnose([`DATABASE_URL=${urlFor('postgres', 'doctor_password', 'wrong')}`]))).toBe('DATABASE_URL auth 28P01');
  });

  it('names a missing database 3D000 at the auth layer', async () => {
    expect(causeOf(await diagnose([`DATABASE_URL=${urlFor('doctor_no_such_database')}`]))).toBe('DATABASE_URL auth 3D000');
  });

  it('says the migrations never ran when the repository has some and the database has no history table', async () => {
    const result = await diagnose([`DATABASE_URL=${urlFor('doctor_unmigrated')}`], { root: repo });
    expect(causeOf(result)).toBe('DATABASE_URL migrations NO_HISTORY_TABLE');
  });

  it('says the seed never ran when the migrations are applied and the users table is empty', async () => {
    expect(causeOf(await diagnose([`DATABASE_URL=${urlFor('doctor_unseeded')}`], { root: repo }))).toBe('DATABASE_URL seed NOT_SEEDED');
  });

  it('passes a migrated, seeded database, with the right password', async () => {
    const result = await diagnose([`DATABASE_URL=${urlFor('doctor_ready')}`], { root: repo });
    expect(causeOf(result)).toBe('none');
    expect(result.components[0]?.layers.map((layer) => layer.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(causeOf(await diagnose([`DATABASE_URL=${urlFor('postgres', 'doctor_password', 'right')}`]))).not.toMatch(/auth/);
  });

  it('runs --seed-query as one statement in a read-only session: a COMMIT; DELETE … after it is refused and writes nothing', async () => {
    const result = await diagnose([`DATABASE_URL=${urlFor('doctor_ready')}`], { root: repo, seedQuery: 'SELECT 1; COMMIT; DELETE FROM "User"' });
    expect(result.components[0]?.layers.find((layer) => layer.layer === 'seed')?.status).toBe('fail');
    const client = new pg.Client({ connectionString: urlFor('doctor_ready') });
    await client.connect();
    try {
      expect((await client.query<{ count: string }>('SELECT count(*)::text AS count FROM "User"')).rows[0]?.count).toBe('1');
    } finally {
      await client.end();
    }
  });

  it('reads golang-migrate’s one row as the current version, and fails a dirty one', async () => {
    const dir = makeTree({ 'migrations/000001_init.up.sql': 'CREATE TABLE a (id int);\n', 'migrations/000001_init.down.sql': 'DROP TABLE a;\n', 'migrations/000002_more.up.sql': 'CREATE TABLE b (id int);\n', 'migrations/000002_more.down.sql': 'DROP TABLE b;\n' }).dir;
    try {
      const clean = await diagnose([`DATABASE_URL=${urlFor('doctor_golang')}`], { root: dir });
      expect(clean.components[0]?.layers.find((layer) => layer.layer === 'migrations')).toMatchObject({ status: 'pass', observedValue: 2 });
      const client = new pg.Client({ connectionString: urlFor('doctor_golang') });
      await client.connect();
      await client.query('UPDATE schema_migrations SET dirty = true');
      await client.end();
      expect(causeOf(await diagnose([`DATABASE_URL=${urlFor('doctor_golang')}`], { root: dir }))).toBe('DATABASE_URL migrations MIGRATION_DIRTY');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches Flyway’s recorded versions with V… files and ignores repeatable rows (NULL version)', async () => {
    const dir = makeTree({ 'src/main/resources/db/migration/V1__init.sql': 'CREATE TABLE a (id int);\n', 'src/main/resources/db/migration/V1_1__more.sql': 'CREATE TABLE b (id int);\n', 'src/main/resources/db/migration/R__views.sql': 'CREATE OR REPLACE VIEW v AS SELECT 1;\n' }).dir;
    try {
      const result = await diagnose([`DATABASE_URL=${urlFor('doctor_flyway')}`], { root: dir });
      expect(result.components[0]?.layers.find((layer) => layer.layer === 'migrations')).toMatchObject({ status: 'pass', observedValue: 3 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts migrations of the repository missing from the history table', async () => {
    mkdirSync(path.join(repo, 'prisma', 'migrations', '20240201000000_next'));
    writeFileSync(path.join(repo, 'prisma', 'migrations', '20240201000000_next', 'migration.sql'), 'ALTER TABLE "User" ADD COLUMN name text;\n');
    try {
      const result = await diagnose([`DATABASE_URL=${urlFor('doctor_ready')}`], { root: repo });
      expect(causeOf(result)).toBe('DATABASE_URL migrations MIGRATIONS_PENDING');
      expect(result.cause?.output).toMatch(/^1 of 2 prisma migrations not applied \(newest: 20240201000000_next/);
    } finally {
      rmSync(path.join(repo, 'prisma', 'migrations', '20240201000000_next'), { recursive: true, force: true });
    }
  });
});

describe('doctor: inputs', () => {
  const tree = (files: Readonly<Record<string, string>>): string => makeTree(files).dir;

  it('reads .env, .env.<NODE_ENV>, compose services (interpolated, env_file, *_FILE) and the process environment, later winning', () => {
    const dir = tree({
      '.env': 'DATABASE_URL=postgres://app:one@127.0.0.1:5432/app\nDB_PASSWORD=from-dotenv\n',
      '.env.production': 'REDIS_URL=redis://127.0.0.1:6380\n',
      'api.env': 'SMTP_URL=smtp://mail.internal:25\n',
      'secrets/db': 'file-secret\n',
      'docker-compose.yml': [
        'services:',
        '  api:',
        '    env_file: api.env',
        '    environment:',
        '      DATABASE_URL: postgres://app:${DB_PASSWORD}@db:5432/app',
        '      CACHE_URL: redis://localhost:6379',
        '  db:',
        '    image: postgres:16',
        '    ports: ["127.0.0.1:15432:5432"]',
        '    environment:',
        '      POSTGRES_PASSWORD_FILE: secrets/db',
        '',
      ].join('\n'),
    });
    try {
      const inputs = readInputs({ root: dir, env: { NODE_ENV: 'production', API_URL: 'http://127.0.0.1:3000' } });
      if (!inputs.ok) throw new Error(inputs.error.message);
      expect(inputs.value.sources).toEqual(['.env', '.env.production', 'docker-compose.yml (compose file, chosen by conventional name)', 'process environment']);
      expect(inputs.value.components.map((component) => [component.name, component.kind, component.display])).toEqual([
        ['DATABASE_URL', 'postgres', 'postgres://app:••••@127.0.0.1:5432/app'],
        ['REDIS_URL', 'redis', 'redis://127.0.0.1:6380'],
        ['API_URL', 'http', 'http://127.0.0.1:3000/'],
        ['api: SMTP_URL', 'smtp', 'smtp://mail.internal:25'],
        ['api: DATABASE_URL', 'postgres', 'postgres://app:fr••••@db:5432/app'],
        ['api: CACHE_URL', 'redis', 'redis://localhost:6379'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks a compose service name through its published port, and calls localhost inside a container a config error', async () => {
    const dir = tree({
      'compose.yaml': ['services:', '  api:', '    environment:', '      DATABASE_URL: postgres://app:pw@db:5432/app', '      REDIS_URL: redis://localhost:6379', '  db:', '    image: postgres:16', '    ports: ["127.0.0.1:1:5432"]', ''].join('\n'),
    });
    try {
      const result = await diagnose([], { root: dir });
      const database = result.components.find((component) => component.name === 'api: DATABASE_URL');
      expect(database?.layers[0]).toMatchObject({ layer: 'config', status: 'pass' });
      expect(database?.layers.find((layer) => layer.layer === 'tcp')?.output).toMatch(/^127\.0\.0\.1:1 /);
      expect(result.components.find((component) => component.name === 'api: REDIS_URL')?.layers[0]).toMatchObject({ layer: 'config', status: 'fail', code: 'LOCALHOST_IN_CONTAINER' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed --url and a missing --env-file', () => {
    expect(readInputs({ root: emptyRoot, env: {}, urls: ['postgres://x'] })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(readInputs({ root: emptyRoot, env: {}, envFiles: ['missing.env'] })).toMatchObject({ ok: false });
  });
});

describe('doctor: containers (recorded docker compose ps output)', () => {
  const RECORDED_NDJSON = [
    '{"Command":"\\"docker-entrypoint.s…\\"","CreatedAt":"2026-12-07 20:01:02 +0000 UTC","ExitCode":1,"Health":"","ID":"5f1c","Image":"postgres:16","Name":"shop-db-1","Project":"shop","Service":"db","State":"exited","Status":"Exited (1) 2 minutes ago"}',
    '{"Command":"\\"node dist/main.js\\"","ExitCode":0,"Health":"unhealthy","ID":"9a2b","Image":"shop-api","Name":"shop-api-1","Project":"shop","Service":"api","State":"running","Status":"Up 2 minutes (unhealthy)"}',
    '{"Command":"\\"npx prisma migrate deploy\\"","ExitCode":0,"Health":"","ID":"77aa","Image":"shop-api","Name":"shop-migrate-1","Project":"shop","Service":"migrate","State":"exited","Status":"Exited (0) 3 minutes ago"}',
  ].join('\n');
  const RECORDED_ARRAY = '[{"Name":"shop-db-1","Service":"db","State":"running","Health":"healthy","ExitCode":0,"Status":"Up 5 minutes (healthy)"}]';

  it('parses both output shapes of docker compose ps --format json', async () => {
    const { parseComposePs } = await import('./containers.js');
    expect(parseComposePs(RECORDED_NDJSON).map((state) => [state.service, state.state, state.health, state.exitCode])).toEqual([
      ['db', 'exited', '', 1],
      ['api', 'running', 'unhealthy', 0],
      ['migrate', 'exited', '', 0],
    ]);
    expect(parseComposePs(RECORDED_ARRAY).map((state) => [state.service, state.health])).toEqual([['db', 'healthy']]);
    expect(parseComposePs('not json')).toEqual([]);
  });

  it('names an exited database container as the cause below everything, with its log tail, and lets a one-shot job exit 0', async () => {
    const dir = makeTree({ 'compose.yaml': ['services:', '  db:', '    image: postgres:16', '  api:', '    image: shop-api', ''].join('\n') });
    const closed = net.createServer();
    const port = await listen(closed);
    closed.close();
    const asked: string[] = [];
    const docker = async (args: readonly string[]): Promise<string | undefined> => {
      asked.push(args.filter((arg) => !arg.startsWith('/')).join(' '));
      if (args.includes('ps')) return RECORDED_NDJSON;
      return args.includes('db') ? 'FATAL:  data directory "/var/lib/postgresql/data" has wrong ownership\n' : '';
    };
    try {
      const result = await diagnose([`DATABASE_URL=postgres://app:pw@127.0.0.1:${port}/app`], { root: dir.dir, docker });
      expect(causeOf(result)).toBe('containers containers EXITED');
      expect(result.cause?.output).toMatch(/db exited with code 1; api is unhealthy .*db: FATAL: {2}data directory/);
      expect(result.cause?.output).not.toMatch(/migrate/);
      expect(result.components.find((component) => component.name === 'DATABASE_URL')?.blockedBy).toBe('containers');
      expect(asked).toEqual(['compose -f ps --all --format json', 'compose -f logs --tail 20 --no-color --no-log-prefix db', 'compose -f logs --tail 20 --no-color --no-log-prefix api']);
    } finally {
      dir.cleanup();
    }
  });

  it('goes on without Docker, saying so', async () => {
    const dir = makeTree({ 'compose.yaml': 'services:\n  db:\n    image: postgres:16\n' });
    try {
      const result = await diagnose(['API_URL=http://127.0.0.1:1/'], { root: dir.dir, docker: async () => undefined });
      expect(result.components.find((component) => component.name === 'containers')?.layers[0]).toMatchObject({ status: 'skipped', output: expect.stringMatching(/docker is not installed/) });
    } finally {
      dir.cleanup();
    }
  });
});

describe('doctor: review regressions', () => {
  const tree = (files: Readonly<Record<string, string>>): string => makeTree(files).dir;
  const layerOf = (result: DoctorResult, component: string, layer: string): LayerResult | undefined => result.components.find((candidate) => candidate.name === component)?.layers.find((candidate) => candidate.layer === layer);
  const closedPort = async (): Promise<number> => {
    const closed = net.createServer();
    const port = await listen(closed);
    closed.close();
    return port;
  };
  const pgMessage = (type: string, body: Buffer): Buffer => {
    const header = Buffer.alloc(5);
    header.write(type);
    header.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([header, body]);
  };
  const int32 = (value: number): Buffer => {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value);
    return buffer;
  };
  async function tcpServer(onConnection: (socket: net.Socket, index: number) => void, options: net.ServerOpts = {}): Promise<number> {
    let count = 0;
    const server = net.createServer(options, (socket) => {
      socket.on('error', () => undefined);
      count += 1;
      onConnection(socket, count);
    });
    servers.push(server);
    return listen(server);
  }

  it('neither flags nor echoes a $ inside a password, and still names an unresolved ${VAR} outside the userinfo or as a whole field', async () => {
    const port = await closedPort();
    const result = await diagnose([`DATABASE_URL=postgres://u:pa$word@127.0.0.1:${port}/db`, `REDIS_URL=redis://:p%24HOME@127.0.0.1:${port}`, 'MYSQL_URL=mysql://u:pw@${DB_HOST}:3306/db', 'AMQP_URL=amqp://u:${AMQP_PASS}@127.0.0.1:1']);
    expect(layerOf(result, 'DATABASE_URL', 'config')).toMatchObject({ status: 'pass' });
    expect(layerOf(result, 'REDIS_URL', 'config')).toMatchObject({ status: 'pass' });
    expect(layerOf(result, 'MYSQL_URL', 'config')).toMatchObject({ status: 'fail', code: 'UNRESOLVED' });
    expect(layerOf(result, 'AMQP_URL', 'config')).toMatchObject({ status: 'fail', code: 'UNRESOLVED' });
    expect(JSON.stringify(result)).not.toMatch(/word|HOME/);
  });

  it('reports a malformed % escape as that component’s config failure and still checks the others', async () => {
    const port = await closedPort();
    const result = await diagnose([`DATABASE_URL=postgres://u:50%off@127.0.0.1:${port}/db`, `REDIS_URL=redis://:p%zz@127.0.0.1:${port}`, `CACHE_URL=redis://127.0.0.1:${port}`]);
    expect(layerOf(result, 'DATABASE_URL', 'config')).toMatchObject({ status: 'fail', code: 'MALFORMED_URL' });
    expect(layerOf(result, 'REDIS_URL', 'config')).toMatchObject({ status: 'fail', code: 'MALFORMED_URL' });
    expect(layerOf(result, 'CACHE_URL', 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
  });

  it('turns a component that throws into an internal failure of that component alone', async () => {
    const dir = tree({ 'compose.yaml': ['services:', '  web:', '    image: nginx', ''].join('\n') });
    try {
      const port = await closedPort();
      const result = await diagnose([`REDIS_URL=redis://127.0.0.1:${port}`], { root: dir, docker: () => Promise.reject(new Error('docker runner broke')) });
      expect(layerOf(result, 'containers', 'internal')).toMatchObject({ status: 'fail', code: 'INTERNAL' });
      expect(layerOf(result, 'REDIS_URL', 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survives a reset of the raw Postgres connection while the driver logs in', async () => {
    const port = await tcpServer((socket, index) => {
      socket.on('data', () => {
        if (index !== 1) return;
        socket.write(pgMessage('R', int32(10)));
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
    });
    const result = await diagnose([`DATABASE_URL=postgres://u:p@127.0.0.1:${port}/d`], { timeoutMs: 500 });
    expect(layerOf(result, 'DATABASE_URL', 'handshake')).toMatchObject({ status: 'pass' });
    expect(layerOf(result, 'DATABASE_URL', 'auth')?.status).toBe('fail');
  });

  it('waits for whole packets: a MySQL error, a Redis line and a Postgres ErrorResponse split across writes', async () => {
    const mysqlBody = Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), Buffer.from('#HY000Host is not allowed to connect')]);
    const mysqlPacket = Buffer.concat([Buffer.from([mysqlBody.length, 0, 0, 0]), mysqlBody]);
    const mysql = await tcpServer((socket) => {
      socket.write(mysqlPacket.subarray(0, 6));
      setTimeout(() => socket.write(mysqlPacket.subarray(6)), 100);
    });
    const redis = await tcpServer((socket) => {
      socket.on('data', () => {
        socket.write('-NOAU');
        setTimeout(() => socket.write('TH Authentication required.\r\n'), 100);
      });
    });
    const postgres = await tcpServer((socket) => {
      socket.once('data', () => {
        const message = pgMessage('E', Buffer.from('SFATAL\0VFATAL\0C28000\0Mno pg_hba.conf entry\0\0'));
        socket.write(message.subarray(0, 10));
        setTimeout(() => socket.write(message.subarray(10)), 100);
      });
    });
    const result = await diagnose([`MYSQL_URL=mysql://u:p@127.0.0.1:${mysql}/d`, `REDIS_URL=redis://127.0.0.1:${redis}`, `DATABASE_URL=postgres://u:p@127.0.0.1:${postgres}/d`], { timeoutMs: 1000 });
    expect(layerOf(result, 'MYSQL_URL', 'handshake')).toMatchObject({ status: 'fail', code: 'MYSQL_1130' });
    expect(layerOf(result, 'REDIS_URL', 'handshake')).toMatchObject({ status: 'pass' });
    expect(layerOf(result, 'DATABASE_URL', 'handshake')).toMatchObject({ status: 'pass', code: '28000' });
  });

  it('logs in through the published port of a compose service, with a read-only session', async () => {
    const startups: string[] = [];
    const port = await tcpServer(
      (socket) => {
        let first = true;
        socket.on('data', (data) => {
          if (!first) return;
          first = false;
          startups.push(data.toString('latin1'));
          socket.write(Buffer.concat([pgMessage('R', int32(0)), pgMessage('Z', Buffer.from('I'))]));
        });
      },
      { allowHalfOpen: true },
    );
    const dir = tree({ 'compose.yaml': ['services:', '  api:', '    environment:', '      DATABASE_URL: postgres://app:pw@db:5432/app', '  db:', '    image: postgres:16', `    ports: ["127.0.0.1:${port}:5432"]`, ''].join('\n') });
    try {
      const result = await diagnose([], { root: dir, timeoutMs: 300 });
      expect(layerOf(result, 'api: DATABASE_URL', 'auth')).toMatchObject({ status: 'pass' });
      expect(startups.some((startup) => startup.includes('default_transaction_read_only=on'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('interpolates compose host ports from .env, and fails config on a port that is not a number', async () => {
    const port = await closedPort();
    const compose = (ports: string): string => ['services:', '  api:', '    environment:', '      DATABASE_URL: postgres://app:pw@db:5432/app', '  db:', '    image: postgres:16', `    ports: ["${ports}"]`, ''].join('\n');
    const withEnv = tree({ '.env': `DB_PORT=${port}\n`, 'compose.yaml': compose('${DB_PORT:-5432}:5432') });
    const unset = tree({ 'compose.yaml': compose('${DB_PORT}:5432') });
    try {
      expect(layerOf(await diagnose([], { root: withEnv }), 'api: DATABASE_URL', 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED', output: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port} `)) });
      expect(layerOf(await diagnose([], { root: unset }), 'api: DATABASE_URL', 'config')).toMatchObject({ status: 'fail', code: 'BAD_PUBLISHED_PORT' });
    } finally {
      rmSync(withEnv, { recursive: true, force: true });
      rmSync(unset, { recursive: true, force: true });
    }
  });

  it('gives the driver the target host and port, the --ca and the server name, and a read-only session', () => {
    const config = clientConfig({ url: new URL('postgres://app:p%40ss@db:5432/app?sslmode=verify-full'), host: 'db.example.test', port: 15432, variable: 'DATABASE_URL', timeoutMs: 1000, tls: true, ca: 'PEM' });
    expect(config).toMatchObject({ host: 'db.example.test', port: 15432, user: 'app', password: 'p@ss', database: 'app', options: '-c default_transaction_read_only=on' });
    const ssl = config.ssl;
    expect(typeof ssl === 'object' && ssl !== null ? { servername: ssl.servername, hasCa: Array.isArray(ssl.ca) && ssl.ca.includes('PEM') } : ssl).toEqual({ servername: 'db.example.test', hasCa: true });
    expect(clientConfig({ url: new URL('postgres://app@db/app'), host: '127.0.0.1', port: 1, variable: 'DATABASE_URL', timeoutMs: 1000 }).ssl).toBe(false);
  });

  it('compares applied migrations per framework: golang-migrate’s current version, Flyway’s dotted versions without repeatables', () => {
    const set = (framework: MigrationSet['framework'], ids: readonly { id: string; repeatable?: boolean }[]): MigrationSet => ({ framework, dir: 'db', transaction: 'per-file', hasDowns: false, migrations: ids.map((entry) => ({ id: entry.id, name: entry.id, framework, path: `db/${entry.id}.sql`, language: 'sql', transaction: 'per-file', transactionReason: 'test', ...(entry.repeatable === true ? { repeatable: true } : {}) })) });
    expect(missingMigrations(set('golang-migrate', [{ id: '1' }, { id: '2' }, { id: '3' }]), ['2']).map((migration) => migration.id)).toEqual(['3']);
    expect(missingMigrations(set('flyway', [{ id: 'V1' }, { id: 'V1.1' }, { id: 'V2' }, { id: 'R__views', repeatable: true }]), ['1', '1.1']).map((migration) => migration.id)).toEqual(['V2']);
  });

  it('reads *_FILE secrets only inside the folder it checks', () => {
    const outside = tree({ 'secret.txt': 'outside-secret\n' });
    const dir = tree({ '.env': `REDIS_HOST=127.0.0.1\nREDIS_PASSWORD_FILE=${path.join(outside, 'secret.txt')}\nPGHOST=127.0.0.1\nPGPASSWORD_FILE=inside.txt\n`, 'inside.txt': 'inside-secret\n' });
    try {
      const inputs = readInputs({ root: dir, env: {} });
      expect(inputs.ok).toBe(true);
      if (!inputs.ok) return;
      const urls = inputs.value.components.map((component) => component.url.href).join(' ');
      expect(urls).not.toContain('outside-secret');
      expect(urls).toContain('inside-secret');
      expect(inputs.value.notes.some((note) => note.startsWith('REDIS_PASSWORD_FILE'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('resolves a mongodb+srv:// host through its SRV record and checks the host it names', async () => {
    const port = await closedPort();
    const asked: string[] = [];
    const result = await diagnose(['MONGODB_URL=mongodb+srv://u:p@cluster0.example.test/app'], {
      resolveSrv: async (name) => {
        asked.push(name);
        return [{ name: '127.0.0.1', port }];
      },
    });
    expect(asked).toEqual(['_mongodb._tcp.cluster0.example.test']);
    expect(layerOf(result, 'MONGODB_URL', 'dns')).toMatchObject({ status: 'pass' });
    expect(layerOf(result, 'MONGODB_URL', 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED', output: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port} `)) });
  });

  it('redacts the URL of a refused --url after its NAME=', () => {
    const refused = readInputs({ root: emptyRoot, env: {}, urls: ['DATABASE_URL=postgress://u:topsecret@h/db'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(JSON.stringify(refused)).not.toContain('topsecret');
  });
});
