// Protects against a local setup that takes a morning: no single command starts the app with its database and seed data. Docs: docs/rules/team/one-command-setup.md
import { noOptions } from '../../core/rule.js';
import { composeEnvironment, composeServices, serviceDockerfile } from '../../project/compose.js';
import { mapGet } from '../../project/documents.js';
import type { Project } from '../../project/project.js';
import { shellUnits } from '../../project/scripts.js';
import { defineScanRule } from '../support.js';

const SETUP_TARGET = /^(?:dev|develop|setup|bootstrap|up|start|run|local|init|install)(?:[:-][\w-]+)?$/;
const SETUP_FILE = /^(?:\.devcontainer\/devcontainer\.json|\.devcontainer\.json|Tiltfile|skaffold\.ya?ml|devbox\.json|flake\.nix|(?:bin|script|scripts)\/(?:setup|bootstrap|dev|up|start)(?:\.sh)?|setup\.sh|bootstrap\.sh|dev\.sh)$/;
const STARTS_SERVICES = /\bdocker[- ]compose\b[^\n]*\bup\b|\bdocker\s+run\b|\btilt\s+up\b|\bskaffold\s+dev\b|\bsupabase\s+start\b|\bpg_ctl\s+start\b|\bbrew\s+services\s+start\b/;
const SERVICE_PACKAGES = /^(?:pg|postgres|mysql2?|mariadb|mongodb|mongoose|redis|ioredis|@prisma\/client|drizzle-orm|typeorm|sequelize|knex|kysely|@mikro-orm\/core|amqplib|kafkajs|bullmq|@elastic\/elasticsearch)$/;

/** True when the app needs a database, cache or broker running beside it. */
function needsServices(project: Project): boolean {
  return project.packages().some((pkg) => [...pkg.allDependencies].some((name) => SERVICE_PACKAGES.test(name)));
}

/** What starts the local environment in one go, if anything. */
function oneCommand(project: Project, services: boolean): string | undefined {
  for (const file of project.composeFiles()) {
    const environment = composeEnvironment(file);
    if (environment !== 'default' && environment !== 'development') continue;
    const all = composeServices(file);
    const app = all.find((service) => serviceDockerfile(service) !== undefined || (mapGet(service.node, 'develop') ?? null) !== null);
    // `docker compose up` brings up the app itself, or at least every service the app needs.
    if (app !== undefined) return `${file.path} (\`docker compose up\` starts "${app.name}")`;
  }
  const setupFile = project.files.find((file) => SETUP_FILE.test(file.path));
  if (setupFile !== undefined) return setupFile.path;
  for (const unit of shellUnits(project)) {
    const name = unit.name.split(/\s+/)[0] ?? unit.name;
    if (!SETUP_TARGET.test(name)) continue;
    if (unit.kind === 'make') return `Makefile target "${name}" (${unit.file})`;
    if (unit.kind === 'npm' && /^(?:dev|develop|setup|bootstrap)/.test(name) && (!services || STARTS_SERVICES.test(unit.text) || /\bnpm\s+run\s+(?:services|db|docker)|\bconcurrently\b/.test(unit.text))) return `npm script "${name}" (${unit.file})`;
  }
  return undefined;
}

type Messages = { missing: { needs: string } };

export default defineScanRule({
  id: 'team/one-command-setup',
  title: 'One command starts the local environment',
  description: 'A single command brings up a working local environment: a compose file that starts the app, a Makefile/justfile `dev`/`setup` target, a `dev` script that starts its services, or a dev container.',
  category: 'team',
  severity: 'low',
  checklist: 'local-setup',
  docs: 'docs/rules/team/one-command-setup.md',
  fix: 'Add a `make dev` target (or an npm `dev` script) that creates .env from the example if missing, starts the database with docker compose, applies migrations, runs the idempotent seed and starts the app.',
  options: noOptions,
  messages: {
    missing: ({ needs }: Messages['missing']) => `No single command brings up the local environment${needs}`,
  },
  applies: (project: Project) => project.packages().length > 0 && project.serverPackages().length > 0,
  check(ctx) {
    const services = needsServices(ctx.project);
    if (oneCommand(ctx.project, services) !== undefined) return;
    const root = ctx.project.packages().find((pkg) => pkg.dir === '') ?? ctx.project.packages()[0];
    if (root === undefined) return;
    const text = ctx.project.text(root.manifestPath) ?? '';
    const devLine = text.split('\n').findIndex((line) => /^\s*"dev"\s*:/.test(line));
    ctx.report({
      messageId: 'missing',
      data: { needs: services ? ' (the app needs a database or other services)' : '' },
      location: { path: root.manifestPath, line: devLine >= 0 ? devLine + 1 : 1 },
      detail: `Looked for a default/dev compose file with an app service, Makefile/justfile targets dev/setup/bootstrap/up/start/run, ${
        services ? 'npm dev/setup scripts that also start services (docker compose up, docker run, supabase start…)' : 'npm dev/setup scripts'
      }, .devcontainer, Tiltfile, skaffold.yaml, devbox.json, flake.nix and bin|script|scripts/setup|bootstrap: none found.`,
    });
  },
});
