import { ciFiles } from './ci.js';
import { composeServices, databaseEngine, dirOf, serviceDeprecation, serviceDockerfile } from './compose.js';
import { composeFileEnvironment } from './compose-stacks.js';
import { builtImages } from './images.js';
import { documentCovering } from './doc-topics.js';
import { mapGet, scalarString } from './documents.js';
import type { Project } from './project.js';
import { deployedServices, isSelfHosted } from './services.js';
import { shellUnits } from './scripts.js';
import { rootReadme } from './setup-docs.js';

/** Where the repository says it is deployed, for a reader to check. */
export interface DeploymentTarget {
  readonly kind: 'process-platform' | 'serverless-platform' | 'production-compose' | 'kubernetes' | 'published-image' | 'ci-deploy';
  readonly file: string;
  readonly what: string;
}

const PROCESS_PLATFORM = /(?:^|\/)(?:fly\.toml|render\.ya?ml|railway\.(?:json|toml)|Procfile|app\.ya?ml|heroku\.yml|nixpacks\.toml|apprunner\.ya?ml|koyeb\.ya?ml|zeabur\.json|\.platform\.app\.yaml|app\.json)$/;
const SERVERLESS_PLATFORM = /(?:^|\/)(?:vercel\.json|netlify\.toml|wrangler\.(?:toml|json|jsonc)|serverless\.ya?ml|amplify\.ya?ml)$/;
const KUBERNETES = /(?:^|\/)(?:Chart\.yaml|kustomization\.ya?ml|skaffold\.ya?ml)$/;
const DEPLOY_JOB = /deploy|release|publish|rollout|\bcd\b/i;

/**
 * Everything that shows the repository is deployed somewhere: a process platform's config (Fly, Render, Railway,
 * Heroku…), a serverless platform's (Vercel, Netlify, Cloudflare), a production or staging compose file, a Helm
 * chart or kustomization, an image published from CI, or a CI job named for deploying or releasing. Empty for a
 * prototype nothing deploys yet.
 *
 * @example deploymentTargets(project).map((target) => target.what) // ['fly.toml', 'CI job "deploy" of .github/workflows/deploy.yml']
 */
export function deploymentTargets(project: Project): readonly DeploymentTarget[] {
  const cached = targetsByProject.get(project);
  if (cached !== undefined) return cached;
  const targets = findDeploymentTargets(project);
  targetsByProject.set(project, targets);
  return targets;
}

/** A project's files do not change once opened, and several rules ask per Dockerfile: found once. */
const targetsByProject = new WeakMap<Project, readonly DeploymentTarget[]>();

function findDeploymentTargets(project: Project): DeploymentTarget[] {
  const targets: DeploymentTarget[] = [];
  const packageDirs = new Set(project.packages().map((pkg) => pkg.dir));
  for (const file of project.files) {
    if (project.fileRole(file.path) === 'test' || project.fileRole(file.path) === 'example') continue;
    // Platform files sit at the root of what they deploy (`apps/web/vercel.json`), not among locale files named app.json.
    if (!packageDirs.has(dirOf(file.path)) && dirOf(file.path) !== '') continue;
    if (PROCESS_PLATFORM.test(file.path)) targets.push({ kind: 'process-platform', file: file.path, what: file.path });
    else if (SERVERLESS_PLATFORM.test(file.path)) targets.push({ kind: 'serverless-platform', file: file.path, what: file.path });
    else if (KUBERNETES.test(file.path)) targets.push({ kind: 'kubernetes', file: file.path, what: file.path });
  }
  for (const file of project.composeFiles()) {
    const environment = composeFileEnvironment(project, file);
    if (environment === 'production' || environment === 'staging') targets.push({ kind: 'production-compose', file: file.path, what: `${environment} compose file ${file.path}` });
  }
  const ciPaths = new Set(ciFiles(project).map((file) => file.path));
  for (const image of builtImages(project)) {
    if (ciPaths.has(image.file)) targets.push({ kind: 'published-image', file: image.file, what: `${image.file} builds ${image.name}` });
  }
  for (const file of ciFiles(project)) {
    const job = file.steps.find((step) => DEPLOY_JOB.test(step.job) || DEPLOY_JOB.test(file.path.split('/').pop() ?? ''))?.job;
    if (job !== undefined) targets.push({ kind: 'ci-deploy', file: file.path, what: `CI job "${job}" of ${file.path}` });
  }
  return targets;
}

/** What a README says of the repository when it is a starting point for other projects. */
const TEMPLATE_CLAIM = /\b(?:boilerplate|starter(?:[\s-]kit)?|template|scaffold(?:ing)?|skeleton|seed\s+project)\b/i;
const TEMPLATE_LINK = /github\.com\/new\?template_name=|\buse\s+this\s+template\b/i;
const TEMPLATE_NAME = /(?:^|[-_/@])(?:boilerplate|starter|template|skeleton|scaffold)(?:$|[-_])/i;

/**
 * Why the repository is a boilerplate, starter or template rather than a deployed product, or undefined: its
 * root package is named like one, its README links "Use this template", or the README's title or opening
 * paragraph calls it a boilerplate/starter/template. Its deployment, backups and rollbacks belong to whoever
 * adopts it.
 *
 * @example templateEvidence(project) // 'README.md:1 calls it a boilerplate ("# RESTful API Node Server Boilerplate")'
 */
export function templateEvidence(project: Project): string | undefined {
  const root = project.packages().find((pkg) => pkg.dir === '');
  const name = root?.manifest.name;
  if (name !== undefined && TEMPLATE_NAME.test(name)) return `package.json is named "${name}"`;
  const readme = rootReadme(project);
  if (readme === undefined) return undefined;
  if (TEMPLATE_LINK.test(readme.text)) return `${readme.path} links GitHub's "use this template"`;
  const title = readme.headings[0];
  if (title !== undefined && TEMPLATE_CLAIM.test(title.text)) return `${readme.path}:${title.line} calls it a ${TEMPLATE_CLAIM.exec(title.text)?.[0].toLowerCase() ?? 'template'} ("${title.text.slice(0, 80)}")`;
  // The opening prose, before the second heading: "This is a starter for…", "<h1>Express Typescript Boilerplate</h1>".
  const second = readme.headings[1]?.line;
  const opening = readme.text.split('\n').slice(0, second === undefined ? 30 : Math.min(second, 30)).join('\n').replace(/!\[[^\]]*\]\([^)]*\)|\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)|<img[^>]*>/g, '');
  const claim = TEMPLATE_CLAIM.exec(opening);
  return claim === null ? undefined : `${readme.path} introduces it as a ${claim[0].toLowerCase()}`;
}

/**
 * Whether the deployed services all run on a platform that operates them (Vercel, Netlify, Cloudflare: no
 * self-hosted service per `isSelfHosted`, no production compose stack, a serverless platform's config): redeploys,
 * instant rollbacks and restarts are the platform's buttons, not a procedure the team writes.
 *
 * @example isPlatformHosted(project) // true for a Next.js app with only vercel.json
 */
export function isPlatformHosted(project: Project): boolean {
  const services = deployedServices(project);
  if (services.length === 0 || services.some((service) => isSelfHosted(project, service.pkg))) return false;
  const targets = deploymentTargets(project);
  return targets.some((target) => target.kind === 'serverless-platform') && !targets.some((target) => target.kind === 'production-compose' || target.kind === 'kubernetes' || target.kind === 'process-platform');
}

/**
 * True when a database runs in a compose stack that is deployed (not a development or test stack): its data
 * lives on a host the team operates, so backing it up is the team's job, not a managed provider's.
 *
 * @example runsOwnDatabase(project) // true for umami's docker-compose.yml with postgres and a volume
 */
export function runsOwnDatabase(project: Project): boolean {
  return project.composeFiles().some((file) => {
    const environment = composeFileEnvironment(project, file);
    return environment !== 'development' && environment !== 'test' && composeServices(file).some((service) => databaseEngine(service) !== undefined);
  });
}

/**
 * How much an operations document (runbook, rollback plan, backup procedure) matters for this repository, with
 * the reason: `low` for a boilerplate or template (the adopter's deployment decides), for a prototype nothing
 * deploys yet, and for an app a platform runs (rollbacks and restarts are platform features; with `data`, only
 * when no deployed compose stack keeps its own database); undefined (the rule's severity) for a self-hosted app.
 *
 * @example operationsDocContext(project, 'deploy') // { severity: 'low', reason: 'README.md:1 calls it a boilerplate …' }
 */
export function operationsDocContext(project: Project, topic: 'deploy' | 'data'): { severity: 'low'; reason: string } | undefined {
  const template = templateEvidence(project);
  if (template !== undefined) return { severity: 'low', reason: `the repository is a starting point for other projects (${template}): the procedure depends on where the adopter deploys it` };
  const targets = deploymentTargets(project);
  if (targets.length === 0) return { severity: 'low', reason: 'nothing in the repository deploys it yet (no platform config, production compose file, Kubernetes chart, published image or deploy job)' };
  if (isPlatformHosted(project) && (topic === 'deploy' || !runsOwnDatabase(project))) {
    const platform = targets.find((target) => target.kind === 'serverless-platform')?.file ?? 'a platform';
    return { severity: 'low', reason: `the app is run by the platform (${platform}), whose ${topic === 'deploy' ? 'redeploy and instant rollback are' : 'managed database keeps the backups; restoring is'} a platform action` };
  }
  return undefined;
}

/** A procedure kept as code: where it is and what names it. */
export interface OperationsAutomation {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

const ROLLBACK_NAME = /roll[-_\s]?back|revert[-_\s]?(?:deploy|release)/i;
const DEPLOY_NAME = /deploy|release|publish|rollout/i;

/**
 * Runnable procedures for `topic`: a CI workflow whose file, `name:` or job says so (novu's `rollback.yml`, a
 * workflow_dispatch that takes the previous version), or a script, Makefile target or package.json script named
 * for it. A rollback someone can run is a rollback plan, even when no Markdown describes it.
 *
 * @example operationsAutomation(project, 'rollback')[0]?.file // '.github/workflows/rollback.yml'
 */
export function operationsAutomation(project: Project, topic: 'deploy' | 'rollback'): OperationsAutomation[] {
  const name = topic === 'rollback' ? ROLLBACK_NAME : DEPLOY_NAME;
  const found: OperationsAutomation[] = [];
  for (const file of ciFiles(project)) {
    const workflowName = scalarString(mapGet(project.workflows().find((workflow) => workflow.path === file.path)?.document.contents, 'name')) ?? '';
    const job = file.steps.find((step) => name.test(step.job))?.job;
    if (name.test(file.path.split('/').pop() ?? '') || name.test(workflowName) || job !== undefined) {
      found.push({ file: file.path, line: file.steps[0]?.line ?? 1, what: job !== undefined ? `CI job "${job}" of ${file.path}` : `workflow ${file.path}${workflowName === '' ? '' : ` ("${workflowName}")`}` });
    }
  }
  for (const unit of shellUnits(project)) {
    if (project.fileRole(unit.file) === 'test' || !name.test(unit.name)) continue;
    found.push({ file: unit.file, line: unit.line, what: unit.kind === 'script' ? `script ${unit.file}` : unit.kind === 'make' ? `Makefile target "${unit.name}"` : `npm script "${unit.name}"` });
  }
  return found;
}

const ROLLBACK_TEXT = /\broll(?:ing|ed)?[\s-]?backs?\b|\brollbacks?\b|\brevert(?:ing)?\s+(?:a\s+|the\s+)?(?:deploy(?:ment)?|release)s?\b|\b(?:previous|last\s+(?:good|known[-\s]good))\s+(?:release|version|image|tag|deploy(?:ment)?)\b|\bredeploy\s+(?:the\s+)?(?:previous|last)\b/i;

/**
 * Where the repository says how to put the previous version back: a team document that mentions rolling back
 * ("roll back", "revert the deploy", "previous release/image/tag"), else a rollback workflow or script.
 *
 * @example rollbackPlan(project)?.file // 'RUNBOOK.md' or '.github/workflows/rollback.yml'
 */
export function rollbackPlan(project: Project): { readonly file: string; readonly what: string } | undefined {
  const doc = documentCovering(project, [ROLLBACK_TEXT]);
  if (doc !== undefined) return { file: doc.path, what: `${doc.path} mentions rolling back` };
  const automation = operationsAutomation(project, 'rollback')[0];
  return automation === undefined ? undefined : { file: automation.file, what: automation.what };
}

/**
 * Why a Dockerfile is not what the repository ships, or undefined: CI publishes images from other Dockerfiles
 * (`docker/build-push-action`, `docker build -t` in a workflow), nothing outside compose builds this one and no
 * process platform deploys its folder, and every compose service that builds it is deprecated (`serviceDeprecation`).
 * hoppscotch publishes every image from prod.Dockerfile; its per-package Dockerfiles serve only the `deprecated`
 * compose profile.
 *
 * @example unshippedDockerfile(project, 'packages/api/Dockerfile') // 'CI publishes its images from prod.Dockerfile (…), not from …'
 */
export function unshippedDockerfile(project: Project, path: string): string | undefined {
  const ciPaths = new Set(ciFiles(project).map((file) => file.path));
  const images = builtImages(project);
  const published = images.filter((image) => ciPaths.has(image.file) && image.dockerfile !== undefined);
  if (published.length === 0 || published.some((image) => image.dockerfile === path)) return undefined;
  const composePaths = new Set(project.composeFiles().map((file) => file.path));
  if (images.some((image) => image.dockerfile === path && !composePaths.has(image.file))) return undefined;
  const platform = deploymentTargets(project).some((target) => target.kind === 'process-platform' && (dirOf(target.file) === dirOf(path) || (project.text(target.file) ?? '').includes(path)));
  if (platform) return undefined;
  const builders = project.composeFiles().flatMap((file) => composeServices(file).filter((service) => serviceDockerfile(service) === path));
  const deprecated = builders.map((service) => ({ service, why: serviceDeprecation(service) }));
  if (deprecated.length === 0 || deprecated.some((entry) => entry.why === undefined)) return undefined;
  const sources = [...new Set(published.map((image) => image.dockerfile))].join(', ');
  const first = published[0];
  return `CI publishes its images from ${sources}${first === undefined ? '' : ` (${first.file}:${first.line})`}, not from ${path}, and the only compose services that build it are deprecated (${deprecated
    .map((entry) => `"${entry.service.name}" in ${entry.service.file.path}: ${entry.why ?? ''}`)
    .join('; ')})`;
}
