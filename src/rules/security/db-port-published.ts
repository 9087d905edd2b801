// Protects against databases reachable from the internet: Docker's published ports bypass host firewalls such as ufw. Docs: docs/rules/security/db-port-published.md
import { noOptions } from '../../core/rule.js';
import { composeFilePurpose } from '../../project/compose-stacks.js';
import { backingOnlyStack, composeServices, isLoopback, isOptionalService, serviceProfiles, servicePorts } from '../../project/compose.js';
import { mapGet, scalarString } from '../../project/documents.js';
import { defineScanRule } from '../support.js';
import type { Project } from '../../project/project.js';

/** Image names of datastores that must never face the internet. */
const DATASTORE_IMAGE =
  /(?:^|\/)(postgres(?:ql)?|postgis|timescaledb|pgvector|mysql|mariadb|percona(?:-server)?|redis(?:-stack(?:-server)?)?|valkey|keydb|mongo(?:db)?(?:-community-server)?|memcached|elasticsearch|opensearch|clickhouse(?:-server)?|cassandra|couchdb|rabbitmq)(?::|@|$)/i;

type Messages = { published: { service: string; engine: string; mapping: string }; hostNetwork: { service: string; engine: string } };

export default defineScanRule({
  id: 'security/db-port-published',
  title: 'Database ports are not published on all interfaces',
  description:
    'A Compose file that publishes a Postgres/MySQL/Redis/Mongo port without a loopback host IP exposes the database on every interface of the host; Docker inserts its own iptables rules, so host firewalls do not stop it.',
  category: 'security',
  severity: 'high',
  docs: 'docs/rules/security/db-port-published.md',
  fix: 'Remove the `ports:` entry (services reach the database by service name on the Compose network), or bind it to loopback for local tools: `"127.0.0.1:5432:5432"`.',
  options: noOptions,
  messages: {
    published: ({ service, engine, mapping }: Messages['published']) => `${engine} service "${service}" publishes "${mapping}" on all interfaces`,
    hostNetwork: ({ service, engine }: Messages['hostNetwork']) => `${engine} service "${service}" uses network_mode: host, so its port is open on every interface`,
  },
  applies: (project: Project) => project.composeFiles().length > 0,
  check(ctx) {
    const files = ctx.project.composeFiles();
    for (const file of files) {
      const purpose = composeFilePurpose(ctx.project, file);
      const environment = purpose.environment;
      // A test stack runs on a CI runner that is thrown away; nothing there faces anyone.
      if (environment === 'test' || ['test', 'example', 'docs'].includes(ctx.project.fileRole(file.path))) continue;
      // A compose file of backing services only (a database, a cache, their admin UI) and no app is what a developer runs
      // beside an app started on the host: publishing the port is its purpose there, only the loopback binding is missing.
      const backing = environment === 'production' ? undefined : backingOnlyStack(file);
      const fileContext =
        environment === 'production'
          ? undefined
          : environment === 'development'
            ? `${file.path} is a development stack: ${purpose.reason}`
            : backing !== undefined
              ? `${file.path} runs only backing services (${backing.services.join(', ')}) and builds no app: a stack for an app run on the host`
              : undefined;
      const fileSeverity = environment === 'production' ? 'critical' : fileContext !== undefined ? 'low' : undefined;
      for (const service of composeServices(file)) {
        // A development stack, or a service only a dev/tools profile starts, exposes a laptop's database to its LAN: worth knowing, not an outage.
        const context = fileContext ?? (isOptionalService(service) ? `only a development or tools profile (${serviceProfiles(service).join(', ')}) starts "${service.name}"` : undefined);
        const severity = fileSeverity ?? (context !== undefined ? 'low' : undefined);
        const lowered = severity === 'low' && context !== undefined ? ` Low: ${context}.` : '';
        const engine = service.image === undefined ? undefined : DATASTORE_IMAGE.exec(service.image)?.[1]?.toLowerCase();
        if (engine === undefined) continue;
        const networkMode = mapGet(service.node, 'network_mode');
        if (scalarString(networkMode) === 'host') {
          ctx.report({
            messageId: 'hostNetwork',
            data: { service: service.name, engine },
            location: { path: file.path, line: file.lineOf(networkMode) ?? service.line ?? 1 },
            detail: `Service "${service.name}" (image ${service.image ?? '?'}) in ${file.path} shares the host network stack.${lowered}`,
            ...(severity === undefined ? {} : { severity }),
          });
        }
        for (const port of servicePorts(service)) {
          if (isLoopback(port.hostIp)) continue;
          ctx.report({
            messageId: 'published',
            data: { service: service.name, engine, mapping: port.raw },
            location: { path: file.path, line: port.line ?? service.line ?? 1 },
            detail: `Port mapping "${port.raw}" of service "${service.name}" (image ${service.image ?? '?'}) has ${
              port.hostIp === undefined ? 'no host IP, so Docker binds 0.0.0.0 (and [::])' : `host IP ${port.hostIp}`
            }${port.hostPort === undefined ? ' and an ephemeral host port' : ''}.${lowered}`,
            key: port.raw,
            ...(severity === undefined ? {} : { severity }),
          });
        }
      }
    }
  },
});
