import type { Dockerfile, From, Instruction } from 'dockerfile-ast';
import { composeServices, serviceDockerfile } from './compose.js';
import type { DockerfileInfo } from './documents.js';
import type { Project } from './project.js';

/** One `FROM … [AS name]` block of a Dockerfile with the instructions that follow it. */
export interface DockerStage {
  readonly index: number;
  readonly from: From;
  readonly instructions: readonly Instruction[];
}

/**
 * The stages of a Dockerfile in order; the last one is what the image runs.
 *
 * @example const final = dockerStages(info.dockerfile).at(-1);
 */
export function dockerStages(dockerfile: Dockerfile): DockerStage[] {
  const froms = dockerfile.getFROMs();
  const instructions = dockerfile.getInstructions();
  return froms.map((from, index) => {
    const start = from.getRange().start.line;
    const end = froms[index + 1]?.getRange().start.line ?? Number.POSITIVE_INFINITY;
    return { index, from, instructions: instructions.filter((instruction) => instruction.getRange().start.line > start && instruction.getRange().start.line < end) };
  });
}

/** The stage `stage` builds on (`FROM <earlier stage name>`), if any. */
export function parentStage(stages: readonly DockerStage[], stage: DockerStage): DockerStage | undefined {
  const base = (stage.from.getImageName() ?? '').toLowerCase();
  for (let index = stage.index - 1; index >= 0; index -= 1) {
    const candidate = stages[index];
    if (candidate?.from.getBuildStage()?.toLowerCase() === base) return candidate;
  }
  return undefined;
}

/** The stage and its ancestors (via `FROM <stage>`), nearest first. */
export function stageChain(stages: readonly DockerStage[], stage: DockerStage): DockerStage[] {
  const chain: DockerStage[] = [];
  let current: DockerStage | undefined = stage;
  while (current !== undefined && !chain.includes(current)) {
    chain.push(current);
    current = parentStage(stages, current);
  }
  return chain;
}

/** The last instruction with `keyword` in the stage or, when absent, in the stages it builds on. */
export function effectiveInstruction(stages: readonly DockerStage[], stage: DockerStage, keyword: string): Instruction | undefined {
  for (const link of stageChain(stages, stage)) {
    const found = link.instructions.filter((instruction) => instruction.getKeyword() === keyword);
    const last = found[found.length - 1];
    if (last !== undefined) return last;
  }
  return undefined;
}

/** 1-based span of an instruction, for `ctx.report`. */
export function instructionLocation(path: string, instruction: Instruction): { path: string; line: number; column: number; endLine: number; endColumn: number } {
  const range = instruction.getRange();
  return { path, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The command of CMD/ENTRYPOINT: `exec` form (JSON array) or `shell` form (run through /bin/sh -c). */
export type DockerCommand = { readonly form: 'exec'; readonly argv: readonly string[] } | { readonly form: 'shell'; readonly text: string };

export function dockerCommand(instruction: Instruction): DockerCommand {
  const raw = (instruction.getArgumentsContent() ?? '').trim();
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isStringArray(parsed)) return { form: 'exec', argv: parsed };
    } catch {
      // Docker itself falls back to shell form when the JSON is invalid.
    }
  }
  return { form: 'shell', text: raw };
}

/**
 * Dockerfiles for local development, CI or dev containers, by name or by folder (`docker/development/Dockerfile.gotenberg`):
 * what they do does not reach production.
 */
export const DEV_ONLY_DOCKERFILE = /(?:^|\/)\.devcontainer\/|(?:^|\/)\.gitpod(?:\.[\w-]+)*$|(?:^|[./_-])(?:dev|development|test|testing|ci|local|e2e|gitpod|devcontainer)(?:\.Dockerfile)?$|(?:^|\/)(?:dev|devel|development|local|tests?|testing|e2e|ci)\//i;

/** Roles whose Dockerfiles never build what production runs. */
const NOT_SHIPPED_ROLES = new Set(['test', 'example', 'docs', 'generated', 'ci', 'script']);

/** Runtime images whose own CMD is a REPL or shell: a Dockerfile on one of them without CMD/ENTRYPOINT is a base to build on, not an app. */
const RUNTIME_BASE = /^(?:docker\.io\/)?(?:library\/)?(?:node|bun|oven\/bun|denoland\/deno|python|ruby|golang|openjdk|eclipse-temurin|alpine|debian|ubuntu|busybox)(?::|@|$)/i;

/** The name git and compose use by default: a sibling variant (`Dockerfile.bun`) is an alternative unless something builds it. */
const DEFAULT_NAME = /^(?:Dockerfile|Containerfile)$/;

function hasCommand(info: DockerfileInfo): boolean {
  const stages = dockerStages(info.dockerfile);
  const final = stages[stages.length - 1];
  if (final === undefined) return false;
  if (stageChain(stages, final).some((stage) => stage.instructions.some((instruction) => instruction.getKeyword() === 'CMD' || instruction.getKeyword() === 'ENTRYPOINT'))) return true;
  const base = stageChain(stages, final).pop()?.from.getImageName() ?? '';
  return !RUNTIME_BASE.test(base);
}

const composeBuildCache = new WeakMap<Project, ReadonlySet<string>>();

function builtByCompose(project: Project): ReadonlySet<string> {
  let built = composeBuildCache.get(project);
  if (built === undefined) {
    built = new Set(project.composeFiles().flatMap((file) => composeServices(file).flatMap((service) => serviceDockerfile(service) ?? [])));
    composeBuildCache.set(project, built);
  }
  return built;
}

const referenceCache = new WeakMap<Project, string>();

/** A line of documentation that builds an image: `docker build -f …`, `--file …`, `dockerfile: …`. */
const BUILD_LINE = /\bdocker\s+(?:buildx\s+)?build\b|(?:^|\s)(?:-f|--file)[\s=]|\bdockerfile\s*:/;

/**
 * Everything that can name a Dockerfile to build: compose files, CI, scripts, Makefiles, package.json, and the
 * build commands in docs. Prose that merely mentions a Dockerfile (a migration plan reviewing `Dockerfile.pnpm`) builds nothing.
 */
function referencingText(project: Project): string {
  let text = referenceCache.get(project);
  if (text === undefined) {
    const files = project.filesWhere((file) => /\.(?:ya?ml|json|toml|sh|bash|mk|md|mdx|hcl|tf)$|(?:^|\/)(?:Makefile|Justfile|Procfile|Jenkinsfile|Taskfile[\w.]*)$/i.test(file));
    text = files
      .map((file) => {
        const content = project.text(file.path) ?? '';
        return /\.mdx?$/i.test(file.path) ? content.split('\n').filter((line) => BUILD_LINE.test(line)).join('\n') : content;
      })
      .join('\n');
    referenceCache.set(project, text);
  }
  return text;
}

/**
 * The Dockerfiles that build what production runs: dev-container, CI and test Dockerfiles left out (by name, by
 * folder and by file role), and so are base images (a runtime base with no CMD/ENTRYPOINT that no compose service
 * builds: other images build on it) and unused alternatives (a `Dockerfile.bun` beside the `Dockerfile`, or a
 * `Dockerfile.pnpm` in an npm repository, that nothing in the repository builds).
 *
 * @example productionDockerfiles(project).map((info) => info.path) // ['Dockerfile', 'apps/api/Dockerfile']
 */
export function productionDockerfiles(project: Project): DockerfileInfo[] {
  const all = project.dockerfiles();
  return all.filter((info) => {
    if (DEV_ONLY_DOCKERFILE.test(info.path) || NOT_SHIPPED_ROLES.has(project.fileRole(info.path))) return false;
    // A Dockerfile without CMD is a base image, unless a compose service builds it and gives the command itself.
    if (!hasCommand(info) && !builtByCompose(project).has(info.path)) return false;
    const name = info.path.split('/').pop() ?? info.path;
    if (DEFAULT_NAME.test(name) || builtByCompose(project).has(info.path)) return true;
    const referenced = referencingText(project).includes(name);
    if (!referenced && isForAbsentPackageManager(project, info.path)) return false;
    const dir = info.path.slice(0, info.path.length - name.length);
    const hasDefaultSibling = all.some((other) => other !== info && other.path.startsWith(dir) && DEFAULT_NAME.test(other.path.slice(dir.length)));
    return !hasDefaultSibling || referenced;
  });
}

const MANAGER_LOCKFILES: Readonly<Record<string, readonly string[]>> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  bun: ['bun.lockb', 'bun.lock'],
  deno: ['deno.lock', 'deno.json', 'deno.jsonc'],
};

/**
 * True for a Dockerfile named after a package manager (`Dockerfile.pnpm`, `bun.Dockerfile`) that the repository
 * does not use: no lockfile of that manager beside it or above it. Templates ship one per manager (documenso's
 * `apps/remix/Dockerfile.bun` and `.pnpm` beside an npm monorepo); the one that matches the lockfile is the real one.
 */
function isForAbsentPackageManager(project: Project, file: string): boolean {
  const name = file.split('/').pop() ?? file;
  const manager = /^(?:Dockerfile|Containerfile)[._-](npm|pnpm|yarn|bun|deno)$|^(npm|pnpm|yarn|bun|deno)[._-](?:Dockerfile|Containerfile)$/i.exec(name);
  const key = (manager?.[1] ?? manager?.[2])?.toLowerCase();
  const lockfiles = key === undefined ? undefined : MANAGER_LOCKFILES[key];
  if (lockfiles === undefined) return false;
  const parts = file.split('/').slice(0, -1);
  for (let depth = parts.length; depth >= 0; depth -= 1) {
    const dir = parts.slice(0, depth).join('/');
    if (lockfiles.some((lockfile) => project.has(dir === '' ? lockfile : `${dir}/${lockfile}`))) return false;
  }
  return true;
}

/**
 * True when a Dockerfile only installs a third-party tool: no COPY/ADD at all (not even `--from` another stage) and a RUN
 * that installs a package (`RUN npm i -g maildev`). Its runtime, command and healthcheck say nothing about the application's.
 *
 * @example packagesToolOnly(project.dockerfiles()[0]) // true for `FROM node:18\nRUN npm i -g maildev\nCMD maildev`
 */
export function packagesToolOnly(info: DockerfileInfo): boolean {
  const instructions = info.dockerfile.getInstructions();
  if (instructions.some((instruction) => instruction.getKeyword() === 'COPY' || instruction.getKeyword() === 'ADD')) return false;
  return instructions.some(
    (instruction) =>
      instruction.getKeyword() === 'RUN' &&
      /\b(?:npm\s+(?:i|install)\s+(?:-g|--global)|yarn\s+global\s+add|pnpm\s+(?:add|install)\s+(?:-g|--global)|apk\s+add|apt-get\s+install|pip3?\s+install|go\s+install|gem\s+install)\b/.test(instruction.getArgumentsContent() ?? ''),
  );
}

function posixJoin(base: string, relative: string): string {
  const parts: string[] = relative.startsWith('/') ? [] : base.split('/').filter((part) => part !== '');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * The working directory `stage` ends with, following the stages it builds on (`/` when none is set).
 *
 * @example workingDirectory(stages, final) // '/app/apps/remix' after `WORKDIR /app` and `WORKDIR /app/apps/remix`
 */
export function workingDirectory(stages: readonly DockerStage[], stage: DockerStage): string {
  const chain = stageChain(stages, stage).reverse();
  let dir = '/';
  for (const link of chain) {
    for (const instruction of link.instructions) {
      if (instruction.getKeyword() === 'WORKDIR') dir = posixJoin(dir, (instruction.getArgumentsContent() ?? '').trim().replace(/^["']|["']$/g, ''));
    }
  }
  return dir;
}

/**
 * The repository file an image's `path` (as a CMD names it: `start.sh`, `./docker-start.sh`, `/opt/run.sh`) was
 * copied from: the COPY/ADD in the stage or the stages it builds on whose destination is that path, its source
 * read against the repository (relative to the root or the Dockerfile's folder, or, for `--from=<stage>`, the
 * repository file the absolute source path ends with); else the only repository file with that name.
 *
 * @example copiedFrom(project, info, stages, final, 'start.sh') // 'docker/start.sh' for `COPY ./docker/start.sh /app/apps/remix/start.sh`
 */
export function copiedFrom(project: Project, info: DockerfileInfo, stages: readonly DockerStage[], stage: DockerStage, path: string): string | undefined {
  const target = posixJoin(workingDirectory(stages, stage), path);
  const name = target.split('/').pop() ?? target;
  const dockerfileDir = info.path.includes('/') ? info.path.slice(0, info.path.lastIndexOf('/')) : '';
  for (const link of stageChain(stages, stage)) {
    const dir = workingDirectory(stages, link);
    for (const instruction of [...link.instructions].reverse()) {
      if (instruction.getKeyword() !== 'COPY' && instruction.getKeyword() !== 'ADD') continue;
      const words = (instruction.getArgumentsContent() ?? '').trim().split(/\s+/).filter((word) => !word.startsWith('--'));
      const destination = words.pop();
      if (destination === undefined || words.length === 0) continue;
      const isDirectory = destination.endsWith('/') || destination === '.' || words.length > 1;
      for (const source of words) {
        const copied = isDirectory ? posixJoin(posixJoin(dir, destination), source.split('/').pop() ?? source) : posixJoin(dir, destination);
        if (copied !== target) continue;
        const clean = source.replace(/^\.\//, '');
        const candidates = source.startsWith('/')
          ? project.files.filter((file) => source.endsWith(`/${file.path}`)).map((file) => file.path).sort((a, b) => b.length - a.length)
          : [clean, dockerfileDir === '' ? clean : `${dockerfileDir}/${clean}`].filter((candidate) => project.has(candidate));
        if (candidates[0] !== undefined) return candidates[0];
      }
    }
  }
  const sameName = project.files.filter((file) => file.path.split('/').pop() === name && project.fileRole(file.path) !== 'test');
  return sameName.length === 1 ? sameName[0]?.path : undefined;
}
