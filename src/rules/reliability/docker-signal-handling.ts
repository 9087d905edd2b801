// Protects against containers that ignore `docker stop`: SIGTERM goes to a shell or npm, node never hears it and is SIGKILLed mid-request. Docs: docs/rules/reliability/docker-signal-handling.md
import type { Instruction } from 'dockerfile-ast';
import { noOptions } from '../../core/rule.js';
import { composeFileEnvironment } from '../../project/compose-stacks.js';
import { composeServices, serviceBuildTarget, serviceDockerfile } from '../../project/compose.js';
import { unshippedDockerfile } from '../../project/deployment.js';
import { mapGet, scalarString } from '../../project/documents.js';
import type { DockerfileInfo } from '../../project/documents.js';
import { copiedFrom, dockerCommand, dockerStages, effectiveInstruction, instructionLocation, packagesToolOnly, productionDockerfiles, stageChain, type DockerCommand, type DockerStage } from '../../project/dockerfile.js';
import type { Project } from '../../project/project.js';
import { lastForegroundCommand, referencedFiles, resolveLastCommand } from '../../project/scripts.js';
import { defineScanRule } from '../support.js';

/** An init process that forwards signals to its child and reaps zombies. */
const INIT = /(?:^|\/)(?:tini|tini-static|dumb-init|catatonit|s6-svscan|\/init)$|^\/init$/;
// Not bun: `bun file.ts` is the runtime itself, and `bun run <script>` forwards SIGTERM to the script on its system-shell
// path (oven-sh/bun#41802 describes that path as forwarding and waiting), so the openstatus API's `CMD ["bun", "start"]` is fine.
const PACKAGE_MANAGER = /(?:^|\/)(?:npm|yarn|pnpm|npx)$/;

/** A command that runs node: the runtime, a package manager or TS runner on top of it, or the image's CMD via "$@". */
const NODE_PROCESS = /^(?:\S*\/)?(?:node|nodejs|npm|npx|yarn|pnpm|tsx|ts-node)(?:\s|$)|^"?\$@"?$/;

/**
 * What the shell of a shell-form command or `sh -c` waits on last, when that is node: the commands before it
 * (`node /site/prod_run.mjs && …`) ran to completion first, and background jobs (`webapp-server &`) are not what
 * `docker stop` waits for. A repository script in that place counts when it ends by starting node. Undefined when the
 * last process is `exec`-ed or is not node (hoppscotch's app stage ends with Caddy after a one-shot env script).
 */
function lastNodeProcess(project: Project, script: string): string | undefined {
  const last = lastForegroundCommand(script);
  if (last === undefined || /^exec\s/.test(last)) return undefined;
  if (NODE_PROCESS.test(last)) return last;
  const file = referencedFiles(project, last.split(/\s+/).slice(0, 2).join(' '))[0];
  if (file === undefined) return undefined;
  const ending = lastForegroundCommand(file.text.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n'));
  return ending !== undefined && NODE_PROCESS.test(ending.replace(/^exec\s+/, '')) ? `${last} (whose last command is "${ending}")` : undefined;
}

/** Why a command keeps SIGTERM away from node, or undefined when it does not. */
function swallowReason(project: Project, command: DockerCommand): string | undefined {
  if (command.form === 'shell') {
    if (command.text === '') return undefined;
    const node = lastNodeProcess(project, command.text);
    return node === undefined ? undefined : `shell form "${command.text}" runs ${node} as a child of /bin/sh -c, which does not forward SIGTERM`;
  }
  const [program, ...rest] = command.argv;
  if (program === undefined) return undefined;
  if (PACKAGE_MANAGER.test(program)) return `"${command.argv.join(' ')}" makes ${program.split('/').pop() ?? program} PID 1; it does not reliably forward SIGTERM to node`;
  if (/(?:^|\/)(?:ba|da|a)?sh$/.test(program) && rest[0] === '-c') {
    const node = lastNodeProcess(project, rest[1] ?? '');
    return node === undefined ? undefined : `"${command.argv.join(' ')}" runs ${node} as a child of a shell, which does not forward SIGTERM`;
  }
  return undefined;
}

/** The command that keeps running at the end of a start script: node or a package manager (or the CMD via "$@"), without `exec`. */
const CHILD_SERVER = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:node|npm|npx|yarn|pnpm)\b|^"?\$@"?$/;
/** A script that handles signals itself: it traps and forwards them, or runs the server under an init. */
const HANDLES_SIGNALS = /\btrap\b|\b(?:tini|dumb-init)\b/;
const SHELL = /(?:^|\/)(?:ba|da|a)?sh$/;

/** The script an exec-form command runs: `["./docker-start.sh"]`, `["/opt/start.sh"]` or `["sh", "start.sh"]`. */
function scriptPath(command: DockerCommand): string | undefined {
  if (command.form !== 'exec') return undefined;
  const [program, first] = command.argv;
  if (program === undefined) return undefined;
  if (SHELL.test(program) && first !== undefined && !first.startsWith('-')) return first;
  if (/\.(?:sh|bash)$/.test(program) || /^\.\/[\w.-]+$/.test(program)) return program;
  return undefined;
}

/**
 * Why a repository start script that the exec-form CMD/ENTRYPOINT runs keeps SIGTERM from the server: its last command starts
 * node (or a package manager) as a child of the shell instead of `exec`-ing it (brocoders/nestjs-boilerplate's
 * startup.relational.dev.sh ends with `npm run start:prod`; documenso's `CMD ["sh", "start.sh"]` runs docker/start.sh, whose last
 * line is `node build/server/main.js`). The script is found by the path the command names or through the COPY that put it in the
 * image. Scripts that trap signals or use an init themselves are left alone.
 */
function scriptReason(project: Project, info: DockerfileInfo, stages: readonly DockerStage[], stage: DockerStage, command: DockerCommand): string | undefined {
  const path = scriptPath(command);
  if (path === undefined || command.form !== 'exec') return undefined;
  const direct = referencedFiles(project, path)[0];
  const copied = direct === undefined ? copiedFrom(project, info, stages, stage, path) : undefined;
  const script = direct ?? (copied === undefined ? undefined : { path: copied, text: project.text(copied) ?? '' });
  if (script === undefined || HANDLES_SIGNALS.test(script.text)) return undefined;
  const lines = script.text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const last = lines[lines.length - 1];
  if (last === undefined || !CHILD_SERVER.test(last) || /&\s*$/.test(last)) return undefined;
  return `${script.path} (run by "${command.argv.join(' ')}") ends with "${last}" without exec, so the shell stays PID 1 and does not forward SIGTERM`;
}

/** Servers of static files: they hold no requests worth draining, so a SIGKILL after the grace period loses nothing. */
const STATIC_SERVER = /^(?:npx\s+(?:-y\s+)?|pnpm\s+(?:exec|dlx)\s+|yarn\s+(?:dlx\s+)?|bunx\s+)?(?:http-server|serve|live-server|static-server|sirv(?:-cli)?|nginx|caddy\s+file-server|busybox\s+httpd|python3?\s+-m\s+http\.server)(?:\s|$)/;
/** Final images whose own process serves files (their CMD is the server itself). */
const STATIC_IMAGE = /^(?:docker\.io\/)?(?:library\/)?(?:nginx|nginxinc\/nginx-unprivileged|caddy|httpd|lipanski\/docker-static-website)(?::|@|$)/i;

/** What the command finally runs, when that is a static file server: `pnpm start:static:build` → `http-server build -p 4200`. */
function staticServer(project: Project, info: DockerfileInfo, stages: readonly DockerStage[], stage: DockerStage, command: DockerCommand): string | undefined {
  const base = stageChain(stages, stage).pop()?.from.getImage() ?? '';
  if (STATIC_IMAGE.test(base)) return `${base} serves files`;
  const text = command.form === 'exec' ? (SHELL.test(command.argv[0] ?? '') && command.argv[1] === '-c' ? (command.argv[2] ?? '') : command.argv.join(' ')) : command.text;
  const last = resolveLastCommand(project, text.replace(/^exec\s+/, ''), project.packageOf(info.path));
  return STATIC_SERVER.test(last) ? last : undefined;
}

function usesInit(command: DockerCommand | undefined): boolean {
  if (command === undefined) return false;
  if (command.form === 'exec') return command.argv[0] !== undefined && INIT.test(command.argv[0]);
  return /^(?:exec\s+)?\S*(?:tini|dumb-init)\b/.test(command.text);
}

interface ComposeBuilds {
  /** Dockerfiles that a compose service with `init: true` builds: compose then runs tini as PID 1. */
  readonly withInit: ReadonlySet<string>;
  /**
   * Per Dockerfile, the stages the production compose services build (`build.target`), `undefined` for "no
   * target: the final stage". Development and test compose files are left out: their targets are dev stages.
   */
  readonly targets: ReadonlyMap<string, ReadonlySet<string | undefined>>;
}

function composeBuilds(project: Project): ComposeBuilds {
  const withInit = new Set<string>();
  const targets = new Map<string, Set<string | undefined>>();
  const files = project.composeFiles();
  for (const file of files) {
    const environment = composeFileEnvironment(project, file);
    for (const service of composeServices(file)) {
      const dockerfile = serviceDockerfile(service);
      if (dockerfile === undefined) continue;
      if (scalarString(mapGet(service.node, 'init')) === 'true') withInit.add(dockerfile);
      if (environment === 'development' || environment === 'test') continue;
      const built = targets.get(dockerfile) ?? new Set<string | undefined>();
      built.add(serviceBuildTarget(service));
      targets.set(dockerfile, built);
    }
  }
  return { withInit, targets };
}

/**
 * The stages whose command runs the app: those production compose services build by `build.target`, plus the
 * final stage unless every such service names a stage of the file — so a Dockerfile not built by compose, built
 * without a target, or built with a target naming no stage (`${TARGET}` without a default) is judged by its
 * final stage, as before targets were read.
 */
function runningStages(stages: readonly DockerStage[], targets: ReadonlySet<string | undefined> | undefined): Array<{ stage: DockerStage; label: string }> {
  const final = stages[stages.length - 1];
  const picked: Array<{ stage: DockerStage; label: string }> = [];
  let finalRuns = targets === undefined || targets.size === 0;
  for (const target of targets ?? []) {
    const named = target === undefined ? undefined : stages.find((stage) => stage.from.getBuildStage()?.toLowerCase() === target.toLowerCase());
    if (named === undefined) finalRuns = true;
    else if (!picked.some((entry) => entry.stage === named)) picked.push({ stage: named, label: `build target stage "${target ?? ''}"` });
  }
  if (finalRuns && final !== undefined && !picked.some((entry) => entry.stage === final)) picked.push({ stage: final, label: 'final stage' });
  return picked;
}

type Messages = { swallowed: { file: string; stage: string; keyword: string } };

export default defineScanRule({
  id: 'reliability/docker-signal-handling',
  title: 'SIGTERM reaches the node process in the container',
  description:
    'The stage a Dockerfile runs (the final one, or the compose `build.target`) should start node directly (exec form) or under an init (tini, dumb-init, `init: true`), so `docker stop` and rolling deploys trigger graceful shutdown instead of a SIGKILL after the grace period.',
  category: 'reliability',
  severity: 'high',
  checklist: 'graceful-shutdown',
  docs: 'docs/rules/reliability/docker-signal-handling.md',
  fix: 'Use the exec form with node itself: `CMD ["node", "dist/server.js"]`; or run under an init: `ENTRYPOINT ["/usr/bin/tini", "--"]` (apt/apk package `tini`) or `init: true` on the compose service.',
  options: noOptions,
  messages: {
    swallowed: ({ file, stage, keyword }: Messages['swallowed']) => `${file}: the ${stage}'s ${keyword} does not pass SIGTERM to node, so the app is killed without a graceful shutdown`,
  },
  applies: (project: Project) => productionDockerfiles(project).length > 0,
  check(ctx) {
    const builds = composeBuilds(ctx.project);
    for (const info of productionDockerfiles(ctx.project)) {
      const { path, dockerfile } = info;
      // A tool image (nothing copied from the repository) does not run the app, whose shutdown this rule protects.
      if (builds.withInit.has(path) || packagesToolOnly(info)) continue;
      const stages = dockerStages(dockerfile);
      // A deprecated Dockerfile that CI does not publish runs only where someone still builds it by hand.
      const unshipped = unshippedDockerfile(ctx.project, path);
      for (const { stage, label } of runningStages(stages, builds.targets.get(path))) {
        const entrypoint = effectiveInstruction(stages, stage, 'ENTRYPOINT');
        const cmd = effectiveInstruction(stages, stage, 'CMD');
        const entryCommand = entrypoint === undefined ? undefined : dockerCommand(entrypoint);
        if (usesInit(entryCommand)) continue;
        // A shell-form ENTRYPOINT ignores CMD entirely; an exec-form one (a wrapper script) ends up exec-ing CMD.
        const candidates: Array<[Instruction, DockerCommand]> = [];
        if (entrypoint !== undefined && entryCommand !== undefined) candidates.push([entrypoint, entryCommand]);
        if (cmd !== undefined && entryCommand?.form !== 'shell') candidates.push([cmd, dockerCommand(cmd)]);
        for (const [instruction, command] of candidates) {
          const reason = swallowReason(ctx.project, command) ?? scriptReason(ctx.project, info, stages, stage, command);
          // A static file server (novu's web image runs `http-server build`) has no in-flight work to lose.
          if (reason === undefined || staticServer(ctx.project, info, stages, stage, command) !== undefined) continue;
          ctx.report({
            messageId: 'swallowed',
            data: { file: path, stage: label, keyword: instruction.getKeyword() },
            location: instructionLocation(path, instruction),
            detail: `${label[0]?.toUpperCase() ?? ''}${label.slice(1)} \`FROM ${stage.from.getArgumentsContent() ?? ''}\` (line ${stage.from.getRange().start.line + 1}): ${reason}. No tini/dumb-init ENTRYPOINT, and no compose service with \`init: true\` builds this Dockerfile.${unshipped === undefined ? '' : ` Low: ${unshipped}.`}`,
            ...(unshipped === undefined ? {} : { severity: 'low' as const }),
          });
          break;
        }
      }
    }
  },
});
