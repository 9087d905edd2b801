// Protects against "the container is up" meaning nothing: without a healthcheck, compose, Swarm and `up --wait` cannot tell a hung app from a healthy one. Docs: docs/rules/reliability/container-healthcheck.md
import { noOptions } from '../../core/rule.js';
import { composeFileEnvironment } from '../../project/compose-stacks.js';
import { composeServices, oneShotJob, serviceBuildTarget, serviceDeprecation, serviceDockerfile, type ComposeService } from '../../project/compose.js';
import { mapGet, scalarString, sequenceItems } from '../../project/documents.js';
import { dockerStages, effectiveInstruction, instructionLocation, packagesToolOnly, productionDockerfiles, type DockerStage } from '../../project/dockerfile.js';
import type { DockerfileInfo } from '../../project/documents.js';
import { serviceImageSource } from '../../project/images.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const INFRA_IMAGE = /(?:^|\/)(?:nginx|nginx-unprivileged|openresty|caddy|traefik|haproxy|envoy|certbot|dbmate|flyway|liquibase|adminer|pgadmin4|mailhog|mailpit|maildev|minio|localstack|grafana|prometheus|loki|promtail|jaeger|otel|busybox|alpine|watchtower|portainer)(?::|@|$|\/)/i;

/** Health checks defined by the platform instead: Kubernetes probes, ECS, Fly, Render, Railway, Nomad. */
const PLATFORM_FILE = /\.(?:ya?ml|toml|hcl|nomad)$|(?:^|\/)(?:[\w-]*task[-_]?def[\w-]*|ecs[\w-]*|railway|app)\.json$/i;
const PLATFORM_CHECK = /readinessProbe|livenessProbe|startupProbe|"healthCheck"\s*:|healthCheckPath|healthcheckPath|\[\[(?:http_service\.)?checks\]\]|\[checks\b|\bcheck\s*\{[^}]*\bhttp\b/;

function stageHealthcheck(stages: readonly DockerStage[], stage: DockerStage): boolean {
  const healthcheck = effectiveInstruction(stages, stage, 'HEALTHCHECK');
  return healthcheck !== undefined && !/^\s*NONE\b/i.test(healthcheck.getArgumentsContent() ?? '');
}

/**
 * True when the image built from `info` has a healthcheck: in the `target` stage (compose `build.target`) or, without
 * one, the final stage — including the stages it is built FROM. A HEALTHCHECK in a sibling stage is not in that image.
 */
function hasHealthcheck(info: DockerfileInfo | undefined, target?: string): boolean {
  if (info === undefined) return false;
  const stages = dockerStages(info.dockerfile);
  if (target !== undefined) {
    const named = stages.find((stage) => stage.from.getBuildStage()?.toLowerCase() === target.toLowerCase());
    if (named !== undefined) return stageHealthcheck(stages, named);
    // A target we cannot resolve (`${TARGET}` without a default): any stage may be the one built, so do not guess.
    return stages.some((stage) => stageHealthcheck(stages, stage));
  }
  const final = stages[stages.length - 1];
  return final !== undefined && stageHealthcheck(stages, final);
}

function composeHealthcheck(service: ComposeService): boolean {
  const healthcheck = mapGet(service.node, 'healthcheck');
  if (healthcheck === undefined || healthcheck === null) return false;
  if (scalarString(mapGet(healthcheck, 'disable')) === 'true') return false;
  const test = mapGet(healthcheck, 'test');
  const first = scalarString(test) ?? scalarString(sequenceItems(test)[0]);
  return first !== 'NONE';
}

function platformCheck(project: Project): string | undefined {
  for (const file of project.files) {
    if (!PLATFORM_FILE.test(file.path) || /(?:^|\/)(?:\.github|\.gitlab|\.circleci)\//.test(file.path)) continue;
    const text = project.text(file.path);
    if (text !== undefined && PLATFORM_CHECK.test(text)) return file.path;
  }
  return undefined;
}

type Messages = { noCompose: { service: string; file: string }; noDockerfile: { file: string } };

export default defineScanRule({
  id: 'reliability/container-healthcheck',
  title: "The app's container has a healthcheck",
  description:
    'The container that runs the app declares a healthcheck (Dockerfile HEALTHCHECK or compose `healthcheck`), so restarts, `depends_on: service_healthy` and `up --wait` act on whether the app answers, not whether the process exists.',
  category: 'reliability',
  severity: 'medium',
  checklist: 'health-check',
  docs: 'docs/rules/reliability/container-healthcheck.md',
  fix: 'Add a healthcheck that calls the app\'s health endpoint, e.g. in compose:\n  healthcheck:\n    test: ["CMD", "node", "-e", "fetch(\'http://127.0.0.1:3000/healthz\').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]\n    interval: 10s\n    retries: 5\n    start_period: 20s',
  options: noOptions,
  messages: {
    noCompose: ({ service, file }: Messages['noCompose']) => `App service "${service}" in ${file} has no healthcheck (neither in compose nor in its Dockerfile)`,
    noDockerfile: ({ file }: Messages['noDockerfile']) => `${file} has no HEALTHCHECK and nothing else in the repository checks the container's health`,
  },
  applies: (project: Project) => productionDockerfiles(project).length > 0 || project.composeFiles().length > 0,
  check(ctx) {
    const project = ctx.project;
    const dockerfiles = productionDockerfiles(project);
    const byPath = new Map(project.dockerfiles().map((info) => [info.path, info]));
    const anyDockerHealthcheck = dockerfiles.some((info) => hasHealthcheck(info));
    const coveredDockerfiles = new Set<string>();
    let appServices = 0;
    const files = project.composeFiles();
    for (const file of files) {
      const environment = composeFileEnvironment(ctx.project, file);
      if (environment === 'test' || environment === 'development') continue;
      const services = composeServices(file);
      for (const service of services) {
        // An image the repository builds elsewhere (CI `docker build -t documenso/documenso`) is the app too, built from that Dockerfile.
        const source = serviceImageSource(project, service);
        const built = serviceDockerfile(service) ?? source.dockerfile;
        const isApp = built !== undefined || (source.own && !INFRA_IMAGE.test(service.image ?? '') && dockerfiles.length > 0);
        const builtInfo = built === undefined ? undefined : byPath.get(built);
        // A Dockerfile that copies nothing from the repository packages a tool (brocoders' maildev.Dockerfile), not the app.
        if (!isApp || (builtInfo !== undefined && packagesToolOnly(builtInfo))) continue;
        // One-shot jobs (migrations, seeds) exit by design: there is nothing to probe once they are done.
        if (scalarString(mapGet(service.node, 'restart')) === 'no' || oneShotJob(service, services) !== undefined) continue;
        appServices += 1;
        if (built !== undefined) coveredDockerfiles.add(built);
        if (composeHealthcheck(service)) continue;
        const target = serviceDockerfile(service) === undefined ? undefined : serviceBuildTarget(service);
        if (built !== undefined ? hasHealthcheck(byPath.get(built), target) : anyDockerHealthcheck) continue;
        // A service kept only for old deployments gets no new probes; new deployments do not run it.
        const deprecated = serviceDeprecation(service);
        ctx.report({
          messageId: 'noCompose',
          data: { service: service.name, file: file.path },
          location: { path: file.path, line: service.line ?? 1 },
          detail: `Service "${service.name}" ${serviceDockerfile(service) !== undefined ? `builds ${built ?? ''}` : `runs ${service.image ?? '?'} (built from ${built ?? 'this repository'})`}: no \`healthcheck:\` in ${file.path} and no HEALTHCHECK in ${target === undefined ? 'the final stage' : `the build target stage "${target}"`} of ${
            built ?? 'any production Dockerfile'
          } (or the stages it is built FROM).${deprecated === undefined ? '' : ` Low: the service is deprecated (${deprecated}).`}`,
          key: service.name,
          ...(deprecated === undefined ? {} : { severity: 'low' as const }),
        });
      }
    }
    if (appServices > 0) return;
    // No compose: the platform may define the check (Kubernetes probes, ECS, Fly, Render, Railway).
    const platform = platformCheck(project);
    if (platform !== undefined) return;
    for (const info of dockerfiles) {
      if (coveredDockerfiles.has(info.path) || hasHealthcheck(info)) continue;
      const stages = dockerStages(info.dockerfile);
      const final = stages[stages.length - 1];
      if (final === undefined) continue;
      const anchor = effectiveInstruction(stages, final, 'CMD') ?? effectiveInstruction(stages, final, 'ENTRYPOINT') ?? final.from;
      ctx.report({
        messageId: 'noDockerfile',
        data: { file: info.path },
        location: instructionLocation(info.path, anchor),
        detail: `No HEALTHCHECK in the final stage of ${info.path} (or the stages it builds on), no compose service runs it, and no Kubernetes probe, ECS healthCheck, Fly checks, Render/Railway healthcheck path was found in the repository's YAML/TOML/JSON deploy files.`,
        key: info.path,
      });
    }
  },
});
