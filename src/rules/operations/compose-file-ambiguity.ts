// Protects against `no such service: app` on the production host: compose files that name the same role differently, and nothing says which file to use. Docs: docs/rules/operations/compose-file-ambiguity.md
import { noOptions } from '../../core/rule.js';
import { backingEngine, composeEnvironment, composeServices, databaseEngine, dirOf, isOwnImage, type ComposeService } from '../../project/compose.js';
import { mapGet, type YamlFile } from '../../project/documents.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const PROXY_IMAGE = /(?:^|\/)(?:nginx|nginx-unprivileged|openresty|caddy|traefik|haproxy|envoy)(?::|@|$)/i;

type Role = 'database' | 'cache' | 'proxy' | 'app';

function roleOf(service: ComposeService): Role | undefined {
  if (databaseEngine(service) !== undefined) return 'database';
  if (backingEngine(service) !== undefined) return 'cache';
  if (service.image !== undefined && PROXY_IMAGE.test(service.image)) return 'proxy';
  // Services built or pushed from this repository are the app; other images (migration runners, tools) have no clear role.
  if (mapGet(service.node, 'build') !== undefined || isOwnImage(service)) return 'app';
  return undefined;
}

function namesByRole(file: YamlFile): Map<Role, ComposeService[]> {
  const roles = new Map<Role, ComposeService[]>();
  for (const service of composeServices(file)) {
    const role = roleOf(service);
    if (role === undefined) continue;
    roles.set(role, [...(roles.get(role) ?? []), service]);
  }
  return roles;
}

/** The names compose reads without `-f`. */
const DEFAULT_COMPOSE_NAME = /^(?:docker-)?compose\.ya?ml$/;

function baseName(file: string): string {
  return file.split('/').pop() ?? file;
}

/** Where a team says which compose file to use: docs, Makefiles, scripts, CI, env files, package.json. */
const INSTRUCTION_FILE = /\.(?:md|mdx|markdown|txt|sh|bash|mk|ya?ml|json|toml|ps1)$|(?:^|\/)(?:Makefile|makefile|GNUmakefile|justfile|Justfile|Taskfile[^/]*|Procfile|Jenkinsfile|\.env(?:\.[^/]+)?)$/;

function isReferenced(project: Project, variant: YamlFile): string | undefined {
  const name = baseName(variant.path);
  for (const file of project.files) {
    if (file.path === variant.path || !INSTRUCTION_FILE.test(file.path)) continue;
    const text = project.text(file.path);
    if (text?.includes(name) === true) return file.path;
  }
  return undefined;
}

type Messages = { ambiguous: { file: string; role: string; names: string; baseFile: string; baseNames: string } };

export default defineScanRule({
  id: 'operations/compose-file-ambiguity',
  title: 'It is clear which compose file runs where',
  description:
    'When a directory holds several compose files (e.g. docker-compose.yml and docker-compose.production.yml) that name the same role differently, some document, Makefile, script or COMPOSE_FILE must say which file to use, or the muscle-memory command fails on the server.',
  category: 'operations',
  severity: 'medium',
  docs: 'docs/rules/operations/compose-file-ambiguity.md',
  fix: 'Use the same service names in every compose file, and write the exact command down: a Makefile target (`prod-up: docker compose -f docker-compose.production.yml up -d`), `COMPOSE_FILE=docker-compose.production.yml` in the server\'s .env, or a README/RUNBOOK line.',
  options: noOptions,
  messages: {
    ambiguous: ({ file, role, names, baseFile, baseNames }: Messages['ambiguous']) =>
      `${file} names its ${role} service ${names} where ${baseFile} says ${baseNames}, and nothing in the repository says when to use ${file}`,
  },
  applies: (project: Project) => project.composeFiles().length > 1,
  check(ctx) {
    const byDir = new Map<string, YamlFile[]>();
    for (const file of ctx.project.composeFiles()) {
      const environment = composeEnvironment(file);
      // Override files are merged automatically and test stacks are run by CI scripts: neither is chosen by hand.
      if (environment === 'test' || /override/i.test(baseName(file.path))) continue;
      byDir.set(dirOf(file.path), [...(byDir.get(dirOf(file.path)) ?? []), file]);
    }
    for (const files of byDir.values()) {
      if (files.length < 2) continue;
      // The file plain `docker compose` picks is the base: a doc that names only the variants with -f says when to use each.
      const base = files.find((file) => DEFAULT_COMPOSE_NAME.test(baseName(file.path))) ?? files.find((file) => composeEnvironment(file) === 'default') ?? files[0];
      if (base === undefined) continue;
      const baseRoles = namesByRole(base);
      for (const variant of files) {
        if (variant === base) continue;
        const variantRoles = namesByRole(variant);
        for (const [role, services] of variantRoles) {
          const baseServices = baseRoles.get(role);
          if (baseServices === undefined) continue;
          const baseNames = new Set(baseServices.map((service) => service.name));
          if (services.some((service) => baseNames.has(service.name))) continue;
          const referencedIn = isReferenced(ctx.project, variant);
          if (referencedIn !== undefined) break;
          const first = services[0];
          if (first === undefined) continue;
          const quote = (list: readonly ComposeService[]): string => list.map((service) => `"${service.name}"`).join(', ');
          ctx.report({
            messageId: 'ambiguous',
            data: { file: variant.path, role, names: quote(services), baseFile: base.path, baseNames: quote(baseServices) },
            location: { path: variant.path, line: first.line ?? 1 },
            detail: `${role} service(s) ${quote(services)} in ${variant.path} vs ${quote(baseServices)} in ${base.path}, so \`docker compose <cmd> ${baseServices[0]?.name ?? ''}\` fails with one of them. Searched every Markdown, Makefile, justfile, Taskfile, shell script, YAML/JSON/TOML and .env file for "${baseName(variant.path)}" (a -f flag or COMPOSE_FILE): not found.`,
            key: role,
          });
        }
      }
    }
  },
});
