// Protects against "port is already allocated": two services, or two stacks on one server, claiming the same host port. Docs: docs/rules/operations/port-conflict.md
import { noOptions } from '../../core/rule.js';
import { isSameService, portAllocations, portsClash, sameHost, type PortAllocation } from '../../project/ports.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

function describe(allocation: PortAllocation): string {
  return `"${allocation.service}" (${allocation.file}:${allocation.line}, ${allocation.hostIp ?? 'all interfaces'}:${allocation.hostPort}${allocation.protocol === 'tcp' ? '' : `/${allocation.protocol}`})`;
}

type Messages = { conflict: { port: string; service: string; other: string; otherFile: string } };

export default defineScanRule({
  id: 'operations/port-conflict',
  title: 'No two services claim the same host port',
  description:
    'Every host port published by compose files that run on the same host is claimed once: two services of one file, or of files the repository runs together (`-f` lists, COMPOSE_FILE, include/extends, the override file, one script bringing up both), binding the same port make the second `up` fail with "port is already allocated".',
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
    allocations.forEach((allocation, index) => {
      const earlier = allocations.slice(0, index);
      // The same mapping of one merged service, written again in an override file, was judged with its first copy.
      if (earlier.some((other) => other.service === allocation.service && portsClash(other, allocation) && isSameService(ctx.project, other, allocation))) return;
      // Report each clash once, on the later allocation, naming the first one that claimed the port.
      for (const first of earlier) {
        const why = portsClash(first, allocation) ? sameHost(ctx.project, first, allocation) : undefined;
        if (why === undefined) continue;
        ctx.report({
          messageId: 'conflict',
          data: { port: allocation.hostPort, service: allocation.service, other: first.service, otherFile: first.file },
          location: { path: allocation.file, line: allocation.line },
          detail: `${describe(allocation)} and ${describe(first)} bind overlapping host ports on overlapping addresses; ${why}. Files merged into one compose project that define the same service name are one service; stacks in separate folders that nothing combines are alternatives and are not compared.`,
          key: `${allocation.service}:${allocation.hostPort}`,
        });
        return;
      }
    });
  },
});
