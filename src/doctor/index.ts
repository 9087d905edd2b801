// `doctor`: walks each component of the stack layer by layer, stops at the first layer that fails, and names the
// lowest failing component as the cause of "I can't log in". docs/doctor.md
import type * as net from 'node:net';
import { isPlaceholder } from '../core/secret-values.js';
import { ok, type Result, type UserError } from '../core/result.js';
import { listMigrations } from '../migrations/index.js';
import type { MigrationSet } from '../migrations/types.js';
import { serviceVolumes, type ComposeService } from '../project/compose.js';
import { greetingHandshake, PG_SSL_REQUEST, postgresHandshake, readUntil } from './handshake.js';
import { containersLayer, parseComposePs, systemDocker, type DockerRunner } from './containers.js';
import { bundleLayer, corsLayer, healthLayer, httpLayer } from './http.js';
import { publishedPort, readInputs, type InputOptions } from './inputs.js';
import { safeDecode, decodeOrRaw } from './decode.js';
import { dnsLayer, srvLayer, systemLookup, systemResolveSrv, tcpLayer, tlsLayer, withTimeout, type Lookup, type ResolveSrv } from './net.js';
import { postgresAuth, postgresMigrations, postgresQuery, postgresSeed } from './postgres.js';
import { redisAuth, redisQuery } from './redis.js';
import { ROLE_TIER, type Component, type ComponentKind, type ComponentReport, type DoctorResult, type LayerName, type LayerResult } from './types.js';

export type { ComponentReport, DoctorResult, LayerResult } from './types.js';

export interface DoctorOptions extends InputOptions {
  /** Per layer (default 3 s). */
  readonly timeoutMs?: number;
  /** Retry until every component passes or this much time has gone (`--wait`). */
  readonly waitMs?: number;
  /** A read-only query whose first column counts the seeded rows (default: the users table). */
  readonly seedQuery?: string;
  /** The API's health route (default: /healthz, /health, /api/health, /readyz, /status). */
  readonly healthPath?: string;
  /** The API's login route, for the CORS preflight from the frontend origin (default: the API URL's path). */
  readonly loginPath?: string;
  readonly now?: () => Date;
  /** PEM of an extra CA to trust (a private PKI), besides the system's. */
  readonly ca?: string;
  /** Injected by tests; the system resolver otherwise. */
  readonly lookup?: Lookup;
  /** SRV resolution for `mongodb+srv://`; injected by tests, the system resolver otherwise. */
  readonly resolveSrv?: ResolveSrv;
  /** Runs `docker` (read-only subcommands); injected by tests, the system's docker CLI otherwise. */
  readonly docker?: DockerRunner;
  /** Called before each retry of `--wait`, with the attempt number. */
  readonly onAttempt?: (attempt: number, result: DoctorResult) => void;
}

const DEFAULT_TIMEOUT_MS = 3000;

const DEFAULT_PORTS: Readonly<Record<ComponentKind, number>> = { postgres: 5432, mysql: 3306, redis: 6379, mongodb: 27017, amqp: 5672, kafka: 9092, smtp: 25, http: 80, containers: 0 };

const LAYERS: Readonly<Record<ComponentKind, readonly LayerName[]>> = {
  postgres: ['config', 'dns', 'tcp', 'tls', 'handshake', 'auth', 'query', 'migrations', 'seed'],
  redis: ['config', 'dns', 'tcp', 'tls', 'handshake', 'auth', 'query'],
  mysql: ['config', 'dns', 'tcp', 'handshake'],
  mongodb: ['config', 'dns', 'tcp', 'tls', 'handshake'],
  amqp: ['config', 'dns', 'tcp', 'tls', 'handshake'],
  smtp: ['config', 'dns', 'tcp', 'tls', 'handshake'],
  kafka: ['config', 'dns', 'tcp'],
  http: ['config', 'dns', 'tcp', 'tls', 'http', 'health', 'bundle', 'cors'],
  containers: ['containers'],
};

function defaultPort(url: URL, kind: ComponentKind): number {
  if (url.port !== '') return Number(url.port);
  if (url.protocol === 'https:') return 443;
  if (url.protocol === 'smtps:') return 465;
  if (url.protocol === 'amqps:') return 5671;
  return DEFAULT_PORTS[kind];
}

/** Whether the URL asks for TLS: its scheme (https, rediss, amqps, smtps), `sslmode=require|verify-*`, or `tls=true`. */
function wantsTls(url: URL, kind: ComponentKind): boolean {
  if (['https:', 'rediss:', 'amqps:', 'smtps:'].includes(url.protocol)) return true;
  if (kind === 'postgres') return ['require', 'verify-ca', 'verify-full'].includes(url.searchParams.get('sslmode') ?? '');
  if (kind === 'mongodb') return url.searchParams.get('tls') === 'true' || url.searchParams.get('ssl') === 'true' || url.protocol === 'mongodb+srv:';
  return false;
}

interface Target {
  readonly host: string;
  readonly port: number;
  readonly note?: string;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d+){3}|\[?::1\]?|0\.0\.0\.0)$/i;

/** `$NAME` or `${NAME…}` left by an interpolation that never ran; only the name is captured, never what follows. */
const UNRESOLVED = /\$(\{)?([A-Za-z_][A-Za-z0-9_]*)/;

/** A whole user or password that is one `${NAME}`: a `$` elsewhere in a password is a legitimate character. */
const WHOLE_PLACEHOLDER = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-[^}]*)?\}$/;

/**
 * The name of a variable the URL still holds, looked for outside the userinfo (host, port, path, query) and, in
 * the userinfo, only as a whole `${NAME}` field, so a password with a `$` in it is neither flagged nor echoed.
 */
function unresolvedVariable(url: URL): { name: string; braced: boolean } | undefined {
  // The URL parser percent-encodes `{`, `}` and `$` in some positions: decode each part on its own, never the userinfo.
  const outside = [url.hostname, url.port, url.pathname, url.search, url.hash].map(decodeOrRaw).join(' ');
  const found = UNRESOLVED.exec(outside);
  if (found?.[2] !== undefined) return { name: found[2], braced: found[1] !== undefined };
  for (const field of [url.username, url.password]) {
    const whole = WHOLE_PLACEHOLDER.exec(decodeOrRaw(field))?.[1];
    if (whole !== undefined) return { name: whole, braced: true };
  }
  return undefined;
}

/** Layer `config`: the URL has a host, decodes, holds no placeholder or unresolved `${VAR}`, and `localhost` is not asked of a container. */
function configLayer(component: Component, compose: readonly ComposeService[], lookup: (name: string) => string | undefined): { result: LayerResult; target?: Target } {
  const { url } = component;
  const decoded = [url.username, url.password, url.pathname].map(safeDecode);
  if (decoded.some((part) => part === undefined)) {
    return { result: { layer: 'config', status: 'fail', code: 'MALFORMED_URL', output: `${component.name} holds a % that is not followed by two hex digits (in the user, password or database name)`, hint: `Percent-encode the value in ${component.source}: write a literal % as %25 (and @ as %40, : as %3A, / as %2F).` } };
  }
  const unresolved = unresolvedVariable(url);
  if (unresolved !== undefined) return { result: { layer: 'config', status: 'fail', code: 'UNRESOLVED', output: `${component.name} still holds ${unresolved.braced ? `\${${unresolved.name}}` : `$${unresolved.name}`}, never substituted`, hint: `Set the variable it names in .env or the environment the app starts with.` } };
  if (url.hostname === '') return { result: { layer: 'config', status: 'fail', code: 'NO_HOST', output: `${component.name} names no host`, hint: 'Give the URL a host: scheme://user:password@host:port/database.' } };
  const password = decoded[1] ?? '';
  if (password !== '' && isPlaceholder(password) && !/^(?:postgres|password|secret|root|admin)$/i.test(password)) {
    return { result: { layer: 'config', status: 'fail', code: 'PLACEHOLDER', output: `the password in ${component.name} is a placeholder`, hint: `Replace it with the real password (from the secret store) in ${component.source}.` } };
  }
  if (component.service !== undefined && LOOPBACK.test(url.hostname)) {
    return { result: { layer: 'config', status: 'fail', code: 'LOCALHOST_IN_CONTAINER', output: `${component.name} points at ${url.hostname}, which inside the ${component.service} container is the container itself`, hint: 'Use the compose service name of the dependency (e.g. db:5432) instead of localhost.' } };
  }
  const port = defaultPort(url, component.kind);
  const service = compose.find((candidate) => candidate.name === url.hostname);
  if (service !== undefined) {
    const published = publishedPort(service, String(port), lookup);
    if (published !== undefined && !published.ok) {
      return { result: { layer: 'config', status: 'fail', code: 'BAD_PUBLISHED_PORT', output: `service ${service.name} publishes port ${port} on host port "${published.error}", which is not a port number (1-65535)`, hint: 'Set the variable the compose ports: entry names (in .env or the environment), or give a default: ${DB_PORT:-5432}.' } };
    }
    if (published !== undefined) {
      return { result: { layer: 'config', status: 'pass', output: `${url.hostname} is a compose service: checked from here through its published port ${published.value.host}:${published.value.port}` }, target: { host: published.value.host, port: published.value.port, note: 'published' } };
    }
  }
  const warnings = component.kind === 'postgres' && password === '' && url.username !== '' ? ' (no password in the URL: PGPASSWORD or ~/.pgpass must supply one)' : '';
  return { result: { layer: 'config', status: 'pass', output: `${component.display} from ${component.source}${warnings}` }, target: { host: url.hostname, port } };
}

/** A compose database service that keeps its data in a named volume: its POSTGRES_* applied once, on the first start. */
function volumeHint(compose: readonly ComposeService[]): string | undefined {
  const database = compose.find((service) => /(?:^|\/)(?:postgres|postgis\/postgis|timescale\/timescaledb|bitnami\/postgresql)(?::|$)/.test(service.image ?? '') && serviceVolumes(service).some((volume) => volume.kind === 'volume' && /\/var\/lib\/postgresql/.test(volume.target)));
  if (database === undefined) return undefined;
  return `The postgres image applies POSTGRES_PASSWORD, POSTGRES_USER and POSTGRES_DB only to an empty data directory: the volume of service ${database.name} still holds the values of its first start. Change them inside the database (ALTER USER … PASSWORD, CREATE DATABASE), or recreate the volume (docker compose down -v deletes the data).`;
}

interface WalkContext {
  readonly timeoutMs: number;
  readonly now: Date;
  readonly lookup: Lookup;
  readonly resolveSrv: ResolveSrv;
  readonly compose: readonly ComposeService[];
  readonly sets: () => readonly MigrationSet[];
  readonly seedQuery?: string;
  readonly healthPath?: string;
  readonly loginPath?: string;
  readonly ca?: string;
  /** The frontend's origin, when one is configured: the API's CORS preflight is sent from it. */
  readonly frontendOrigin?: string;
  readonly serviceNames: readonly string[];
  readonly apiHosts: readonly string[];
  readonly docker: DockerRunner;
  readonly composeFiles: readonly string[];
  /** The variables compose interpolates its file with. */
  readonly lookupVariable: (name: string) => string | undefined;
}

/** Runs one layer under the per-layer timeout, so a server that accepts and then says nothing cannot hang the run. */
async function bounded(layer: LayerName, work: Promise<LayerResult>, timeoutMs: number): Promise<LayerResult> {
  const started = performance.now();
  try {
    return await withTimeout(work, timeoutMs + 500, layer);
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error) || error.code !== 'ETIMEDOUT') throw new Error(`doctor: the ${layer} layer failed unexpectedly`, { cause: error });
    return { layer, status: 'fail', code: 'ETIMEDOUT', output: `${layer} did not finish within ${timeoutMs} ms`, ms: Math.round(performance.now() - started), hint: `The server accepted the connection but did not answer the ${layer} step in time: it is overloaded, stuck, or not this protocol.` };
  }
}

/** The containers component: `docker compose ps`, and the log tail of each failed service. */
async function containers(context: WalkContext): Promise<LayerResult[]> {
  const files = context.composeFiles.flatMap((file) => ['-f', file]);
  const listed = await context.docker(['compose', ...files, 'ps', '--all', '--format', 'json']);
  if (listed === undefined) return [{ layer: 'containers', status: 'skipped', output: 'docker is not installed here or did not answer: container state not checked' }];
  const states = parseComposePs(listed);
  const failed = states.filter((state) => state.state === 'restarting' || state.health === 'unhealthy' || ((state.state === 'exited' || state.state === 'dead') && state.exitCode !== 0));
  const logs = new Map<string, string>();
  for (const state of failed.slice(0, 3)) {
    const log = await context.docker(['compose', ...files, 'logs', '--tail', '20', '--no-color', '--no-log-prefix', state.service]);
    if (log !== undefined) logs.set(state.service, log);
  }
  return [containersLayer(states, logs)];
}

async function walk(component: Component, context: WalkContext): Promise<LayerResult[]> {
  if (component.kind === 'containers') return containers(context);
  const results: LayerResult[] = [];
  const planned = LAYERS[component.kind].filter((layer) => {
    if (layer === 'tls') return wantsTls(component.url, component.kind);
    if (layer === 'health') return component.role === 'api';
    if (layer === 'bundle') return component.role === 'frontend';
    // Same origin needs no CORS: only a frontend elsewhere makes the browser ask.
    if (layer === 'cors') return component.role === 'api' && context.frontendOrigin !== undefined && context.frontendOrigin !== component.url.origin;
    return true;
  });
  let socket: net.Socket | undefined;
  try {
    const config = configLayer(component, context.compose, context.lookupVariable);
    results.push(config.result);
    let target = config.target;
    if (target !== undefined && component.url.protocol === 'mongodb+srv:') {
      // The SRV record names the real hosts; the layers below go to the first of them.
      const srv = await srvLayer(target.host, context.resolveSrv, context.timeoutMs);
      results.push(srv.result);
      target = srv.target;
      if (target !== undefined) {
        const tcp = await tcpLayer(target.host, target.port, context.timeoutMs);
        results.push(tcp.result);
        socket = tcp.socket;
      }
    } else if (target !== undefined) {
      const dns = await dnsLayer(target.host, context.lookup, context.timeoutMs);
      results.push(dns.result);
      if (dns.result.status !== 'fail') {
        const tcp = await tcpLayer(dns.addresses[0] ?? target.host, target.port, context.timeoutMs);
        results.push(tcp.result);
        socket = tcp.socket;
      }
    }
    if (socket !== undefined) results.push(...(await above(component, socket, target?.host ?? component.url.hostname, target?.port ?? 0, planned, context, (next) => (socket = next))));
  } finally {
    socket?.destroy();
  }
  const failed = results.find((result) => result.status === 'fail');
  for (const layer of planned) {
    if (results.some((result) => result.layer === layer)) continue;
    results.push({ layer, status: failed === undefined ? 'skipped' : 'blocked', output: failed === undefined ? 'not checked' : `blocked by ${failed.layer}` });
  }
  return planned.map((layer) => results.find((result) => result.layer === layer)).filter((result): result is LayerResult => result !== undefined);
}

/** The layers above TCP, per protocol; each runs only while the ones below passed. */
async function above(component: Component, socket: net.Socket, host: string, port: number, planned: readonly LayerName[], context: WalkContext, replaceSocket: (next: net.Socket) => void): Promise<LayerResult[]> {
  const results: LayerResult[] = [];
  const passed = (): boolean => !results.some((result) => result.status === 'fail');
  const { timeoutMs } = context;
  const started = performance.now();
  let current = socket;
  if (component.kind === 'postgres') {
    const user = decodeOrRaw(component.url.username) || 'postgres';
    const database = decodeOrRaw(component.url.pathname.slice(1)) || user;
    if (planned.includes('tls')) {
      const answer = await readUntil(current, timeoutMs, (data) => data.length >= 1, PG_SSL_REQUEST);
      if (answer[0] === 83) {
        const upgraded = await tlsLayer(host, port, timeoutMs, context.now, current, context.ca);
        results.push(upgraded.result);
        if (upgraded.secure !== undefined) {
          current = upgraded.secure;
          replaceSocket(upgraded.secure);
        }
      } else if (answer[0] === 78) {
        results.push({ layer: 'tls', status: 'fail', code: 'SSL_NOT_SUPPORTED', output: `the server does not accept TLS, and sslmode=${component.url.searchParams.get('sslmode') ?? ''} requires it`, hint: 'Enable ssl on the server, or drop sslmode=require for a server on a private network.' });
      } else if (answer[0] !== 78) {
        results.push({ layer: 'handshake', status: 'fail', code: 'NOT_POSTGRES', output: 'port open but not PostgreSQL: it did not answer the SSL request', hint: 'Another service listens on this port: check the port and which container publishes it.' });
      }
    }
    if (passed() && !results.some((result) => result.layer === 'handshake')) results.push(await bounded('handshake', postgresHandshake(current, user, database, timeoutMs, started), timeoutMs));
    // The raw handshake connection has served its purpose (no password was sent on it): close it now, so a server
    // that resets it while the driver logs in has nothing left to reset.
    current.destroy();
    if (!passed()) return results;
    const hint = volumeHint(context.compose);
    // The driver connects where the layers below did (a compose service's published port), not to `db:5432`.
    const auth = await postgresAuth({ url: component.url, host, port, variable: component.name, timeoutMs, tls: planned.includes('tls'), ...(context.ca === undefined ? {} : { ca: context.ca }), ...(hint === undefined ? {} : { volumeHint: hint }) });
    results.push(auth.result);
    const client = auth.client;
    if (client === undefined) return results;
    try {
      results.push(await bounded('query', postgresQuery(client, timeoutMs), timeoutMs));
      if (!passed()) return results;
      results.push(await bounded('migrations', postgresMigrations(client, context.sets()), timeoutMs));
      if (!passed()) return results;
      results.push(await bounded('seed', postgresSeed(client, context.seedQuery), timeoutMs));
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
    return results;
  }
  if (planned.includes('tls') && component.kind !== 'http') {
    current.destroy();
    const secured = await tlsLayer(host, port, timeoutMs, context.now, undefined, context.ca);
    results.push(secured.result);
    if (secured.secure === undefined) return results;
    current = secured.secure;
    replaceSocket(secured.secure);
  }
  if (component.kind === 'http') {
    current.destroy();
    if (planned.includes('tls')) {
      const secured = await tlsLayer(host, port, timeoutMs, context.now, undefined, context.ca);
      secured.secure?.destroy();
      results.push(secured.result);
      if (!passed()) return results;
    }
    // A compose service name is asked through its published port: the same path, this machine's address.
    const reachable = new URL(component.url.href);
    if (host !== component.url.hostname) {
      reachable.hostname = host;
      reachable.port = String(port);
    }
    results.push(await bounded('http', httpLayer(reachable, timeoutMs), timeoutMs));
    if (passed() && planned.includes('health')) results.push(await bounded('health', healthLayer(reachable, timeoutMs, context.healthPath), timeoutMs * HEALTH_ATTEMPTS));
    if (passed() && planned.includes('cors') && context.frontendOrigin !== undefined) results.push(await bounded('cors', corsLayer(reachable, context.frontendOrigin, timeoutMs, context.loginPath), timeoutMs));
    if (passed() && planned.includes('bundle')) results.push(await bounded('bundle', bundleLayer(reachable, timeoutMs, { serviceNames: context.serviceNames, apiHosts: context.apiHosts }), timeoutMs * (MAX_SCRIPT_FETCHES + 1)));
    return results;
  }
  results.push(await bounded('handshake', greetingHandshake(component.kind, current, timeoutMs, started), timeoutMs));
  if (!passed() || component.kind !== 'redis') return results;
  const auth = await bounded('auth', redisAuth(current, component.url, timeoutMs), timeoutMs);
  results.push(auth);
  if (!passed()) return results;
  results.push(await bounded('query', redisQuery(current, timeoutMs), timeoutMs));
  return results;
}

/** The bundle layer reads the page and at most this many scripts (probe's limit). */
const MAX_SCRIPT_FETCHES = 5;

/** The health layer may try each conventional path once. */
const HEALTH_ATTEMPTS = 5;

function statusOf(layers: readonly LayerResult[]): ComponentReport['status'] {
  if (layers.some((layer) => layer.status === 'fail')) return 'fail';
  return layers.some((layer) => layer.status === 'warn') ? 'warn' : 'pass';
}

/** Root cause: the failing component of the lowest tier (databases and caches below the API, the API below the frontend). */
function diagnose(reports: readonly ComponentReport[]): { components: ComponentReport[]; cause?: DoctorResult['cause'] } {
  const ordered = [...reports].sort((a, b) => ROLE_TIER[a.role] - ROLE_TIER[b.role]);
  const root = ordered.find((report) => report.status === 'fail');
  if (root === undefined) return { components: ordered };
  const layer = root.layers.find((candidate) => candidate.status === 'fail');
  const components = ordered.map((report) => (report !== root && report.status === 'fail' && ROLE_TIER[report.role] > ROLE_TIER[root.role] ? { ...report, blockedBy: root.name } : report));
  // The worst first, as flutter doctor lists them: the cause, then what it blocks, then the rest.
  components.sort((a, b) => (a === root ? -1 : b === root ? 1 : (a.status === 'fail' ? 0 : 1) - (b.status === 'fail' ? 0 : 1) || ROLE_TIER[a.role] - ROLE_TIER[b.role]));
  return { components, ...(layer === undefined ? {} : { cause: { component: root.name, layer: layer.layer, output: layer.output, ...(layer.code === undefined ? {} : { code: layer.code }) } }) };
}

async function attempt(components: readonly Component[], context: WalkContext): Promise<{ components: ComponentReport[]; cause?: DoctorResult['cause'] }> {
  // Components in parallel, layers in order within each.
  const reports = await Promise.all(
    components.map(async (component): Promise<ComponentReport> => {
      // One component's crash (a bug, a driver throwing where it should reject) must not lose the others' diagnosis:
      // it becomes that component's failure, with the error's message, and the run still reports everything.
      const layers = await walk(component, context).catch((error: unknown): LayerResult[] => [{ layer: 'internal', status: 'fail', code: 'INTERNAL', output: `doctor failed while checking ${component.name}: ${error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error)}`, hint: 'This is a bug in shipready doctor: please report it with --debug output; the other components were still checked.' }]);
      return { name: component.name, kind: component.kind, role: component.role, target: component.display, source: component.source, status: statusOf(layers), layers };
    }),
  );
  return diagnose(reports);
}

/**
 * Diagnoses the stack the configuration under `root` describes. Expected failures of the stack are the result,
 * not errors; only bad input (an unreadable --env-file, a malformed --url) is an error.
 *
 * @example
 * const result = await runDoctor({ root: '.', env: process.env });
 * if (result.ok) console.log(result.value.cause ?? 'nothing blocks login');
 */
export async function runDoctor(options: DoctorOptions): Promise<Result<DoctorResult, UserError>> {
  const started = performance.now();
  const inputs = readInputs(options);
  if (!inputs.ok) return inputs;
  const notes = [...inputs.value.notes];
  let sets: readonly MigrationSet[] | undefined;
  // The public origin users load: APP_URL/PUBLIC_URL/FRONTEND_URL before the auth library's own setting.
  const frontends = inputs.value.components.filter((component) => component.role === 'frontend');
  const frontend = frontends.find((component) => !/(?:^|_)(?:NEXTAUTH|AUTH|BETTER_AUTH)_URL$/.test(component.name)) ?? frontends[0];
  const context: WalkContext = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now: options.now?.() ?? new Date(),
    lookup: options.lookup ?? systemLookup,
    resolveSrv: options.resolveSrv ?? systemResolveSrv,
    compose: inputs.value.compose,
    sets: () => {
      if (sets === undefined) {
        const listed = listMigrations(options.root);
        sets = listed.ok ? listed.value : [];
        if (!listed.ok) notes.push(`migrations in ${options.root} could not be listed (${listed.error.message}); applied migrations were not compared`);
      }
      return sets;
    },
    ...(options.seedQuery === undefined ? {} : { seedQuery: options.seedQuery }),
    ...(options.healthPath === undefined ? {} : { healthPath: options.healthPath }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.loginPath === undefined ? {} : { loginPath: options.loginPath }),
    ...(frontend === undefined ? {} : { frontendOrigin: frontend.url.origin }),
    serviceNames: inputs.value.compose.map((service) => service.name),
    apiHosts: inputs.value.components.filter((component) => component.role === 'api').map((component) => component.url.hostname),
    docker: options.docker ?? systemDocker(options.root, options.env, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    composeFiles: inputs.value.composeFiles,
    lookupVariable: inputs.value.lookup,
  };
  // With a compose file, the containers are the bottom of the graph: a database that exited explains everything above it.
  const components: Component[] = inputs.value.composeFiles.length === 0 ? [...inputs.value.components] : [{ name: 'containers', kind: 'containers', role: 'containers', url: new URL('docker-compose://local/'), display: `docker compose ps (${inputs.value.composeFiles.length} compose file(s))`, source: 'docker compose ps' }, ...inputs.value.components];
  const deadline = started + (options.waitMs ?? 0);
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const outcome = await attempt(components, context);
    const result: DoctorResult = { ...outcome, sources: inputs.value.sources, notes, attempts, ms: Math.round(performance.now() - started) };
    if (outcome.cause === undefined || performance.now() + 1000 > deadline) return ok(result);
    options.onAttempt?.(attempts, result);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
