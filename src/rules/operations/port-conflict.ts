// Protects against "port is already allocated": two services, or two stacks on one server, claiming the same host port. Docs: docs/rules/operations/port-conflict.md
import { noOptions } from '../../core/rule.js';
import { portAllocations, portsClash, sameHost, type PortAllocation } from '../../project/ports.js';
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
    'Every host port published by compose files that run on the same host is claimed once: two services of one file, or two files for the same environment, binding the same port make the second `up` fail with "port is already allocated".',
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
      // Report each clash once, on the later allocation, naming the first one that claimed the port.
      const first = allocations.slice(0, index).find((earlier) => sameHost(earlier, allocation) && portsClash(earlier, allocation));
      if (first === undefined) return;
      ctx.report({
        messageId: 'conflict',
        data: { port: allocation.hostPort, service: allocation.service, other: first.service, otherFile: first.file },
        location: { path: allocation.file, line: allocation.line },
        detail: `${describe(allocation)} and ${describe(first)} bind overlapping host ports on overlapping addresses; ${
          first.file === allocation.file ? 'both are in the same compose file' : `both files are ${allocation.environment} compose files, so they run on the same host`
        }. Files beside each other that define the same service name are treated as one merged service.`,
        key: `${allocation.service}:${allocation.hostPort}`,
      });
    });
  },
});
