// Protects against the start-up race: the app starts as soon as the database container exists, before it accepts connections. Docs: docs/rules/reliability/compose-depends-healthy.md
import { noOptions } from '../../core/rule.js';
import { composeServices, databaseEngine, dirOf, serviceDependencies, serviceDockerfile, type ComposeService } from '../../project/compose.js';
import { composeFileEnvironment } from '../../project/compose-stacks.js';
import { dockerCommand, dockerStages, effectiveInstruction } from '../../project/dockerfile.js';
import { serviceImageSource } from '../../project/images.js';
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

/**
 * Clients that wait for the database on their first connect: the MongoDB driver (and mongoose on it) waits
 * `serverSelectionTimeoutMS`, 30 s by default, and Nest's TypeORM/Mongoose/Sequelize modules retry the connection
 * (`retryAttempts` 9 × 3 s). Prisma, pg and mysql2 fail the first query or migration instead.
 */
const WAITING_CLIENT = /^(?:mongoose|mongodb|@nestjs\/typeorm|@nestjs\/mongoose|@nestjs\/sequelize)$/;
const MIGRATES = /\b(?:migrate|migration|db\s+push|knex\s+migrate|sequelize\s+db:migrate|typeorm\s+migration:run)\b/i;
const RESTARTS = /^(?:always|unless-stopped|on-failure(?::\d+)?)$/;

/** What the service runs at start: its compose command/entrypoint and the CMD/ENTRYPOINT of the Dockerfile it runs. */
function startCommand(project: Project, service: ComposeService): { text: string; dockerfile: string | undefined } {
  const dockerfile = serviceDockerfile(service) ?? serviceImageSource(project, service).dockerfile;
  const info = dockerfile === undefined ? undefined : project.dockerfiles().find((candidate) => candidate.path === dockerfile);
  const stages = info === undefined ? [] : dockerStages(info.dockerfile);
  const final = stages[stages.length - 1];
  const image = ['CMD', 'ENTRYPOINT'].flatMap((keyword) => {
    const instruction = final === undefined ? undefined : effectiveInstruction(stages, final, keyword);
    if (instruction === undefined) return [];
    const command = dockerCommand(instruction);
    return [command.form === 'exec' ? command.argv.join(' ') : command.text];
  });
  return { text: [commandText(service), ...image].join(' ').trim(), dockerfile };
}

/**
 * Why losing the start-up race costs little, or undefined when it can leave the app broken: a development stack
 * (a retry on a laptop); an app whose database client waits for the server itself and that runs no migration at
 * start (hagopj13's mongoose app); or a service compose restarts on failure whose start command stops at the first
 * failed step (linkwarden: `restart: always` and `prisma migrate deploy && exec …`). A migration chained with `;`
 * (the app starts on an unmigrated database) or a service that is never restarted keeps the finding at medium.
 */
function raceIsRecoverable(project: Project, service: ComposeService, environment: string): string | undefined {
  if (environment === 'development') return 'this is a development stack: losing the race costs a retry on a developer machine';
  const start = startCommand(project, service);
  const owner = start.dockerfile === undefined ? undefined : project.packageOf(start.dockerfile);
  const packages = owner !== undefined && owner.runtimeDependencies.size > 0 ? [owner] : project.serverPackages();
  const waiting = packages.flatMap((pkg) => [...pkg.runtimeDependencies].filter((name) => WAITING_CLIENT.test(name)));
  if (waiting[0] !== undefined && !MIGRATES.test(start.text)) return `the app's ${waiting[0]} waits for the database on its first connect and nothing migrates at start`;
  const restart = scalarString(mapGet(service.node, 'restart')) ?? scalarString(mapGet(mapGet(mapGet(service.node, 'deploy'), 'restart_policy'), 'condition'));
  const continuesAfterFailure = /;\s*\S/.test(start.text);
  if (restart !== undefined && (RESTARTS.test(restart) || restart === 'any') && !continuesAfterFailure) return `compose restarts "${service.name}" (restart: ${restart}) and its start command stops at a failed step, so it comes back once the database is up`;
  return undefined;
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
      const environment = composeFileEnvironment(ctx.project, file);
      if (environment === 'test') continue;
      for (const service of composeServices(file)) {
        if (databaseEngine(service) !== undefined) continue;
        if (WAITS_ITSELF.test(commandText(service))) continue;
        for (const dependency of serviceDependencies(service)) {
          if (dependency.condition === 'service_healthy' || dependency.condition === 'service_completed_successfully') continue;
          const target = findService(files, file, dependency.name);
          const engine = target === undefined ? undefined : databaseEngine(target);
          if (engine === undefined) continue;
          const recoverable = raceIsRecoverable(ctx.project, service, environment);
          const severity = recoverable === undefined ? undefined : 'low';
          ctx.report({
            messageId: 'notHealthy',
            data: { service: service.name, dependency: dependency.name, engine },
            location: { path: file.path, line: dependency.line ?? service.line ?? 1 },
            detail: `depends_on entry "${dependency.name}" of service "${service.name}" in ${file.path} has ${
              dependency.condition === undefined ? 'no condition (short form means service_started)' : `condition: ${dependency.condition}`
            }; "${dependency.name}" runs ${target?.image ?? '?'}. The service's command does not wait for the database itself (wait-for-it, dockerize, --wait, pg_isready).${recoverable === undefined ? '' : ` Low: ${recoverable}.`}`,
            key: `${service.name}->${dependency.name}`,
            ...(severity === undefined ? {} : { severity }),
          });
        }
      }
    }
  },
});
