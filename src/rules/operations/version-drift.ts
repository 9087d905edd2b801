// Protects against testing on one version and running another: Postgres 14 in CI, 16 in production; Node 18 in .nvmrc, 20 in the image. Docs: docs/rules/operations/version-drift.md
import { noOptions } from '../../core/rule.js';
import { ciFiles } from '../../project/ci.js';
import { composeEnvironment, composeServices } from '../../project/compose.js';
import { dockerStages, packagesToolOnly, productionDockerfiles } from '../../project/dockerfile.js';
import { mapEntries, mapGet, scalarString } from '../../project/documents.js';
import type { Project } from '../../project/project.js';
import { isInDeployedScope } from '../../project/services.js';
import { defineScanRule } from '../support.js';

/** Official images whose tag starts with the product's major version. */
const VERSIONED_IMAGE = /^(?:docker\.io\/)?(?:library\/)?(postgres|mysql|mariadb|mongo|redis|valkey\/valkey|node)(?::([\w.-]+))?(?:@\S+)?$/;
const IMAGE_IN_TEXT = /(?:^|[\s"'[,:])(?:docker\.io\/)?(?:library\/)?(postgres|mysql|mariadb|mongo|redis|node|cimg\/node|cimg\/postgres|circleci\/node|circleci\/postgres):(\d+)[\w.-]*/g;

/** Where a version is pinned, and how trustworthy it is as "what production runs". */
interface Pin {
  readonly product: string;
  readonly major: number;
  readonly file: string;
  readonly line: number;
  readonly source: string;
  /** Lower ranks win as the reference: production first. */
  readonly rank: number;
  /**
   * The package the pin is for (a Dockerfile's package, the folder a CI job works in), or undefined for the
   * whole repository: runtimes are compared only within one deployable.
   */
  readonly scope?: string;
  /** True for what a container runs (a Dockerfile FROM, a compose image), false for toolchain pins (CI, .nvmrc, engines). */
  readonly runtime: boolean;
}

function majorOf(tag: string | undefined): number | undefined {
  const match = /^v?(\d+)/.exec(tag ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function product(name: string): string {
  return name.replace(/^(?:cimg|circleci|valkey)\//, '');
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function scopeField(scope: string | undefined): { scope?: string } {
  return scope === undefined || scope === '' ? {} : { scope };
}

const jobScopeCache = new WeakMap<Project, Map<string, Array<{ line: number; scope: string | undefined }>>>();

/**
 * The package a GitHub Actions job works in (`defaults.run.working-directory` of the job or the workflow), by the
 * line the job starts on: linkwarden's mobile workflows build `apps/mobile`, not the server image.
 */
function jobScopes(project: Project, path: string): Array<{ line: number; scope: string | undefined }> {
  let byFile = jobScopeCache.get(project);
  if (byFile === undefined) {
    byFile = new Map();
    jobScopeCache.set(project, byFile);
  }
  const cached = byFile.get(path);
  if (cached !== undefined) return cached;
  const workflow = project.workflows().find((file) => file.path === path);
  const root = workflow?.document.contents;
  const directoryOf = (node: unknown): string | undefined => scalarString(mapGet(mapGet(mapGet(node, 'defaults'), 'run'), 'working-directory'));
  const workflowDir = directoryOf(root);
  const scopes = mapEntries(mapGet(root, 'jobs')).map(([, keyNode, job]) => {
    const dir = (directoryOf(job) ?? workflowDir)?.replace(/^\.\/?/, '').replace(/\/$/, '');
    const owner = dir === undefined || dir === '' ? undefined : project.packageOf(`${dir}/package.json`);
    return { line: workflow?.lineOf(keyNode) ?? 1, scope: owner?.dir };
  });
  byFile.set(path, scopes);
  return scopes;
}

function ciScopeAt(project: Project, path: string, line: number): string | undefined {
  return jobScopes(project, path).filter((job) => job.line <= line).pop()?.scope;
}

function within(dir: string, ancestor: string): boolean {
  return ancestor === '' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}

/**
 * Whether two pins describe the same deployable, so a different major is drift: the same package, one inside
 * the other, or a repository-wide toolchain pin. A container's runtime is compared with a package's toolchain
 * only when that package is shipped by a deployed service (its own code or a library one imports): a mobile
 * app's CI Node has no reason to match the server image's.
 */
function sameDeployable(project: Project, a: Pin, b: Pin): boolean {
  if (a.scope !== undefined && b.scope !== undefined) return within(a.scope, b.scope) || within(b.scope, a.scope);
  const scoped = a.scope !== undefined ? a : b.scope !== undefined ? b : undefined;
  const whole = scoped === a ? b : a;
  if (scoped?.scope === undefined || !whole.runtime) return true;
  return isInDeployedScope(project, `${scoped.scope}/package.json`);
}

function imagePins(project: Project): Pin[] {
  const pins: Pin[] = [];
  for (const file of project.composeFiles()) {
    const environment = composeEnvironment(file);
    const rank = environment === 'production' ? 0 : environment === 'staging' ? 1 : environment === 'test' ? 4 : 2;
    for (const service of composeServices(file)) {
      const match = VERSIONED_IMAGE.exec(service.image ?? '');
      const major = majorOf(match?.[2]);
      if (match?.[1] === undefined || major === undefined) continue;
      pins.push({ product: product(match[1]), major, file: file.path, line: service.line ?? 1, source: `compose service "${service.name}" (${service.image ?? ''})`, rank, runtime: true });
    }
  }
  for (const file of ciFiles(project)) {
    const text = project.text(file.path) ?? '';
    for (const match of text.matchAll(IMAGE_IN_TEXT)) {
      if (match[1] === undefined || match[2] === undefined || Number(match[2]) >= 100) continue;
      const line = lineAt(text, match.index + match[0].length - match[0].trimStart().length);
      if (/^\s*#/.test(text.split('\n')[line - 1] ?? '')) continue;
      pins.push({ product: product(match[1]), major: Number(match[2]), file: file.path, line, source: `CI image ${match[0].trim().replace(/^["'[,:]/, '')}`, rank: 3, runtime: false, ...scopeField(ciScopeAt(project, file.path, line)) });
    }
  }
  // Tool images (a Dockerfile that copies nothing from the repository, e.g. a maildev image) do not run the app's runtime.
  for (const info of productionDockerfiles(project).filter((candidate) => !packagesToolOnly(candidate))) {
    const stages = dockerStages(info.dockerfile);
    const scope = project.packageOf(info.path)?.dir;
    stages.forEach((stage, index) => {
      const match = VERSIONED_IMAGE.exec(stage.from.getImage() ?? '');
      const major = majorOf(match?.[2]);
      if (match?.[1] === undefined || major === undefined) return;
      // The final stage is what production runs; build stages compile with it.
      pins.push({ product: product(match[1]), major, file: info.path, line: stage.from.getRange().start.line + 1, source: `FROM ${stage.from.getImage() ?? ''}`, rank: index === stages.length - 1 ? 0 : 1, runtime: true, ...scopeField(scope) });
    });
  }
  return pins;
}

function nodeFilePins(project: Project): Pin[] {
  const pins: Pin[] = [];
  for (const name of ['.nvmrc', '.node-version']) {
    const text = project.has(name) ? project.text(name) : undefined;
    const major = majorOf(text?.trim());
    if (major !== undefined) pins.push({ product: 'node', major, file: name, line: 1, source: `${name} (${text?.trim() ?? ''})`, rank: 2, runtime: false });
  }
  const tools = project.has('.tool-versions') ? (project.text('.tool-versions') ?? '') : '';
  const tool = /^(?:nodejs|node)\s+v?(\d+)/m.exec(tools);
  if (tool?.[1] !== undefined) pins.push({ product: 'node', major: Number(tool[1]), file: '.tool-versions', line: lineAt(tools, tool.index), source: `.tool-versions (${tool[0]})`, rank: 2, runtime: false });
  for (const file of ciFiles(project)) {
    const text = project.text(file.path) ?? '';
    for (const match of text.matchAll(/node-version:\s*["']?v?(\d+)[\w.]*["']?\s*$/gm)) {
      if (match[1] === undefined) continue;
      const line = lineAt(text, match.index);
      pins.push({ product: 'node', major: Number(match[1]), file: file.path, line, source: `setup-node ${match[0].trim()}`, rank: 3, runtime: false, ...scopeField(ciScopeAt(project, file.path, line)) });
    }
  }
  const root = project.packages().find((pkg) => pkg.dir === '');
  const volta = root?.manifest.volta.node;
  if (root !== undefined && volta !== undefined && majorOf(volta) !== undefined) {
    const text = project.text(root.manifestPath) ?? '';
    const index = text.indexOf('"volta"');
    pins.push({ product: 'node', major: majorOf(volta) ?? 0, file: root.manifestPath, line: index < 0 ? 1 : lineAt(text, index), source: `package.json volta.node (${volta})`, rank: 2, runtime: false });
  }
  return pins;
}

/** Whether a Node major satisfies an `engines.node` range (majors only: `>=20.19 <21` allows 20). */
export function engineAllows(range: string, major: number): boolean | undefined {
  const alternatives = range.split('||').map((part) => part.trim()).filter((part) => part !== '');
  if (alternatives.length === 0) return undefined;
  let understood = false;
  for (const alternative of alternatives) {
    const comparators = alternative.split(/\s+/).filter((token) => token !== '');
    let allowed = true;
    for (const comparator of comparators) {
      const match = /^(>=|<=|>|<|\^|~|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
      if (match?.[2] === undefined) return undefined;
      understood = true;
      const value = Number(match[2]);
      const minor = Number(match[3] ?? '0');
      const operator = match[1] ?? '=';
      const ok =
        operator === '>=' || operator === '>' ? major >= value : operator === '<' ? (minor > 0 || match[4] !== undefined ? major <= value : major < value) : operator === '<=' ? major <= value : major === value;
      if (!ok) allowed = false;
    }
    if (allowed) return true;
  }
  return understood ? false : undefined;
}

type Messages = { drift: { product: string; major: number; referenceMajor: number; reference: string }; engines: { range: string; major: number; reference: string } };

export default defineScanRule({
  id: 'operations/version-drift',
  title: 'Every environment runs the same major versions',
  description:
    'The same database image and Node version are pinned to the same major everywhere: compose files, CI service containers and images, Dockerfiles, .nvmrc/.node-version/.tool-versions, volta and package.json engines.',
  category: 'operations',
  severity: 'medium',
  docs: 'docs/rules/operations/version-drift.md',
  fix: 'Pick the major production runs and use it everywhere (compose, CI services and setup-node, Dockerfile, .nvmrc, engines); let Dependabot/Renovate bump them together.',
  options: noOptions,
  messages: {
    drift: ({ product: name, major, referenceMajor, reference }: Messages['drift']) => `${name} ${major} here, but ${name} ${referenceMajor} in ${reference}`,
    engines: ({ range, major, reference }: Messages['engines']) => `engines.node "${range}" does not allow Node ${major}, which ${reference} pins`,
  },
  applies: (project: Project) => project.composeFiles().length > 0 || project.dockerfiles().length > 0 || ciFiles(project).length > 0 || project.packages().length > 0,
  check(ctx) {
    const all = [...imagePins(ctx.project), ...nodeFilePins(ctx.project)];
    // A CI file that pins one product to several majors is a test matrix, on purpose.
    const isMatrix = (pin: Pin): boolean => pin.rank === 3 && new Set(all.filter((other) => other.rank === 3 && other.file === pin.file && other.product === pin.product).map((other) => other.major)).size > 1;
    const pins = all.filter((pin) => !isMatrix(pin));
    const products = [...new Set(pins.map((pin) => pin.product))];
    for (const name of products) {
      const group = pins.filter((pin) => pin.product === name);
      for (const pin of group) {
        // The reference is what production runs for this pin's deployable.
        const reference = group.filter((other) => sameDeployable(ctx.project, pin, other)).sort((a, b) => a.rank - b.rank)[0];
        if (reference === undefined || pin.major === reference.major) continue;
        ctx.report({
          messageId: 'drift',
          data: { product: name, major: pin.major, referenceMajor: reference.major, reference: `${reference.file}:${reference.line}` },
          location: { path: pin.file, line: pin.line },
          detail: `${pin.source} pins ${name} ${pin.major}${pin.scope === undefined ? '' : ` (for ${pin.scope})`}; ${reference.source} at ${reference.file}:${reference.line} pins ${reference.major} (the reference for the same deployable: production compose and the final Dockerfile stage first, then staging, default compose and version files, then CI). Pins of ${name} compared: ${group
            .filter((other) => sameDeployable(ctx.project, pin, other))
            .map((other) => `${other.file}:${other.line}=${other.major}`)
            .join(', ')}.`,
          key: `${name}:${pin.file}:${pin.line}`,
        });
      }
    }
    const root = ctx.project.packages().find((pkg) => pkg.dir === '');
    const range = root?.manifest.engines.node;
    // engines.node of the root package speaks for the deployed code: pins of packages no service ships are not its reference.
    const nodeReference = pins.filter((pin) => pin.product === 'node' && (pin.scope === undefined || isInDeployedScope(ctx.project, `${pin.scope}/package.json`))).sort((a, b) => a.rank - b.rank)[0];
    if (root !== undefined && range !== undefined && nodeReference !== undefined && engineAllows(range, nodeReference.major) === false) {
      const text = ctx.project.text(root.manifestPath) ?? '';
      const index = text.indexOf('"engines"');
      ctx.report({
        messageId: 'engines',
        data: { range, major: nodeReference.major, reference: `${nodeReference.file}:${nodeReference.line}` },
        location: { path: root.manifestPath, line: index < 0 ? 1 : lineAt(text, index) },
        detail: `package.json engines.node is "${range}", which does not allow Node ${nodeReference.major} pinned by ${nodeReference.source} at ${nodeReference.file}:${nodeReference.line}.`,
        key: 'engines',
      });
    }
  },
});
