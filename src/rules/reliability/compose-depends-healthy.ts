// Protects against the start-up race: the app starts as soon as the database container exists, before it accepts connections. Docs: docs/rules/reliability/compose-depends-healthy.md
import { noOptions } from '../../core/rule.js';
import { composeEnvironment, composeServices, databaseEngine, dirOf, serviceDependencies, type ComposeService } from '../../project/compose.js';
import { mapGet, scalarString, sequenceItems } from '../../project/documents.js';
import type { YamlFile } from '../../project/documents.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Commands that wait for the database themselves (wait-for-it, dockerize, dbmate --wait, pg_isready loops). */
const WAITS_ITSELF = /wait-for|wait-on|dockerize|--wait\b|pg_isready|mysqladmin\s+ping|until\s+nc\b/i;

function commandText(service: ComposeService): string {
  return ['command', 'entrypoint']
    .flatMap((key) => {
      const node = mapGet(service.node, key);
      const single = scalarString(node);
      return single !== undefined ? [single] : sequenceItems(node).map((item) => scalarString(item) ?? '');
    })
    .join(' ');
}

/** The service named `name` as compose would resolve it: same file first, then files merged beside it. */
function findService(files: readonly YamlFile[], file: YamlFile, name: string): ComposeService | undefined {
  const own = composeServices(file).find((service) => service.name === name);
  if (own?.image !== undefined) return own;
  for (const other of files) {
    if (other === file || dirOf(other.path) !== dirOf(file.path)) continue;
    const candidate = composeServices(other).find((service) => service.name === name && service.image !== undefined);
    if (candidate !== undefined) return candidate;
  }
  return own;
}

type Messages = { notHealthy: { service: string; dependency: string; engine: string } };

export default defineScanRule({
  id: 'reliability/compose-depends-healthy',
  title: 'Services wait for their database to be healthy',
  description:
    'A service that `depends_on` a database should use `condition: service_healthy` (with a healthcheck on the database), because plain `depends_on` only waits for the container to start, not for the database to accept connections.',
  category: 'reliability',
  severity: 'medium',
  docs: 'docs/rules/reliability/compose-depends-healthy.md',
  fix: 'Give the database a healthcheck and wait for it:\n  db:\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U app"]\n  app:\n    depends_on:\n      db:\n        condition: service_healthy',
  options: noOptions,
  messages: {
    notHealthy: ({ service, dependency, engine }: Messages['notHealthy']) =>
      `Service "${service}" depends on ${engine} service "${dependency}" without condition: service_healthy, so it can start before the database accepts connections`,
  },
  applies: (project: Project) => project.composeFiles().length > 0,
  check(ctx) {
    const files = ctx.project.composeFiles();
    for (const file of files) {
      if (composeEnvironment(file) === 'test') continue;
      for (const service of composeServices(file)) {
        if (databaseEngine(service) !== undefined) continue;
        if (WAITS_ITSELF.test(commandText(service))) continue;
        for (const dependency of serviceDependencies(service)) {
          if (dependency.condition === 'service_healthy' || dependency.condition === 'service_completed_successfully') continue;
          const target = findService(files, file, dependency.name);
          const engine = target === undefined ? undefined : databaseEngine(target);
          if (engine === undefined) continue;
          ctx.report({
            messageId: 'notHealthy',
            data: { service: service.name, dependency: dependency.name, engine },
            location: { path: file.path, line: dependency.line ?? service.line ?? 1 },
            detail: `depends_on entry "${dependency.name}" of service "${service.name}" in ${file.path} has ${
              dependency.condition === undefined ? 'no condition (short form means service_started)' : `condition: ${dependency.condition}`
            }; "${dependency.name}" runs ${target?.image ?? '?'}. The service's command does not wait for the database itself (wait-for-it, dockerize, --wait, pg_isready).`,
            key: `${service.name}->${dependency.name}`,
          });
        }
      }
    }
  },
});
