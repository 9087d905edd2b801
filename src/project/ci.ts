import { lineIndexOf } from './line-index.js';
import { isMap, isScalar, isSeq, Scalar, type Node as YamlNode } from 'yaml';
import { mapEntries, mapGet, scalarString, type YamlFile } from './documents.js';
import type { Project } from './project.js';

/** CI systems whose configuration lives in the repository. */
export type CiProvider = 'github' | 'gitlab' | 'circleci' | 'bitbucket' | 'azure' | 'drone' | 'woodpecker' | 'buildkite' | 'travis' | 'jenkins';

const CI_FILES: ReadonlyArray<readonly [RegExp, CiProvider]> = [
  [/^\.github\/workflows\/[^/]+\.ya?ml$/i, 'github'],
  [/^\.gitlab-ci\.ya?ml$|^\.gitlab\/(?:ci\/)?[^/]+\.ya?ml$/i, 'gitlab'],
  [/^\.circleci\/config\.ya?ml$/i, 'circleci'],
  [/^bitbucket-pipelines\.ya?ml$/i, 'bitbucket'],
  [/^azure-pipelines\.ya?ml$|^\.azure-pipelines\/[^/]+\.ya?ml$/i, 'azure'],
  [/^\.drone\.ya?ml$/i, 'drone'],
  [/^\.woodpecker(?:\.ya?ml|\/[^/]+\.ya?ml)$/i, 'woodpecker'],
  [/^\.buildkite\/[^/]*pipeline[^/]*\.ya?ml$/i, 'buildkite'],
  [/^\.travis\.ya?ml$/i, 'travis'],
];

/** One command or action a CI job runs, with the line it starts on. */
export interface CiStep {
  readonly file: string;
  /** The job (GitHub/CircleCI `jobs.<id>`, GitLab top-level job, Jenkins stage) the step belongs to. */
  readonly job: string;
  /** Shell text (`run:`, `script:`, `command:`…); empty for an action. */
  readonly run: string;
  /** GitHub action or reusable workflow (`actions/checkout@v4`); CircleCI orb command. */
  readonly uses: string | undefined;
  /** `name:` of the step when it has one. */
  readonly name: string | undefined;
  /** `with:` inputs of an action, flattened to `key: value` lines. */
  readonly inputs: string;
  /** `with:` inputs of an action by name, values as written (a multi-line `tags:` block stays one string). */
  readonly inputMap: ReadonlyMap<string, string>;
  readonly line: number;
  /** True for block scalars (`run: |`), whose text starts on the line after `line`. */
  readonly block: boolean;
}

export interface CiFile {
  readonly path: string;
  readonly provider: CiProvider;
  readonly steps: readonly CiStep[];
}

const COMMAND_KEYS = new Set(['run', 'script', 'before_script', 'after_script', 'command', 'commands', 'cmd', 'inline', 'bash', 'sh', 'pwsh', 'powershell', 'install', 'before_install', 'before_deploy', 'deploy']);

function jobOf(path: readonly string[], provider: CiProvider): string {
  if (path[0] === 'jobs' && path[1] !== undefined) return path[1];
  if (provider === 'bitbucket' || provider === 'azure') return path.slice(0, 3).join('.');
  return path[0] ?? '';
}

function flattenInputs(node: unknown): string {
  return mapEntries(node)
    .map(([key, , value]) => `${key}: ${scalarString(value) ?? ''}`)
    .join('\n');
}

function inputMapOf(node: unknown): Map<string, string> {
  const inputs = new Map<string, string>();
  for (const [key, , value] of mapEntries(node)) {
    const text = scalarString(value);
    if (text !== undefined) inputs.set(key, text);
  }
  return inputs;
}

function collect(file: YamlFile, provider: CiProvider, node: unknown, path: readonly string[], steps: CiStep[]): void {
  if (isSeq(node)) {
    node.items.forEach((item, index) => collect(file, provider, item, [...path, String(index)], steps));
    return;
  }
  if (!isMap(node)) return;
  const uses = scalarString(mapGet(node, 'uses')) ?? (provider === 'github' ? undefined : scalarString(mapGet(node, 'plugin')));
  const name = scalarString(mapGet(node, 'name'));
  if (uses !== undefined) {
    const usesNode = mapGet(node, 'uses');
    const withNode = mapGet(node, 'with');
    const inputMap = inputMapOf(withNode);
    // `uses: docker://image` runs the image with `with.entrypoint` and `with.args` as its command line: that is the step's shell.
    const dockerCommand = uses.startsWith('docker://') ? [inputMap.get('entrypoint'), inputMap.get('args')].filter((part) => part !== undefined).join(' ') : '';
    const argsNode = mapGet(withNode, 'args') ?? mapGet(withNode, 'entrypoint');
    steps.push({
      file: file.path,
      job: jobOf(path, provider),
      run: dockerCommand,
      uses,
      name,
      inputs: flattenInputs(withNode),
      inputMap,
      line: file.lineOf((dockerCommand !== '' ? argsNode : usesNode) ?? usesNode ?? null) ?? 1,
      block: false,
    });
  }
  for (const [key, , value] of mapEntries(node)) {
    if (COMMAND_KEYS.has(key)) {
      const commands = isSeq(value) ? value.items : [value];
      for (const command of commands) {
        const text = scalarString(command) ?? scalarString(mapGet(command, 'command'));
        if (text === undefined) {
          collect(file, provider, command, [...path, key], steps);
          continue;
        }
        const textNode = isScalar(command) ? command : mapGet(command, 'command');
        const block = isScalar(textNode) && (textNode.type === Scalar.BLOCK_LITERAL || textNode.type === Scalar.BLOCK_FOLDED);
        steps.push({ file: file.path, job: jobOf(path, provider), run: text, uses: undefined, name, inputs: '', inputMap: new Map(), line: file.lineOf(isNode(textNode) ? textNode : null) ?? 1, block });
      }
      continue;
    }
    if (key === 'with' || key === 'env' || key === 'variables' || key === 'environment') continue;
    collect(file, provider, value, [...path, key], steps);
  }
}

function isNode(value: unknown): value is YamlNode {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/** Jenkinsfiles are Groovy: every `sh`/`bat` line is a step, the enclosing `stage('…')` its job. */
function jenkinsSteps(path: string, text: string): CiStep[] {
  const steps: CiStep[] = [];
  let stage = '';
  text.split('\n').forEach((line, index) => {
    const stageMatch = /stage\s*\(\s*['"]([^'"]+)['"]/.exec(line);
    if (stageMatch?.[1] !== undefined) stage = stageMatch[1];
    if (/^\s*(?:sh|bat|powershell)\b/.test(line)) steps.push({ file: path, job: stage, run: line.trim(), uses: undefined, name: undefined, inputs: '', inputMap: new Map(), line: index + 1, block: false });
  });
  return steps;
}

const cache = new WeakMap<Project, readonly CiFile[]>();

/**
 * Every CI configuration in the repository (GitHub Actions, GitLab CI, CircleCI, Bitbucket, Azure
 * Pipelines, Drone, Woodpecker, Buildkite, Travis, Jenkinsfile) as job steps with lines.
 *
 * @example const tests = ciFiles(project).flatMap((file) => file.steps).filter((step) => /npm test/.test(step.run));
 */
export function ciFiles(project: Project): readonly CiFile[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const files: CiFile[] = [];
  for (const [pattern, provider] of CI_FILES) {
    for (const file of project.yamlFiles((candidate) => pattern.test(candidate))) {
      const steps: CiStep[] = [];
      collect(file, provider, file.document.contents, [], steps);
      files.push({ path: file.path, provider, steps });
    }
  }
  for (const entry of project.filesWhere((candidate) => /(?:^|\/)Jenkinsfile(?:\.[\w-]+)?$/.test(candidate))) {
    const text = project.text(entry.path);
    if (text !== undefined) files.push({ path: entry.path, provider: 'jenkins', steps: jenkinsSteps(entry.path, text) });
  }
  cache.set(project, files);
  return files;
}

/** 1-based line of `offset` inside a step's shell text. */
export function stepLine(step: CiStep, offset: number): number {
  const newlines = lineIndexOf(step.run).position(offset).line - 1;
  return step.line + newlines + (step.block ? 1 : 0);
}

/** The CI files of `project` that contain at least one step. */
export function hasCi(project: Project): boolean {
  return ciFiles(project).length > 0;
}
