// Protects against a crash or a host reboot leaving the app down until someone notices. Docs: docs/rules/reliability/compose-restart-policy.md
import { noOptions } from '../../core/rule.js';
import { composeFileEnvironment } from '../../project/compose-stacks.js';
import { composeServices, oneShotJob, type ComposeService } from '../../project/compose.js';
import { productionCommands } from '../../project/entrypoints.js';
import { mapGet } from '../../project/documents.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Services that run once and exit by design (migrations, seeds, setup jobs). */
const ONE_SHOT_NAME = /migrat|seed|init|setup|bootstrap|job|task|once|certbot|backup|test|build|tools?$|cli$/i;

const DEPLOYS_COMPOSE = /\bdocker[- ]compose\b[^\n]*\bup\b/;

function hasRestartPolicy(service: ComposeService): boolean {
  return mapGet(service.node, 'restart') !== undefined || mapGet(mapGet(service.node, 'deploy'), 'restart_policy') !== undefined;
}

type Messages = { noRestart: { service: string; file: string } };

export default defineScanRule({
  id: 'reliability/compose-restart-policy',
  title: 'Long-running compose services restart on failure',
  description: 'Services that should always run set `restart: unless-stopped` (or `always`/`on-failure`), so a crash or a host reboot does not leave them down.',
  category: 'reliability',
  severity: 'low',
  docs: 'docs/rules/reliability/compose-restart-policy.md',
  fix: 'Add `restart: unless-stopped` to each long-running service (and `restart: "no"` to one-shot jobs, to say they are meant to exit).',
  options: noOptions,
  messages: {
    noRestart: ({ service, file }: Messages['noRestart']) => `Service "${service}" in ${file} has no restart policy: after a crash or reboot it stays down`,
  },
  applies: (project: Project) => project.composeFiles().length > 0,
  check(ctx) {
    const files = ctx.project.composeFiles();
    // A plain docker-compose.yml is usually the local stack; it counts only when a deploy runs `docker compose up`.
    const deploysCompose = productionCommands(ctx.project).some((command) => DEPLOYS_COMPOSE.test(command.text));
    for (const file of files) {
      const environment = composeFileEnvironment(ctx.project, file);
      // Local development and test stacks are started by hand and torn down again.
      if (environment !== 'production' && environment !== 'staging' && !(environment === 'default' && deploysCompose)) continue;
      const services = composeServices(file);
      for (const service of services) {
        // A job that applies migrations, or one others wait on to complete, is meant to exit whatever it is called.
        if (hasRestartPolicy(service) || ONE_SHOT_NAME.test(service.name) || oneShotJob(service, services) !== undefined) continue;
        // Profiles (`profiles: [tools]`) are opt-in helpers, not part of the running stack.
        if (mapGet(service.node, 'profiles') !== undefined) continue;
        ctx.report({
          messageId: 'noRestart',
          data: { service: service.name, file: file.path },
          location: { path: file.path, line: service.line ?? 1 },
          detail: `Service "${service.name}" in ${file.path} has neither \`restart:\` nor \`deploy.restart_policy\`; it is not named like a one-shot job (migrate/seed/init/setup/job/backup…), its command applies no migrations or seeds, no service waits for it to complete, and it has no \`profiles\`. Compose's default is "no": it is not restarted after a crash or a Docker daemon restart.`,
          key: service.name,
        });
      }
    }
  },
});
