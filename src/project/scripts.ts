import { lineIndexOf } from './line-index.js';
import type { PackageInfo } from './packages.js';
import { isSourcePath, type Project } from './project.js';

/** A runnable piece of shell the team keeps in the repository: a script file, a Makefile target or a package.json script. */
export interface ShellUnit {
  readonly kind: 'script' | 'make' | 'npm';
  /** File path; for make/npm also the target or script name. */
  readonly file: string;
  readonly name: string;
  readonly text: string;
  /** Line of `text`'s first character in `file`. */
  readonly line: number;
}

const SCRIPT_FILE = /\.(?:sh|bash|zsh|ps1)$/i;
const MAKEFILE = /(?:^|\/)(?:GNUmakefile|[Mm]akefile|[Jj]ustfile)$|\.mk$/;

function makeTargets(file: string, text: string): ShellUnit[] {
  const units: ShellUnit[] = [];
  const lines = text.split('\n');
  let current: { name: string; line: number; body: string[] } | undefined;
  const flush = (): void => {
    if (current !== undefined) units.push({ kind: 'make', file, name: current.name, text: current.body.join('\n'), line: current.line });
    current = undefined;
  };
  lines.forEach((line, index) => {
    const target = /^([A-Za-z0-9_.%/-]+(?:\s+[A-Za-z0-9_.%/-]+)*)\s*:(?!=)/.exec(line);
    if (target?.[1] !== undefined && !line.startsWith('\t') && !line.startsWith(' ')) {
      flush();
      current = { name: target[1], line: index + 1, body: [line] };
      return;
    }
    if (current !== undefined && (/^[\t ]/.test(line) || line.trim() === '')) current.body.push(line);
    else flush();
  });
  flush();
  return units;
}

/**
 * Offset of the first occurrence of each JSON string in `text`, found in one pass: searching the manifest from the
 * start for each script name made a package.json with thousands of scripts quadratic.
 */
function firstStringOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const match of text.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) if (match[1] !== undefined && !offsets.has(match[1])) offsets.set(match[1], match.index);
  return offsets;
}

function npmScripts(project: Project): ShellUnit[] {
  return project.packages().flatMap((pkg) => {
    const text = project.text(pkg.manifestPath) ?? '';
    const scripts = pkg.manifest.scripts;
    const offsets = Object.keys(scripts).length === 0 ? new Map<string, number>() : firstStringOffsets(text);
    return Object.entries(scripts).map(([name, value]) => {
      const index = offsets.get(name) ?? -1;
      const line = index < 0 ? 1 : lineIndexOf(text).position(index).line;
      return { kind: 'npm' as const, file: pkg.manifestPath, name, text: value, line };
    });
  });
}

const cache = new WeakMap<Project, readonly ShellUnit[]>();

/**
 * Shell scripts (`*.sh`, `*.ps1`), Makefile/justfile targets and package.json scripts, outside tests and fixtures.
 *
 * @example const deployScripts = shellUnits(project).filter((unit) => /deploy/i.test(unit.name));
 */
export function shellUnits(project: Project): readonly ShellUnit[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const units: ShellUnit[] = [];
  for (const entry of project.files) {
    if (/(?:^|\/)(?:test|tests|fixtures|__fixtures__|testdata|node_modules)\//.test(entry.path)) continue;
    if (SCRIPT_FILE.test(entry.path)) {
      const text = project.text(entry.path);
      if (text !== undefined) units.push({ kind: 'script', file: entry.path, name: entry.path.split('/').pop() ?? entry.path, text, line: 1 });
    } else if (MAKEFILE.test(entry.path)) {
      const text = project.text(entry.path);
      if (text !== undefined) units.push(...makeTargets(entry.path, text));
    }
  }
  units.push(...npmScripts(project));
  cache.set(project, units);
  return units;
}

/** 1-based line in the unit's file of `offset` in its text. */
export function unitLine(unit: ShellUnit, offset: number): number {
  return unit.line + lineIndexOf(unit.text).position(offset).line - 1;
}

/** A repository file that a command runs by path. */
export interface ReferencedFile {
  readonly path: string;
  readonly text: string;
}

const RUNNABLE = /(?:^|\/)[^/.]+$|\.(?:sh|bash|zsh|ps1|mjs|cjs|js|ts|py|rb)$/;

/**
 * Repository files a piece of shell runs by path: `bash .ci/run`, `./deploy/release.sh`, and remote
 * paths that end with a repository path (`ssh host /opt/app/deploy/release.sh` → `deploy/release.sh`).
 *
 * @example referencedFiles(project, 'bash .ci/run').map((file) => file.path) // ['.ci/run']
 */
export function referencedFiles(project: Project, text: string): ReferencedFile[] {
  const found = new Map<string, ReferencedFile>();
  for (const raw of text.split(/[\s"'`;&|()<>=]+/)) {
    const token = raw.replace(/^\.\//, '');
    if (!token.includes('/') && !/\.(?:sh|bash)$/.test(token)) continue;
    const candidates = project.has(token)
      ? [token]
      : token.startsWith('/') || token.startsWith('~')
        ? project.files.filter((file) => token.endsWith(`/${file.path}`)).map((file) => file.path)
        : [];
    for (const candidate of candidates) {
      if (found.has(candidate) || !RUNNABLE.test(candidate)) continue;
      const content = project.text(candidate);
      if (content !== undefined) found.set(candidate, { path: candidate, text: content });
    }
  }
  return [...found.values()];
}

/** Wrappers that set the environment and then run the real command (`cross-env NODE_ENV=production node …`). */
const ENV_PREFIX = /^(?:(?:cross-env(?:-shell)?|env)\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+)*(?:dotenv\s+(?:-[ec]\s+\S+\s+)*--\s+)?/;
const RUN_SCRIPT = /^(?:npm|pnpm|yarn|bun)\s+(?:(?:-\S+|--\S+)\s+)*(?:run(?:-script)?\s+)?([\w:.-]+)(?:\s|$)/;
const NX_TARGET = /^(?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+)?nx\s+(?:run-many\s+(?:--target[= ]|-t\s+)([\w:.-]+)[^\n]*?--projects?[= ]([@\w/.-]+)|run\s+([@\w/.-]+):([\w:.-]+))/;
/** Package-manager built-ins that are commands, not scripts. */
const BUILTIN = /^(?:install|i|ci|add|remove|exec|dlx|x|create|init|publish|pack|link)$/;

/** The last command of a shell line (`a && b; c` → `c`), with environment wrappers dropped. */
function lastCommand(text: string): string {
  const commands = text.split(/&&|\|\||;|\n/).map((part) => part.trim()).filter((part) => part !== '' && !part.startsWith('#'));
  return (commands[commands.length - 1] ?? '').replace(ENV_PREFIX, '').trim();
}

/**
 * What a command finally runs once package.json scripts are followed: `pnpm start:static:build` → the script's
 * last command (`http-server build -p 4200`), through `cd libs/embed && npm run start:docker`, `nx run-many
 * --target=… --projects=…` and `nx run project:target`, a few levels deep. Scripts are looked up in `pkg` (the
 * package the command runs in), then in the root package.
 *
 * @example resolveLastCommand(project, 'pnpm start:docker:embed', root) // 'http-server -p 4701 dist'
 */
export function resolveLastCommand(project: Project, text: string, pkg: PackageInfo | undefined, depth = 0): string {
  const parts = text.split(/&&|;/).map((part) => part.trim());
  const cd = parts.length > 1 ? /^cd\s+(\S+)$/.exec(parts[parts.length - 2] ?? '') : null;
  const command = lastCommand(text);
  if (depth > 3) return command;
  const packages = project.packages();
  const root = packages.find((candidate) => candidate.dir === '');
  const nx = NX_TARGET.exec(command);
  if (nx !== null) {
    const target = nx[1] ?? nx[4];
    const name = nx[2] ?? nx[3];
    const owner = packages.find((candidate) => candidate.manifest.name === name || candidate.dir.split('/').pop() === name);
    const script = target === undefined ? undefined : owner?.manifest.scripts[target];
    return script === undefined ? command : resolveLastCommand(project, script, owner, depth + 1);
  }
  const run = RUN_SCRIPT.exec(command);
  const name = run?.[1];
  if (name === undefined || (BUILTIN.test(name) && !/\brun\s/.test(command))) return command;
  const cdDir = cd?.[1]?.replace(/^\.\//, '').replace(/\/$/, '');
  const base = pkg?.dir ?? '';
  const inDir = cdDir === undefined ? undefined : packages.find((candidate) => candidate.dir === (base === '' ? cdDir : `${base}/${cdDir}`) || candidate.dir === cdDir);
  for (const candidate of [inDir, pkg, root]) {
    const script = candidate?.manifest.scripts[name];
    if (script !== undefined && candidate !== undefined) return resolveLastCommand(project, script, candidate, depth + 1);
  }
  return command;
}

/** One simple command (or pipeline) of a piece of shell, in the order the shell runs them. */
export interface ShellCommand {
  readonly text: string;
  /** Started with a trailing `&`: the shell goes on without waiting for it. */
  readonly background: boolean;
}

/**
 * The commands of a piece of shell, split at `&&`, `||`, `;`, newlines and `&` (which also marks the command before
 * it as running in the background), outside quotes and `$(…)`; subshell and group brackets are dropped, pipelines
 * stay one command. `node env.mjs && (server & caddy run)` is `node env.mjs`, `server` in the background, then
 * `caddy run`: the last foreground command is the one the shell waits on.
 *
 * @example shellCommands('node a.mjs && (srv & caddy run)').map((command) => command.text) // ['node a.mjs', 'srv', 'caddy run']
 */
export function shellCommands(text: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let current = '';
  let quote: string | undefined;
  let substitution = 0;
  const push = (background: boolean): void => {
    const trimmed = current.trim();
    // A redirection after a closing bracket (`{ …; } >log`) belongs to the group, not a command of its own.
    if (trimmed !== '' && !trimmed.startsWith('#') && !/^\d*(?:[<>]|&>)/.test(trimmed)) commands.push({ text: trimmed, background });
    current = '';
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    const next = text[index + 1] ?? '';
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"') {
        current += char + next;
        index += 1;
        continue;
      }
      current += char;
      continue;
    }
    if (char === '\\') {
      current += char + next;
      index += 1;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      current += char;
      continue;
    }
    if (char === '$' && next === '(') {
      substitution += 1;
      current += '$(';
      index += 1;
      continue;
    }
    if (substitution > 0) {
      if (char === ')') substitution -= 1;
      current += char;
      continue;
    }
    if ((char === '&' && next === '&') || (char === '|' && next === '|')) {
      push(false);
      index += 1;
    } else if (char === ';' || char === '\n') push(false);
    else if (char === '&' && !/[<>]$/.test(current) && next !== '>') push(true);
    else if (char === '(' || char === ')' || ((char === '{' || char === '}') && /^\s*$|\s$/.test(current) && /^\s|^$|;/.test(next))) push(false);
    else current += char;
  }
  push(false);
  return commands;
}

/**
 * The command the shell waits on last (`shellCommands`), with environment assignments and wrappers in front of it
 * dropped; undefined for a piece of shell with no foreground command.
 *
 * @example lastForegroundCommand('node env.mjs && (webapp-server & caddy run --config Caddyfile)') // 'caddy run --config Caddyfile'
 */
export function lastForegroundCommand(text: string): string | undefined {
  const foreground = shellCommands(text).filter((command) => !command.background);
  const last = foreground[foreground.length - 1];
  return last === undefined ? undefined : last.text.replace(ENV_PREFIX, '').trim();
}

/** A source file that a package.json script runs as its own process for a one-off task. */
export interface TaskScriptEntry {
  readonly path: string;
  /** The package.json that holds the script, its name and line. */
  readonly manifest: string;
  readonly script: string;
  readonly line: number;
}

/**
 * Script names for work a developer or a release step runs once and that exits: migrations, seeds, schema and
 * code generation, back-fills, set-up and admin CLIs. A worker or a server started by a script is not one.
 */
const TASK_SCRIPT = /(?:^|[:_.-])(?:migrat\w*|seed\w*|db|database|schema|typeorm|knex|sequelize|mikro-?orm|codegen|generate|gen|backfill|cli|repl|setup|reset|init)(?:[:_.-]|$)/i;
/** Scripts that start the app: a file one of them runs is server code even if a task script runs it too. */
const SERVING_SCRIPT = /^(?:pre|post)?(?:start|serve|dev|develop|watch|prod|production|preview)(?:[:_.-]|$)/i;
/** Runners that execute a JavaScript or TypeScript file: `node`, `ts-node`, `tsx`, `babel-node`, `bun`, `vite-node`… */
const FILE_RUNNER = /^(?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+|bunx\s+)?(?:node|ts-node(?:-esm|-transpile-only)?|tsx|babel-node|bun|vite-node|esno|esrun|jiti|sucrase-node)\s+(.*)$/;
/** Runner flags followed by a value (`-r tsconfig-paths/register`, `--project tsconfig.json`). */
const FLAG_WITH_VALUE = /^(?:-r|--require|--loader|--import|--experimental-loader|-P|--project|-O|--compiler-options|--tsconfig|--env-file|-C|--conditions)$/;
const RUNNABLE_EXTENSIONS = ['', '.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/** The file a runner command executes, as written: the first argument that is not a flag, a flag's value or a subcommand. */
function runnerTarget(command: string): string | undefined {
  const match = FILE_RUNNER.exec(command.replace(ENV_PREFIX, '').trim());
  if (match?.[1] === undefined) return undefined;
  const tokens = match[1].split(/\s+/).filter((token) => token !== '');
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? '';
    if (FLAG_WITH_VALUE.test(token)) index += 1;
    else if (token.startsWith('-') || token === 'run' || token === 'watch') continue;
    else return token.replace(/^['"]|['"]$/g, '');
  }
  return undefined;
}

function resolveRunnable(project: Project, dir: string, target: string): string | undefined {
  const relative = target.replace(/^\.\//, '');
  if (relative.startsWith('/') || relative.startsWith('..')) return undefined;
  const base = dir === '' ? relative : `${dir}/${relative}`;
  for (const extension of RUNNABLE_EXTENSIONS) {
    const candidate = `${base}${extension}`;
    if (isSourcePath(candidate) && project.has(candidate)) return candidate;
  }
  return undefined;
}

const taskCache = new WeakMap<Project, ReadonlyMap<string, TaskScriptEntry>>();

/**
 * Source files that a package.json script named for a one-off task runs directly (`"migration:up": "ts-node
 * database/migrate up"`, `"db:seed": "tsx src/db/seed.ts"`), and that no serving script (`start`, `dev`,
 * `serve`…) runs. Such a file is its own short-lived process: what it prints is a CLI's output, not the server's.
 * Whether server code also imports it is for the caller to check (`importersOf`).
 *
 * @example taskScriptEntries(project).get('database/migrate.ts')?.script // 'migration:up'
 */
export function taskScriptEntries(project: Project): ReadonlyMap<string, TaskScriptEntry> {
  const cached = taskCache.get(project);
  if (cached !== undefined) return cached;
  const tasks = new Map<string, TaskScriptEntry>();
  const served = new Set<string>();
  for (const pkg of project.packages()) {
    const text = project.text(pkg.manifestPath) ?? '';
    for (const [name, value] of Object.entries(pkg.manifest.scripts)) {
      const isTask = TASK_SCRIPT.test(name) && !SERVING_SCRIPT.test(name);
      for (const part of value.split(/&&|\|\||;/)) {
        const target = runnerTarget(part.trim());
        const file = target === undefined ? undefined : resolveRunnable(project, pkg.dir, target);
        if (file === undefined) continue;
        if (!isTask) served.add(file);
        else if (!tasks.has(file)) {
          const index = text.indexOf(`"${name}"`);
          tasks.set(file, { path: file, manifest: pkg.manifestPath, script: name, line: index < 0 ? 1 : lineIndexOf(text).position(index).line });
        }
      }
    }
  }
  for (const file of served) tasks.delete(file);
  taskCache.set(project, tasks);
  return tasks;
}
