import { ciFiles } from './ci.js';
import { composeEnvironment, composePurpose, composeServices, dirOf, joinPath, type ComposeEnvironment, type ComposePurpose } from './compose.js';
import { mapGet, scalarString, sequenceItems, type YamlFile } from './documents.js';
import type { Project } from './project.js';
import { shellUnits } from './scripts.js';

/**
 * Compose files that run together. `merged`: one compose project built from several files (`-f a -f b`,
 * `COMPOSE_FILE`, `include:`, `extends:`, the automatic `docker-compose.override.yml`), where a service name
 * in two files is one service. `same-host`: separate compose projects one script or job brings up one after
 * the other, so they share the host's ports but not their service names.
 */
export interface ComposeStack {
  readonly kind: 'merged' | 'same-host';
  readonly files: readonly YamlFile[];
  /** Where the repository says these files run together. */
  readonly evidence: { readonly file: string; readonly line: number; readonly what: string };
}

/** The default file name compose picks in a directory, in compose's own order of preference. */
const DEFAULT_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/** One `docker compose …` invocation: its `-f` files (as written) and subcommand, up to the end of the command. */
const INVOCATION = /\bdocker[- ]compose\b([^\n;&|]*)/g;
const FILE_FLAG = /(?:^|\s)(?:-f|--file)(?:\s+|=)(\S+)/g;

function unquote(token: string): string {
  return token.replace(/^['"]|['"]$/g, '').replace(/^\.\//, '');
}

/**
 * The compose file a path written in `fromDir` names: relative to that folder first, then to the repository
 * root, then the only compose file whose path ends with it (`./local/docker-compose.yml` run from `docker/`).
 */
function resolveComposePath(byPath: ReadonlyMap<string, YamlFile>, fromDir: string, written: string): YamlFile | undefined {
  const token = unquote(written);
  if (token.includes('$')) return undefined;
  const direct = byPath.get(joinPath(fromDir, token)) ?? byPath.get(joinPath('', token));
  if (direct !== undefined) return direct;
  const suffix = [...byPath.keys()].filter((path) => path.endsWith(`/${token}`));
  return suffix.length === 1 && suffix[0] !== undefined ? byPath.get(suffix[0]) : undefined;
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

interface Invocation {
  readonly files: readonly YamlFile[];
  readonly isUp: boolean;
  readonly line: number;
}

/** `docker compose -f a.yml -f b.yml up -d` and friends in a piece of shell or documentation. */
function invocations(byPath: ReadonlyMap<string, YamlFile>, text: string, fromDir: string, firstLine: number): Invocation[] {
  if (!/docker[- ]compose/.test(text)) return [];
  const found: Invocation[] = [];
  for (const match of text.matchAll(INVOCATION)) {
    const rest = match[1] ?? '';
    const files = [...rest.matchAll(FILE_FLAG)].flatMap((flag) => {
      const file = resolveComposePath(byPath, fromDir, flag[1] ?? '');
      return file === undefined ? [] : [file];
    });
    if (files.length === 0) continue;
    found.push({ files, isUp: /\s(?:up|start)\b/.test(rest), line: firstLine + lineAt(text, match.index) - 1 });
  }
  return found;
}

function uniqueFiles(files: readonly YamlFile[]): YamlFile[] {
  return [...new Set(files)];
}

/** `include:` entries (`- other.yml`, `- path: [a.yml, b.yml]`) and service `extends: { file: … }` of one file. */
function referencedByFile(byPath: ReadonlyMap<string, YamlFile>, file: YamlFile): Array<{ target: YamlFile; line: number; what: string }> {
  const dir = dirOf(file.path);
  const found: Array<{ target: YamlFile; line: number; what: string }> = [];
  for (const item of sequenceItems(mapGet(file.document.contents, 'include'))) {
    const path = mapGet(item, 'path');
    const written = scalarString(item) !== undefined ? [scalarString(item) ?? ''] : scalarString(path) !== undefined ? [scalarString(path) ?? ''] : sequenceItems(path).map((entry) => scalarString(entry) ?? '');
    for (const entry of written) {
      const target = byPath.get(joinPath(dir, entry));
      if (target !== undefined) found.push({ target, line: file.lineOf(mapGet(file.document.contents, 'include')) ?? 1, what: `${file.path} includes ${target.path}` });
    }
  }
  for (const service of composeServices(file)) {
    const extendsFile = scalarString(mapGet(mapGet(service.node, 'extends'), 'file'));
    if (extendsFile === undefined) continue;
    const target = byPath.get(joinPath(dir, extendsFile));
    if (target !== undefined && target !== file) found.push({ target, line: service.line ?? 1, what: `service "${service.name}" of ${file.path} extends ${target.path}` });
  }
  return found;
}

const cache = new WeakMap<Project, readonly ComposeStack[]>();

/**
 * Every set of compose files the repository runs together: `-f` lists in package.json scripts, shell scripts,
 * Makefiles, CI steps and Markdown docs; `COMPOSE_FILE` in env files; `include:` and `extends:`; and the
 * override file compose merges into a folder's default file by itself. One script or job that brings up two
 * different stacks puts them on one host (`same-host`). Files in different folders that nothing combines are
 * alternatives (a test stack and a dev stack), not one deployment.
 *
 * @example composeStacks(project).map((stack) => stack.files.map((file) => file.path))
 * // [['docker-compose.yml', 'docker-compose.prod.yml']] for `docker compose -f docker-compose.yml -f docker-compose.prod.yml up`
 */
export function composeStacks(project: Project): readonly ComposeStack[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const files = project.composeFiles();
  const byPath = new Map(files.map((file) => [file.path, file]));
  const stacks: ComposeStack[] = [];
  const addMerged = (members: readonly YamlFile[], evidence: ComposeStack['evidence']): void => {
    const unique = uniqueFiles(members);
    if (unique.length > 1) stacks.push({ kind: 'merged', files: unique, evidence });
  };
  const readShell = (text: string, fromDir: string, firstLine: number, where: string): void => {
    const found = invocations(byPath, text, fromDir, firstLine);
    for (const invocation of found) addMerged(invocation.files, { file: where, line: invocation.line, what: `docker compose ${invocation.files.map((file) => `-f ${file.path}`).join(' ')}` });
    const upStacks = found.filter((invocation) => invocation.isUp);
    const distinct = uniqueFiles(upStacks.flatMap((invocation) => invocation.files));
    const separateProjects = upStacks.length > 1 && upStacks.some((invocation) => invocation.files.some((file) => !upStacks[0]?.files.includes(file)));
    if (separateProjects && distinct.length > 1) stacks.push({ kind: 'same-host', files: distinct, evidence: { file: where, line: upStacks[0]?.line ?? firstLine, what: `${where} brings up ${distinct.map((file) => file.path).join(' and ')}` } });
  };
  for (const unit of shellUnits(project)) readShell(unit.text, unit.kind === 'script' ? '' : dirOf(unit.file), unit.line, unit.file);
  for (const ci of ciFiles(project)) {
    const jobs = new Map<string, string[]>();
    for (const step of ci.steps) jobs.set(step.job, [...(jobs.get(step.job) ?? []), step.run]);
    for (const step of ci.steps) for (const invocation of invocations(byPath, step.run, '', step.line)) addMerged(invocation.files, { file: ci.path, line: invocation.line, what: `docker compose ${invocation.files.map((file) => `-f ${file.path}`).join(' ')}` });
    for (const [, runs] of jobs) {
      const ups = runs.flatMap((run) => invocations(byPath, run, '', 1)).filter((invocation) => invocation.isUp);
      const distinct = uniqueFiles(ups.flatMap((invocation) => invocation.files));
      if (ups.length > 1 && distinct.length > 1 && ups.some((invocation) => invocation.files.some((file) => !ups[0]?.files.includes(file)))) {
        stacks.push({ kind: 'same-host', files: distinct, evidence: { file: ci.path, line: ci.steps[0]?.line ?? 1, what: `one job of ${ci.path} brings up ${distinct.map((file) => file.path).join(' and ')}` } });
      }
    }
  }
  for (const doc of project.markdownDocs()) {
    // A doc shows commands one at a time: it says which files combine, not that two stacks share a host.
    for (const invocation of invocations(byPath, doc.text, '', 1)) addMerged(invocation.files, { file: doc.path, line: invocation.line, what: `docker compose ${invocation.files.map((file) => `-f ${file.path}`).join(' ')}` });
  }
  for (const env of project.envFiles()) {
    const entry = env.entries.find((candidate) => candidate.key === 'COMPOSE_FILE');
    if (entry === undefined) continue;
    const separator = env.entries.find((candidate) => candidate.key === 'COMPOSE_PATH_SEPARATOR')?.value ?? (entry.value.includes(';') ? ';' : ':');
    const members = entry.value.split(separator).flatMap((written) => {
      const file = resolveComposePath(byPath, dirOf(env.path), written);
      return file === undefined ? [] : [file];
    });
    addMerged(members, { file: env.path, line: entry.line, what: `COMPOSE_FILE=${entry.value}` });
  }
  for (const file of files) {
    for (const reference of referencedByFile(byPath, file)) addMerged([file, reference.target], { file: file.path, line: reference.line, what: reference.what });
  }
  const dirs = new Set(files.map((file) => dirOf(file.path)));
  for (const dir of dirs) {
    const inDir = (name: string): YamlFile | undefined => byPath.get(dir === '' ? name : `${dir}/${name}`);
    const base = DEFAULT_NAMES.map(inDir).find((file) => file !== undefined);
    const override = OVERRIDE_NAMES.map(inDir).find((file) => file !== undefined);
    if (base !== undefined && override !== undefined) addMerged([base, override], { file: override.path, line: 1, what: `compose merges ${override.path} into ${base.path} by itself` });
  }
  cache.set(project, stacks);
  return stacks;
}

/** `--profile a` / `--profile=a` in one compose invocation, and `COMPOSE_PROFILES=a,b` set in front of it. */
const PROFILE_FLAG = /(?:^|\s)--profile(?:\s+|=)(['"]?)([^\s'"]+)\1/g;
const PROFILES_VARIABLE = /\bCOMPOSE_PROFILES=(['"]?)([^\s'"]+)\1/g;

function profileList(value: string): string[] {
  return value.split(',').map((profile) => profile.trim()).filter((profile) => profile !== '');
}

function activatesSeveral(set: readonly string[]): boolean {
  return set.length > 1 || set.includes('*');
}

/** The profile sets one piece of shell or documentation activates at once, one set per invocation. */
function profilesIn(text: string): string[][] {
  if (!/--profile|COMPOSE_PROFILES/.test(text)) return [];
  const sets: string[][] = [];
  for (const line of text.split('\n')) {
    const fromVariable = [...line.matchAll(PROFILES_VARIABLE)].flatMap((match) => profileList(match[2] ?? ''));
    for (const match of line.matchAll(INVOCATION)) {
      const flags = [...(match[1] ?? '').matchAll(PROFILE_FLAG)].map((flag) => flag[2] ?? '');
      const set = [...fromVariable, ...flags];
      if (activatesSeveral(set)) sets.push(set);
    }
    // `export COMPOSE_PROFILES=a,b` on a line of its own applies to the commands after it.
    if (activatesSeveral(fromVariable) && !/\bdocker[- ]compose\b/.test(line)) sets.push(fromVariable);
  }
  return sets;
}

const profileCache = new WeakMap<Project, readonly (readonly string[])[]>();

/**
 * The sets of compose profiles the repository activates together: `COMPOSE_PROFILES=a,b` in an env file or in front
 * of a command, `docker compose --profile a --profile b up` (or `--profile "*"`) in scripts, Makefiles, package.json,
 * CI steps and Markdown docs. Only sets of two or more profiles are kept: one profile at a time starts nothing
 * beyond what the profiles themselves say.
 *
 * @example coActivatedProfiles(project) // [['app', 'admin']] for `docker compose --profile app --profile admin up`
 */
export function coActivatedProfiles(project: Project): readonly (readonly string[])[] {
  const cached = profileCache.get(project);
  if (cached !== undefined) return cached;
  const sets: string[][] = [];
  for (const env of project.envFiles()) {
    const entry = env.entries.find((candidate) => candidate.key === 'COMPOSE_PROFILES');
    const profiles = entry === undefined ? [] : profileList(entry.value);
    if (activatesSeveral(profiles)) sets.push(profiles);
  }
  for (const unit of shellUnits(project)) sets.push(...profilesIn(unit.text));
  for (const ci of ciFiles(project)) for (const step of ci.steps) sets.push(...profilesIn(step.run));
  for (const doc of project.markdownDocs()) sets.push(...profilesIn(doc.text));
  profileCache.set(project, sets);
  return sets;
}

/**
 * True when compose runs `a` and `b` as one project (their services merge by name).
 *
 * @example areMerged(project, base, prod) // true when a script runs `docker compose -f base.yml -f prod.yml up`
 */
export function areMerged(project: Project, a: YamlFile, b: YamlFile): boolean {
  return a === b || composeStacks(project).some((stack) => stack.kind === 'merged' && stack.files.includes(a) && stack.files.includes(b));
}

/**
 * The stack that puts `a` and `b` on one host, if any: merged into one project, or brought up one after the
 * other by one script or job.
 *
 * @example stackOf(project, a, b)?.evidence.what // 'docker compose -f docker-compose.yml -f docker-compose.prod.yml'
 */
export function stackOf(project: Project, a: YamlFile, b: YamlFile): ComposeStack | undefined {
  return composeStacks(project).find((stack) => stack.files.includes(a) && stack.files.includes(b));
}

/**
 * The environment a compose file serves in this repository, and why (see `composePurpose`): its own name, folder,
 * header or contents first; a neutral file merged into a production or staging stack (`-f docker-compose.yml
 * -f docker-compose.prod.yml`) is part of that deployment, so it is `default`, not the local stack its production
 * sibling, its header or its backing services would otherwise make it.
 *
 * @example composeFilePurpose(project, base).environment // 'default' when a script combines it with docker-compose.prod.yml
 */
export function composeFilePurpose(project: Project, file: YamlFile): ComposePurpose {
  const own = composePurpose(file, project.composeFiles());
  if (own.environment !== 'development' || own.basis === 'name') return own;
  const deployedPartner = composeStacks(project)
    .filter((stack) => stack.kind === 'merged' && stack.files.includes(file))
    .flatMap((stack) => stack.files)
    .find((other) => other !== file && ['production', 'staging'].includes(composeEnvironment(other)));
  return deployedPartner === undefined ? own : { environment: 'default', basis: 'none', reason: `it is merged with ${deployedPartner.path} into the deployed stack` };
}

/**
 * The environment a compose file serves in this repository (see `composeFilePurpose`).
 *
 * @example composeFileEnvironment(project, base) // 'default' when a script combines it with docker-compose.prod.yml
 */
export function composeFileEnvironment(project: Project, file: YamlFile): ComposeEnvironment {
  return composeFilePurpose(project, file).environment;
}
