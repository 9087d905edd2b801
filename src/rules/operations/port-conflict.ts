// Protects against "port is already allocated": two services, or two stacks on one server, claiming the same host port. Docs: docs/rules/operations/port-conflict.md
import { noOptions } from '../../core/rule.js';
import { isSameService, portAllocations, portsClash, sameHost, type PortAllocation } from '../../project/ports.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

function describe(allocation: PortAllocation): string {
  return `"${allocation.service}" (${allocation.file}:${allocation.line}, ${allocation.hostIp ?? 'all interfaces'}:${allocation.hostPort}${allocation.protocol === 'tcp' ? '' : `/${allocation.protocol}`})`;
}

/** Ranges up to this many ports are indexed port by port; wider ones (rare) are compared with every allocation. */
const INDEXED_RANGE = 256;

/**
 * The allocations seen so far, indexed by host port: comparing each allocation with every earlier one made a
 * compose file with thousands of published ports quadratic. Only allocations that can clash share a port.
 */
class EarlierClaims {
  private readonly byPort = new Map<number, number[]>();
  private readonly wide: number[] = [];

  add(allocation: PortAllocation, index: number): void {
    const range = allocation.range;
    if (range === undefined) return;
    if (range[1] - range[0] >= INDEXED_RANGE) {
      this.wide.push(index);
      return;
    }
    for (let port = range[0]; port <= range[1]; port++) {
      const list = this.byPort.get(port) ?? [];
      list.push(index);
      this.byPort.set(port, list);
    }
  }

  /** The first earlier allocation, in allocation order, that may overlap `allocation` and passes `clashes`. */
  firstClash(allocation: PortAllocation, all: readonly PortAllocation[], index: number, clashes: (earlier: PortAllocation) => boolean): PortAllocation | undefined {
    const range = allocation.range;
    if (range === undefined) return undefined;
    if (range[1] - range[0] >= INDEXED_RANGE) return all.slice(0, index).find(clashes);
    // One port and no wide ranges (the usual case): the bucket is already in allocation order and the loop stops
    // at the first clash, so a thousand services on one port stay linear.
    if (range[0] === range[1] && this.wide.length === 0) {
      for (const earlier of this.byPort.get(range[0]) ?? []) {
        const found = all[earlier];
        if (found !== undefined && clashes(found)) return found;
      }
      return undefined;
    }
    const indexes = new Set<number>(this.wide);
    for (let port = range[0]; port <= range[1]; port++) for (const earlier of this.byPort.get(port) ?? []) indexes.add(earlier);
    for (const earlier of [...indexes].sort((a, b) => a - b)) {
      const found = all[earlier];
      if (found !== undefined && clashes(found)) return found;
    }
    return undefined;
  }
}

type Messages = { conflict: { port: string; service: string; other: string; otherFile: string } };

export default defineScanRule({
  id: 'operations/port-conflict',
  title: 'No two services claim the same host port',
  description:
    'Every host port published by compose files that run on the same host is claimed once: two services of one file, or of files the repository runs together (`-f` lists, COMPOSE_FILE, include/extends, the override file, one script bringing up both), that can start in one `up` (no profile, or a shared or co-activated profile) and bind the same port make the second fail with "port is already allocated".',
  category: 'operations',
  severity: 'high',
  docs: 'docs/rules/operations/port-conflict.md',
  fix: 'Give each service its own host port (keep a port allocation table, `shipready scan --ports` prints one), or do not publish ports that only other containers need: they reach each other by service name on the compose network.',
  options: noOptions,
  messages: {
    conflict: ({ port, service, other, otherFile }: Messages['conflict']) => `Host port ${port} of service "${service}" is already claimed by "${other}" in ${otherFile}`,
  },
  applies: (project: Project) => portAllocations(project).length > 1,
  check(ctx) {
    const allocations = portAllocations(ctx.project);
    const earlier = new EarlierClaims();
    allocations.forEach((allocation, index) => {
      // Only earlier claims of an overlapping port are compared (indexed by port): all pairs made it quadratic.
      const sameService = earlier.firstClash(allocation, allocations, index, (other) => other.service === allocation.service && portsClash(other, allocation) && isSameService(ctx.project, other, allocation));
      let why: string | undefined;
      const first = sameService !== undefined ? undefined : earlier.firstClash(allocation, allocations, index, (candidate) => {
        why = portsClash(candidate, allocation) ? sameHost(ctx.project, candidate, allocation) : undefined;
        return why !== undefined;
      });
      earlier.add(allocation, index);
      // The same mapping of one merged service, written again in an override file, was judged with its first copy.
      if (sameService !== undefined || first === undefined || why === undefined) return;
      // Report each clash once, on the later allocation, naming the first one that claimed the port.
      ctx.report({
        messageId: 'conflict',
        data: { port: allocation.hostPort, service: allocation.service, other: first.service, otherFile: first.file },
        location: { path: allocation.file, line: allocation.line },
        detail: `${describe(allocation)} and ${describe(first)} bind overlapping host ports on overlapping addresses; ${why}. Files merged into one compose project that define the same service name are one service; stacks in separate folders that nothing combines, and services whose profiles never start together, are alternatives and are not compared.`,
        key: `${allocation.service}:${allocation.hostPort}`,
      });
    });
  },
});
