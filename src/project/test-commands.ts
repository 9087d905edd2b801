import { composeServices, serviceDockerfile, type ComposeService } from './compose.js';
import { mapGet, scalarString, sequenceItems } from './documents.js';
import type { Project } from './project.js';
import { referencedFiles, shellUnits } from './scripts.js';

/** Shell that runs a test suite directly. */
export const TEST_RUNNER =
  /\b(?:npm|pnpm|yarn|bun)\s+(?:(?:-\S+|--\S+)\s+)*(?:run\s+)?(?:test|t)(?::[\w:-]+)?\b|\b(?:npm|pnpm|yarn|bun)\b(?![^\n;&|]*\s(?:install|add|i|ci|remove)\s)[^\n;&|]*\s(?:run\s+)?test(?::[\w:-]+)?(?=$|[\s;&|)"'])|\bbun\s+test\b|\b(?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+)?(?:vitest|jest|mocha|ava|tap|uvu|karma|jasmine)\b(?!\.config)|\bplaywright\s+test\b|\bcypress\s+run\b|\bnode\s+--test\b|\b(?:turbo|nx|lerna)\b[^\n]*\btest\b|\bmake\s+(?:test|check)\b|\bgo\s+test\b|\bpytest\b|\bcargo\s+test\b|\bmvn\b[^\n]*\b(?:test|verify)\b|\bgradlew?\b[^\n]*\b(?:test|check)\b|\bdeno\s+test\b/;

/** `npm run <name>` / `yarn <name>` / `pnpm <name>` / `make <target>`: the script or target names a command invokes. */
export function invokedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\b(?:npm|pnpm|yarn|bun)\s+(?:-\S+\s+)*(?:run(?:-script)?\s+)?([\w:.-]+)/g)) if (match[1] !== undefined) names.push(match[1]);
  for (const match of text.matchAll(/\bmake\s+(?:-\S+\s+)*([\w.-]+)/g)) if (match[1] !== undefined) names.push(match[1]);
  return names;
}

/** `docker compose [-f a.yml] up … --exit-code-from api` / `--abort-on-container-exit` / `docker compose run api`: a stack run to completion. */
const COMPOSE_RUN = /\bdocker[- ]compose\b([^\n;&|]*?)\s(up|run)\b([^\n;&|]*)/g;
/** `docker compose run` options that take a value, so the value is not mistaken for the service name. */
const RUN_VALUE_OPTIONS = new Set(['-e', '--env', '-v', '--volume', '-w', '--workdir', '-u', '--user', '--name', '--entrypoint', '-p', '--publish', '-l', '--label']);
const DEFAULT_COMPOSE_FILE = /^(?:docker-)?compose\.ya?ml$/;

function unquote(token: string): string {
  return token.replace(/^\.\//, '').replace(/^['"]|['"]$/g, '');
}

/** The command a compose service runs: its `command:`/`entrypoint:` and the CMD/ENTRYPOINT of the Dockerfile it builds (exec form flattened to words). */
function serviceCommands(project: Project, service: ComposeService): string[] {
  const texts: string[] = [];
  for (const key of ['entrypoint', 'command']) {
    const value = mapGet(service.node, key);
    const text = scalarString(value) ?? sequenceItems(value).map((item) => scalarString(item) ?? '').join(' ');
    if (text !== '') texts.push(text);
  }
  const dockerfile = serviceDockerfile(service);
  const source = dockerfile === undefined ? undefined : project.text(dockerfile);
  for (const line of source?.split('\n') ?? []) if (/^\s*(?:CMD|ENTRYPOINT)\s/i.test(line)) texts.push(line.replace(/[[\]",]/g, ' '));
  return texts;
}

/**
 * What the compose services run when a step runs a stack to completion (`up --exit-code-from`, `--abort-on-container-exit`,
 * `run <service>`): the suite often runs inside the container (brocoders/nestjs-boilerplate's CI does exactly this).
 */
function composeRunCommands(project: Project, text: string): string[] {
  if (!text.includes('compose')) return [];
  const commands: string[] = [];
  for (const match of text.matchAll(COMPOSE_RUN)) {
    const options = match[1] ?? '';
    const rest = match[3] ?? '';
    const files = [...options.matchAll(/(?:^|\s)(?:-f|--file)(?:\s+|=)(\S+)/g)].map((file) => unquote(file[1] ?? ''));
    let services: readonly string[] | 'all';
    if (match[2] === 'run') {
      const tokens = rest.trim().split(/\s+/);
      let index = 0;
      while (index < tokens.length && (tokens[index] ?? '').startsWith('-')) index += RUN_VALUE_OPTIONS.has(tokens[index] ?? '') ? 2 : 1;
      const service = tokens[index];
      if (service === undefined || service === '') continue;
      services = [service];
    } else {
      const exitFrom = /--exit-code-from(?:\s+|=)([\w.-]+)/.exec(rest);
      if (exitFrom?.[1] !== undefined) services = [exitFrom[1]];
      else if (/--abort-on-container-exit\b/.test(rest)) services = 'all';
      else continue;
    }
    const composeFiles = project.composeFiles().filter((file) => (files.length > 0 ? files.includes(file.path) : DEFAULT_COMPOSE_FILE.test(file.path)));
    for (const file of composeFiles) {
      for (const service of composeServices(file)) {
        if (services === 'all' || services.includes(service.name)) commands.push(...serviceCommands(project, service));
      }
    }
  }
  return commands;
}

/**
 * True when `text` runs tests, directly or through a package.json script or Makefile target it invokes.
 *
 * @example runsTests(project, 'npm run ci') // true when the "ci" script runs vitest
 */
export function runsTests(project: Project, text: string, depth = 0): boolean {
  if (TEST_RUNNER.test(text)) return true;
  if (depth > 2) return false;
  // `bash .ci/run`, `./scripts/test.sh`: the suite may run inside a script the step calls.
  if (referencedFiles(project, text).some((file) => file.text !== text && runsTests(project, file.text, depth + 1))) return true;
  // `docker compose -f ci.yml up --exit-code-from api`: the suite runs as the service's command or its image's CMD.
  if (composeRunCommands(project, text).some((command) => command !== text && runsTests(project, command, depth + 1))) return true;
  const names = invokedNames(text);
  if (names.length === 0) return false;
  return shellUnits(project).some((unit) => (unit.kind === 'npm' || unit.kind === 'make') && names.includes(unit.name.split(/\s+/)[0] ?? unit.name) && runsTests(project, unit.text, depth + 1));
}
