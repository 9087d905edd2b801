// The bottom of the graph: are the compose services' containers up? Read-only: `docker compose ps` and, for a
// failed service, `docker compose logs --tail`. docs/doctor.md#containers
import { execFile } from 'node:child_process';
import { redactText } from '../core/redact.js';
import type { LayerResult } from './types.js';

/** One container as `docker compose ps --format json` describes it. */
export interface ContainerState {
  readonly service: string;
  readonly name: string;
  /** `running`, `exited`, `restarting`, `paused`, `created`, `dead`. */
  readonly state: string;
  /** `healthy`, `unhealthy`, `starting`, or '' without a healthcheck. */
  readonly health: string;
  readonly exitCode: number;
  readonly status: string;
}

function field(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/**
 * Parses `docker compose ps --format json`: one JSON object per line (Compose 2.21 and later) or one array (earlier).
 *
 * @example parseComposePs('{"Service":"db","Name":"app-db-1","State":"exited","Health":"","ExitCode":1,"Status":"Exited (1) 2 minutes ago"}')[0]?.state // 'exited'
 */
export function parseComposePs(text: string): ContainerState[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  let records: unknown[];
  try {
    const parsed: unknown = trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed.split('\n').filter((line) => line.trim() !== '').map((line): unknown => JSON.parse(line));
    records = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
  return records.flatMap((record) => {
    if (typeof record !== 'object' || record === null) return [];
    const entry = Object.fromEntries(Object.entries(record));
    const exitCode = Number(field(entry, 'ExitCode') || '0');
    return [{ service: field(entry, 'Service'), name: field(entry, 'Name'), state: field(entry, 'State').toLowerCase(), health: field(entry, 'Health').toLowerCase(), exitCode: Number.isFinite(exitCode) ? exitCode : 0, status: field(entry, 'Status') }];
  });
}

/** What is wrong with a container, or undefined when it runs (a one-shot job that exited 0 is fine). */
function problem(container: ContainerState): string | undefined {
  if (container.state === 'restarting') return `${container.service} keeps restarting (${container.status})`;
  if (container.state === 'exited' || container.state === 'dead') return container.exitCode === 0 ? undefined : `${container.service} exited with code ${container.exitCode}${container.exitCode === 137 ? ' (killed: out of memory or docker kill)' : ''}`;
  if (container.health === 'unhealthy') return `${container.service} is unhealthy (${container.status})`;
  if (container.state === 'created' || container.state === 'paused') return `${container.service} is ${container.state}, not running`;
  return undefined;
}

/**
 * Layer `containers`: every service's container is running (and healthy where it has a healthcheck); the failing
 * ones are named with the last lines of their log (redacted), which usually say why.
 */
export function containersLayer(containers: readonly ContainerState[], logs: ReadonlyMap<string, string>): LayerResult {
  if (containers.length === 0) return { layer: 'containers', status: 'warn', code: 'NO_CONTAINERS', output: 'docker compose ps lists no container for this project', hint: 'The stack is not started here (docker compose up -d), or it runs under another project name (-p) or compose file.' };
  const problems = containers.flatMap((container) => {
    const what = problem(container);
    return what === undefined ? [] : [{ container, what }];
  });
  const starting = containers.filter((container) => container.health === 'starting').map((container) => container.service);
  if (problems.length === 0) {
    return { layer: 'containers', status: starting.length === 0 ? 'pass' : 'warn', output: `${containers.length} container(s) up${starting.length === 0 ? '' : `; ${starting.join(', ')} still starting`}`, observedValue: containers.length, observedUnit: 'containers', ...(starting.length === 0 ? {} : { code: 'STARTING', hint: 'Healthchecks are still running: retry with --wait.' }) };
  }
  const logLines = problems.flatMap(({ container }) => {
    const log = logs.get(container.service);
    return log === undefined || log.trim() === '' ? [] : [`${container.service}: ${redactText(log.trim().split('\n').slice(-3).join(' ⏎ ')).slice(0, 300)}`];
  });
  const first = problems[0];
  return {
    layer: 'containers',
    status: 'fail',
    code: first?.container.state === 'restarting' ? 'RESTARTING' : first?.container.health === 'unhealthy' ? 'UNHEALTHY' : 'EXITED',
    output: `${problems.map((entry) => entry.what).join('; ')}${logLines.length === 0 ? '' : ` — ${logLines.join(' | ')}`}`,
    hint: `Read why: docker compose logs --tail 50 ${problems.map((entry) => entry.container.service).join(' ')}; the services that depend on ${problems.length === 1 ? 'it' : 'them'} cannot work until ${problems.length === 1 ? 'it runs' : 'they run'}.`,
  };
}

/** Runs `docker …` read-only with a time limit; undefined when Docker is not installed or does not answer. */
export type DockerRunner = (args: readonly string[]) => Promise<string | undefined>;

/** The system's docker CLI, in `cwd`, with the caller's environment (DOCKER_HOST, contexts). */
export function systemDocker(cwd: string, env: Readonly<Record<string, string | undefined>>, timeoutMs: number): DockerRunner {
  const childEnv = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return (args) =>
    new Promise((resolve) => {
      execFile('docker', [...args], { cwd, env: childEnv, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) => resolve(error === null ? stdout : undefined));
    });
}
