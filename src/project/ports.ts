import type { ReportSection } from '../core/report.js';
import { canRunTogether, composeEnvironment, composeServices, parseShortPort, serviceProfiles, servicePorts, substituteDefaults, type ComposeEnvironment } from './compose.js';
import { areMerged, coActivatedProfiles, stackOf } from './compose-stacks.js';
import type { Project } from './project.js';

/** One host port a compose service claims. */
export interface PortAllocation {
  readonly file: string;
  readonly line: number;
  readonly service: string;
  /** Host IP as written; undefined means every interface. */
  readonly hostIp: string | undefined;
  /** As written after `${VAR:-default}` substitution, e.g. `3000` or `8000-8002`; `${VAR}` when it has no default. */
  readonly hostPort: string;
  /** First and last port of the host range; undefined when a variable without default decides it. */
  readonly range: readonly [number, number] | undefined;
  readonly containerPort: string;
  readonly protocol: string;
  readonly environment: ComposeEnvironment;
  /** The service's `profiles:`; empty when it starts without one. */
  readonly profiles: readonly string[];
}

function parseRange(value: string): readonly [number, number] | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (match?.[1] === undefined) return undefined;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  return last >= first ? [first, last] : undefined;
}

const cache = new WeakMap<Project, readonly PortAllocation[]>();

/**
 * Every host port published by every compose file (short and long syntax, `${VAR:-default}` resolved),
 * in file order. Ports Docker picks itself (`"3000"` with no host part) are not allocations.
 *
 * @example for (const port of portAllocations(project)) console.log(port.hostPort, port.service);
 */
export function portAllocations(project: Project): readonly PortAllocation[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const allocations: PortAllocation[] = [];
  for (const file of project.composeFiles()) {
    const environment = composeEnvironment(file);
    for (const service of composeServices(file)) {
      const profiles = serviceProfiles(service);
      for (const written of servicePorts(service)) {
        // `"${WEB_PORT:-3000}:5173"` only splits correctly once the default is substituted.
        const port = written.raw.includes('${') ? (parseShortPort(substituteDefaults(written.raw)) ?? written) : written;
        if (port.hostPort === undefined) continue;
        const hostPort = substituteDefaults(port.hostPort);
        const hostIp = port.hostIp === undefined ? undefined : substituteDefaults(port.hostIp);
        allocations.push({
          file: file.path,
          line: written.line ?? service.line ?? 1,
          service: service.name,
          hostIp: hostIp === '' ? undefined : hostIp,
          hostPort,
          range: parseRange(hostPort),
          containerPort: port.containerPort,
          protocol: port.protocol.toLowerCase(),
          environment,
          profiles,
        });
      }
    }
  }
  cache.set(project, allocations);
  return allocations;
}

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]', '*']);

function addressesOverlap(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || ANY_ADDRESS.has(a) || ANY_ADDRESS.has(b)) return true;
  return a === b;
}

/**
 * Why two allocations are bound on the same host at the same time, or undefined when they are not: two
 * services of one file, or files the repository runs together (`composeStacks`: `-f` lists, `COMPOSE_FILE`,
 * `include:`/`extends:`, the override file, or one script bringing up both). In a merged stack a service
 * name in two files is one service, so that is not a clash. Stacks in different folders that nothing
 * combines are alternatives (umami's `cypress/` stack and its root file), not one deployment, and so are
 * services in disjoint profiles (`canRunTogether`: hoppscotch's all-in-one `default` service and the
 * `backend`/`app` services it bundles) unless the repository activates a profile of each at once.
 *
 * @example sameHost(project, api, web) // 'both are in docker-compose.yml'
 */
export function sameHost(project: Project, a: PortAllocation, b: PortAllocation): string | undefined {
  if (isSameService(project, a, b)) return undefined;
  if (!canRunTogether(a.profiles, b.profiles, coActivatedProfiles(project))) return undefined;
  const profiles = profileNote(a, b);
  if (a.file === b.file) return `both are in ${a.file}${profiles}`;
  const files = project.composeFiles();
  const fileA = files.find((file) => file.path === a.file);
  const fileB = files.find((file) => file.path === b.file);
  if (fileA === undefined || fileB === undefined) return undefined;
  const stack = stackOf(project, fileA, fileB);
  if (stack === undefined) return undefined;
  return `${stack.kind === 'merged' ? 'the files run as one compose project' : 'both stacks run on one host'} (${stack.evidence.what}, ${stack.evidence.file}:${stack.evidence.line})${profiles}`;
}

/** Why two services that may have profiles start in one `up`, for the finding's detail; '' when neither has any. */
function profileNote(a: PortAllocation, b: PortAllocation): string {
  if (a.profiles.length === 0 && b.profiles.length === 0) return '';
  if (a.profiles.length === 0 || b.profiles.length === 0) {
    const profiled = a.profiles.length === 0 ? b : a;
    return `, and "${a.profiles.length === 0 ? a.service : b.service}" has no profile, so it runs beside "${profiled.service}" whenever profile ${profiled.profiles.map((profile) => `"${profile}"`).join(' or ')} is active`;
  }
  const shared = a.profiles.filter((profile) => b.profiles.includes(profile));
  return shared.length > 0
    ? `, and both are in profile ${shared.map((profile) => `"${profile}"`).join(', ')}`
    : `, and the repository activates their profiles together (${a.profiles.join(', ')} with ${b.profiles.join(', ')})`;
}

/**
 * True when two allocations belong to one service: the same name in one file, or in files compose merges.
 *
 * @example isSameService(project, baseApi, overrideApi) // true for `-f docker-compose.yml -f docker-compose.prod.yml`
 */
export function isSameService(project: Project, a: PortAllocation, b: PortAllocation): boolean {
  if (a.service !== b.service) return false;
  if (a.file === b.file) return true;
  const files = project.composeFiles();
  const fileA = files.find((file) => file.path === a.file);
  const fileB = files.find((file) => file.path === b.file);
  return fileA !== undefined && fileB !== undefined && areMerged(project, fileA, fileB);
}

/** True when both allocations claim a common host port on overlapping addresses for the same protocol. */
export function portsClash(a: PortAllocation, b: PortAllocation): boolean {
  if (a.range === undefined || b.range === undefined || a.protocol !== b.protocol) return false;
  if (a.range[0] > b.range[1] || b.range[0] > a.range[1]) return false;
  return addressesOverlap(a.hostIp, b.hostIp);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
}

/**
 * The port map as a report section: one row per allocated host port, sorted by port, so every
 * allocation on every environment is written down in one place.
 *
 * @example const section = portMapSection(project); console.log(section.lines.join('\n'));
 */
export function portMapSection(project: Project): ReportSection {
  const allocations = [...portAllocations(project)].sort(
    (a, b) => (a.range?.[0] ?? Number.MAX_SAFE_INTEGER) - (b.range?.[0] ?? Number.MAX_SAFE_INTEGER) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line),
  );
  const header = ['HOST PORT', 'BIND ADDRESS', 'SERVICE', 'COMPOSE FILE:LINE'];
  const rows = allocations.map((allocation) => [
    `${allocation.hostPort}${allocation.protocol === 'tcp' ? '' : `/${allocation.protocol}`}`,
    allocation.hostIp ?? '0.0.0.0 (all)',
    allocation.service,
    `${allocation.file}:${allocation.line}`,
  ]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index]?.length ?? 0)));
  const lines = allocations.length === 0 ? ['No compose service publishes a host port.'] : [pad(header, widths), ...rows.map((row) => pad(row, widths))];
  return {
    id: 'ports',
    title: 'Host port map',
    lines,
    data: {
      ports: allocations.map((allocation) => ({
        hostPort: allocation.hostPort,
        hostIp: allocation.hostIp ?? null,
        protocol: allocation.protocol,
        containerPort: allocation.containerPort,
        service: allocation.service,
        file: allocation.file,
        line: allocation.line,
        environment: allocation.environment,
      })),
    },
  };
}
