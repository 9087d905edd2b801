// Reads the app's configuration the way it runs (env files, the compose file, `*_FILE` secrets, the process
// environment) and turns every dependency it names into a component to check. docs/doctor.md#inputs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq } from 'yaml';
import type { Note } from '../core/report.js';
import { redactUrl } from '../core/redact.js';
import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import { readInputFile, readRegularFile } from '../core/safe-read.js';
import { composeServices, servicePorts, type ComposeService } from '../project/compose.js';
import { mapEntries, mapGet, parseEnvFile, parseYamlFile, scalarString, sequenceItems } from '../project/documents.js';
import type { Component, ComponentKind, ComponentRole } from './types.js';

/** One configuration value and where it was read. */
export interface Variable {
  readonly name: string;
  readonly value: string;
  readonly source: string;
}

export interface InputOptions {
  /** The app's folder: `.env`, `.env.<NODE_ENV>` and the compose file are looked up here. */
  readonly root: string;
  /** `--env-file`, read first (later sources override it), each required to exist. */
  readonly envFiles?: readonly string[];
  /** `-f/--compose-file`; else `COMPOSE_FILE`; else compose's conventional names. */
  readonly composeFiles?: readonly string[];
  /** The process environment, read last. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--url NAME=URL`: adds a component or replaces the one of that name. */
  readonly urls?: readonly string[];
}

export interface Inputs {
  readonly components: readonly Component[];
  /** Every source read, in override order. */
  readonly sources: readonly string[];
  readonly notes: readonly string[];
  /** The compose services, for hints (a database volume that keeps the first password) and published ports. */
  readonly compose: readonly ComposeService[];
  /** Compose's interpolation source (the process environment over .env), for the compose file's own `${VAR}` (ports). */
  readonly lookup: (name: string) => string | undefined;
  /** The compose files read (absolute), for `docker compose -f`. */
  readonly composeFiles: readonly string[];
}

/** Env files and secrets are small; anything larger is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Kinds a URL names (the containers component comes from the compose file, not a URL). */
type UrlKind = Exclude<ComponentKind, 'containers'>;

const SCHEMES: Readonly<Record<string, UrlKind>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
  'redis:': 'redis',
  'rediss:': 'redis',
  'mongodb:': 'mongodb',
  'mongodb+srv:': 'mongodb',
  'amqp:': 'amqp',
  'amqps:': 'amqp',
  'kafka:': 'kafka',
  'smtp:': 'smtp',
  'smtps:': 'smtp',
  'http:': 'http',
  'https:': 'http',
};

const ROLE_OF_KIND: Readonly<Record<Exclude<ComponentKind, 'http' | 'containers'>, ComponentRole>> = { postgres: 'database', mysql: 'database', mongodb: 'database', redis: 'cache', amqp: 'queue', kafka: 'queue', smtp: 'mail' };

/** HTTP URLs of the app itself; any other (a payment provider's API base) is not this stack and is never contacted. */
const FRONTEND_NAME = /(?:^|_)(?:APP|PUBLIC|FRONTEND|SITE|WEB|CLIENT)_URL$|^(?:NEXTAUTH|AUTH|BETTER_AUTH)_URL$|^(?:NEXT_PUBLIC|VITE|REACT_APP)_(?:APP|SITE|BASE|WEB)_URL$/;
const API_NAME = /^(?:(?:NEXT_PUBLIC|VITE|REACT_APP|PUBLIC|INTERNAL)_)?(?:API|BACKEND|SERVER)(?:_BASE)?_URL$|^(?:NEXT_PUBLIC|VITE|REACT_APP)_[A-Z0-9_]*(?:API|BACKEND)[A-Z0-9_]*_URL$|^API_(?:HOST|ORIGIN|ENDPOINT)$/;
const STORAGE_NAME = /^(?:S3|MINIO|STORAGE|AWS_S3)_ENDPOINT(?:_URL)?$/;

function httpRole(name: string): ComponentRole | undefined {
  if (FRONTEND_NAME.test(name)) return 'frontend';
  if (API_NAME.test(name)) return 'api';
  if (STORAGE_NAME.test(name)) return 'storage';
  return undefined;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Compose's interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$VAR`, from the .env and process values. */
function interpolate(value: string, lookup: (name: string) => string | undefined): string {
  return value
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (match, name: string, operator: string | undefined, fallback: string | undefined) => {
      const found = lookup(name);
      if (operator === ':-') return found === undefined || found === '' ? (fallback ?? '') : found;
      if (operator === '-') return found ?? fallback ?? '';
      return found ?? match;
    })
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, name: string) => lookup(name) ?? match);
}

function readEnvFile(file: string, label: string, required: boolean): Result<Variable[] | undefined, UserError> {
  if (!required) {
    const probe = readRegularFile(file, MAX_CONFIG_BYTES);
    if (!probe.ok) return ok(undefined);
  }
  const text = readInputFile(file, { what: 'env file', code: 'PATH_UNREADABLE', hint: 'check the path given to --env-file', maxBytes: MAX_CONFIG_BYTES });
  if (!text.ok) return required ? text : ok(undefined);
  return ok(parseEnvFile(label, text.value).entries.map((entry) => ({ name: entry.key, value: entry.value, source: `${label}:${entry.line}` })));
}

function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function composeChoice(options: InputOptions): { files: string[]; why: string } {
  if (options.composeFiles !== undefined && options.composeFiles.length > 0) return { files: [...options.composeFiles], why: '-f' };
  const fromEnv = options.env['COMPOSE_FILE'];
  if (fromEnv !== undefined && fromEnv !== '') return { files: fromEnv.split(options.env['COMPOSE_PATH_SEPARATOR'] ?? ':').filter((file) => file !== ''), why: 'COMPOSE_FILE' };
  const found = COMPOSE_NAMES.find((name) => isRegularFile(path.join(options.root, name)));
  return { files: found === undefined ? [] : [found], why: 'conventional name' };
}

/** A service's `environment:` (map or `KEY=VALUE` list) and `env_file:` entries, later ones winning as compose applies them. */
function serviceVariables(service: ComposeService, composeDir: string, lookup: (name: string) => string | undefined, notes: string[]): Variable[] {
  const variables: Variable[] = [];
  const label = `${service.file.path} service ${service.name}`;
  for (const item of [...sequenceItems(mapGet(service.node, 'env_file')), ...(scalarString(mapGet(service.node, 'env_file')) === undefined ? [] : [mapGet(service.node, 'env_file')])]) {
    const file = scalarString(item) ?? scalarString(mapGet(item, 'path'));
    if (file === undefined) continue;
    const required = scalarString(mapGet(item, 'required')) !== 'false';
    const read = readEnvFile(path.resolve(composeDir, file), file, false);
    if (read.ok && read.value !== undefined) variables.push(...read.value.map((variable) => ({ ...variable, source: `${variable.source} (env_file of ${service.name})` })));
    else if (required) notes.push(`${label}: env_file ${file} is not readable; its values were not checked`);
  }
  const environment = mapGet(service.node, 'environment');
  if (isMap(environment)) {
    for (const [name, , node] of mapEntries(environment)) {
      const value = scalarString(node);
      if (value !== undefined) variables.push({ name, value: interpolate(value, lookup), source: label });
    }
  } else if (isSeq(environment)) {
    for (const item of sequenceItems(environment)) {
      const entry = scalarString(item);
      const equals = entry?.indexOf('=') ?? -1;
      if (entry !== undefined && equals > 0) variables.push({ name: entry.slice(0, equals), value: interpolate(entry.slice(equals + 1), lookup), source: label });
    }
  }
  return variables;
}

const SECRET_FILE_TARGET = /(?:PASSWORD|PASS|SECRET|TOKEN|KEY|URL|URI|DSN|USER|USERNAME)$/;

/** The real path of `file` (resolved against `root`, symlinks followed) when it lies inside `root`; undefined otherwise or when it does not exist. */
function insideRoot(root: string, file: string): string | undefined {
  try {
    const base = fs.realpathSync(root);
    const real = fs.realpathSync(path.resolve(root, file));
    const relative = path.relative(base, real);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? real : undefined;
  } catch {
    // Missing: the caller's read reports it as not readable here (a /run/secrets path exists only in the container).
    const resolved = path.resolve(root, file);
    const relative = path.relative(path.resolve(root), resolved);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? resolved : undefined;
  }
}

/** `POSTGRES_PASSWORD_FILE=/run/secrets/db` read into `POSTGRES_PASSWORD`, as the official images and Docker secrets do. */
function expandFileSecrets(variables: Map<string, Variable>, root: string, notes: string[]): void {
  for (const variable of [...variables.values()]) {
    if (!variable.name.endsWith('_FILE') || variable.value === '') continue;
    const target = variable.name.slice(0, -'_FILE'.length);
    // Only secrets and connection values: `TF_CLI_CONFIG_FILE` in a shell is not the app's configuration.
    if (!SECRET_FILE_TARGET.test(target)) continue;
    // The path comes from the repository's own files: read it only inside the scanned folder, so a cloned repo's
    // .env cannot make doctor read ~/.ssh/id_rsa and send it as a password to a host the same repo names.
    const inside = insideRoot(root, variable.value);
    if (inside === undefined) {
      notes.push(`${variable.name} (${variable.source}) names a file outside ${root}; doctor reads *_FILE secrets only inside the folder it checks, so ${target} was not checked (pass the value with --url or the environment)`);
      continue;
    }
    const read = readRegularFile(inside, MAX_CONFIG_BYTES);
    if (!read.ok) {
      notes.push(`${variable.name} (${variable.source}) names ${variable.value}, which is not readable here (inside the container only?); ${target} was not checked`);
      continue;
    }
    variables.set(target, { name: target, value: read.value.toString('utf8').trim(), source: `${variable.value} via ${variable.name}` });
  }
}

/** A URL assembled from parts (`PGHOST`, `PGUSER`…), for apps configured without one URL. */
function fromParts(variables: ReadonlyMap<string, Variable>, scheme: string, prefix: string, names: { host: string; port: string; user?: string; password?: string; database?: string }): Variable | undefined {
  const host = variables.get(`${prefix}${names.host}`);
  if (host === undefined || host.value === '') return undefined;
  const part = (key: string | undefined): string => (key === undefined ? '' : (variables.get(`${prefix}${key}`)?.value ?? ''));
  const user = part(names.user);
  const password = part(names.password);
  const auth = user === '' && password === '' ? '' : `${encodeURIComponent(user)}${password === '' ? '' : `:${encodeURIComponent(password)}`}@`;
  const port = part(names.port);
  const database = part(names.database);
  return { name: `${prefix}${names.host}`, value: `${scheme}://${auth}${host.value}${port === '' ? '' : `:${port}`}${database === '' ? '' : `/${encodeURIComponent(database)}`}`, source: host.source };
}

function componentsOf(variables: ReadonlyMap<string, Variable>, service: string | undefined): Component[] {
  const components: Component[] = [];
  const add = (variable: Variable, kindHint?: UrlKind): void => {
    const url = parseUrl(variable.value.trim());
    if (url === undefined) return;
    const kind = kindHint ?? SCHEMES[url.protocol];
    if (kind === undefined) return;
    const role = kind === 'http' ? httpRole(variable.name) : ROLE_OF_KIND[kind];
    if (role === undefined) return;
    components.push({ name: service === undefined ? variable.name : `${service}: ${variable.name}`, kind, role, url, display: redactUrl(url.href), source: variable.source, ...(service === undefined ? {} : { service }) });
  };
  for (const variable of variables.values()) add(variable);
  const parts = [
    fromParts(variables, 'postgres', 'PG', { host: 'HOST', port: 'PORT', user: 'USER', password: 'PASSWORD', database: 'DATABASE' }),
    fromParts(variables, 'mysql', 'MYSQL_', { host: 'HOST', port: 'PORT', user: 'USER', password: 'PASSWORD', database: 'DATABASE' }),
    fromParts(variables, 'redis', 'REDIS_', { host: 'HOST', port: 'PORT', password: 'PASSWORD' }),
    fromParts(variables, 'smtp', 'SMTP_', { host: 'HOST', port: 'PORT' }),
  ];
  for (const variable of parts) if (variable !== undefined) add(variable);
  const brokers = variables.get('KAFKA_BROKERS');
  const firstBroker = brokers?.value.split(',')[0]?.trim();
  if (brokers !== undefined && firstBroker !== undefined && firstBroker !== '') add({ ...brokers, value: `kafka://${firstBroker.replace(/^[a-z]+:\/\//i, '')}` }, 'kafka');
  return components;
}

/**
 * Finds the configuration and the components it names. Later sources override earlier ones: `--env-file`,
 * `.env`, `.env.<NODE_ENV>`, then the process environment; each compose service's `environment:`/`env_file:`
 * makes components of its own (they are what that container runs with), and `--url NAME=URL` wins over all.
 *
 * @example
 * const inputs = readInputs({ root: '.', env: process.env, urls: ['DATABASE_URL=postgres://app@127.0.0.1:5432/app'] });
 * if (inputs.ok) inputs.value.components.map((component) => component.display);
 */
export function readInputs(options: InputOptions): Result<Inputs, UserError> {
  const sources: string[] = [];
  const notes: string[] = [];
  const host = new Map<string, Variable>();
  const setAll = (variables: readonly Variable[]): void => {
    for (const variable of variables) host.set(variable.name, variable);
  };
  for (const file of options.envFiles ?? []) {
    const read = readEnvFile(path.resolve(options.root, file), file, true);
    if (!read.ok) return read;
    setAll(read.value ?? []);
    sources.push(`--env-file ${file}`);
  }
  const nodeEnv = options.env['NODE_ENV'] ?? host.get('NODE_ENV')?.value;
  for (const name of ['.env', ...(nodeEnv === undefined || !/^[\w.-]+$/.test(nodeEnv) ? [] : [`.env.${nodeEnv}`])]) {
    const read = readEnvFile(path.join(options.root, name), name, false);
    if (read.ok && read.value !== undefined) {
      setAll(read.value);
      sources.push(name);
    }
  }
  const lookup = (name: string): string | undefined => options.env[name] ?? host.get(name)?.value;
  const choice = composeChoice(options);
  const compose: ComposeService[] = [];
  const composeFiles: string[] = [];
  const perService = new Map<string, Map<string, Variable>>();
  for (const file of choice.files) {
    const absolute = path.resolve(options.root, file);
    const text = readInputFile(absolute, { what: 'compose file', code: 'PATH_UNREADABLE', hint: choice.why === '-f' ? 'check the path given to -f' : `check ${choice.why}`, maxBytes: MAX_CONFIG_BYTES });
    if (!text.ok) {
      if (choice.why === 'conventional name') continue;
      return text;
    }
    const parseNotes: Note[] = [];
    const parsed = parseYamlFile(file, text.value, parseNotes);
    if (parsed === undefined) return err(userError('INPUT_INVALID', `${file}: ${parseNotes[0]?.message ?? 'invalid YAML'}`, 'fix the compose file or pass another with -f'));
    sources.push(`${file} (compose file, chosen by ${choice.why})`);
    composeFiles.push(absolute);
    for (const service of composeServices(parsed)) {
      compose.push(service);
      const variables = perService.get(service.name) ?? new Map<string, Variable>();
      for (const variable of serviceVariables(service, path.dirname(absolute), lookup, notes)) variables.set(variable.name, variable);
      perService.set(service.name, variables);
    }
  }
  const processVariables = Object.entries(options.env).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value, source: 'process environment' }]));
  setAll(processVariables);
  if (processVariables.length > 0) sources.push('process environment');
  expandFileSecrets(host, options.root, notes);
  for (const variables of perService.values()) expandFileSecrets(variables, options.root, notes);

  const components = new Map<string, Component>();
  const byUrl = new Set<string>();
  const keep = (component: Component): void => {
    if (byUrl.has(component.url.href) || components.has(component.name)) return;
    byUrl.add(component.url.href);
    components.set(component.name, component);
  };
  componentsOf(host, undefined).forEach(keep);
  for (const [service, variables] of perService) componentsOf(variables, service).forEach(keep);
  for (const raw of options.urls ?? []) {
    const equals = raw.indexOf('=');
    const name = equals > 0 ? raw.slice(0, equals) : '';
    const url = parseUrl(raw.slice(equals + 1).trim());
    const kind = url === undefined ? undefined : SCHEMES[url.protocol];
    if (name === '' || url === undefined || kind === undefined) return err(userError('USAGE', `--url takes NAME=URL with a postgres, mysql, redis, mongodb, amqp, kafka, smtp or http(s) URL, got "${equals > 0 ? `${name}=${redactUrl(raw.slice(equals + 1).trim())}` : redactUrl(raw)}"`, 'e.g. --url DATABASE_URL=postgres://app@127.0.0.1:5432/app'));
    const role = kind === 'http' ? (httpRole(name) ?? 'api') : ROLE_OF_KIND[kind];
    components.delete(name);
    for (const [other, component] of components) if (component.url.href === url.href) components.delete(other);
    components.set(name, { name, kind, role, url, display: redactUrl(url.href), source: '--url' });
  }
  if (options.urls !== undefined && options.urls.length > 0) sources.push('--url');
  return ok({ components: [...components.values()], sources, notes, compose, composeFiles, lookup });
}

/**
 * The host port a compose service publishes for `containerPort`, interpolated as compose does (`${DB_PORT:-5432}`
 * from .env and the environment); an error (the text it became) when that is not a port number 1-65535.
 */
export function publishedPort(service: ComposeService, containerPort: string, lookup: (name: string) => string | undefined): Result<{ host: string; port: number }, string> | undefined {
  const mapping = servicePorts(service).find((candidate) => candidate.containerPort === containerPort && candidate.hostPort !== undefined);
  if (mapping?.hostPort === undefined) return undefined;
  const hostIp = mapping.hostIp === undefined ? '127.0.0.1' : interpolate(mapping.hostIp, lookup);
  const hostPort = interpolate(mapping.hostPort, lookup).trim();
  const port = /^\d{1,5}$/.test(hostPort) ? Number(hostPort) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return err(hostPort);
  return ok({ host: hostIp === '0.0.0.0' || hostIp === '' ? '127.0.0.1' : hostIp, port });
}
