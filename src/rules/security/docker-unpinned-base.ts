// Protects against builds that change under you: `FROM node` or `node:latest` pulls a different major on the next build. Docs: docs/rules/security/docker-unpinned-base.md
import type { Dockerfile, From } from 'dockerfile-ast';
import { noOptions } from '../../core/rule.js';
import { unshippedDockerfile } from '../../project/deployment.js';
import { dockerStages, instructionLocation, productionDockerfiles } from '../../project/dockerfile.js';
import type { Project } from '../../project/project.js';
import { shellUnits } from '../../project/scripts.js';
import { defineScanRule } from '../support.js';

/** Names of the ARGs a FROM line uses (`FROM ${BASE_IMAGE} AS base` → BASE_IMAGE). */
function argsUsed(from: From): string[] {
  return [...(from.getImage() ?? '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? '');
}

/**
 * True when the repository's CI, compose files or scripts pass `name` as a build argument
 * (`--build-arg NAME=`, a `build-args:` block, compose `build.args`): the release build chooses the image, not the default.
 */
function passedAsBuildArg(project: Project, name: string): boolean {
  const texts = [
    ...project.files.filter((file) => /^\.github\/workflows\/|(?:^|\/)\.gitlab-ci\.ya?ml$|(?:^|\/)\.circleci\/|(?:^|\/)(?:bitbucket|azure)-pipelines\.ya?ml$/.test(file.path)).map((file) => project.text(file.path) ?? ''),
    ...project.composeFiles().map((file) => project.text(file.path) ?? ''),
    ...shellUnits(project).map((unit) => unit.text),
  ];
  const buildArg = new RegExp(`--build-arg[\\s=]+["']?${name}=`);
  const block = new RegExp(`(?:build-args|build_args|args)\\s*:[^\\n]*(?:\\n[ \\t]+[^\\n]*)*?[\\s"'-]${name}\\s*[=:]`);
  return texts.some((text) => text.includes(name) && (buildArg.test(text) || block.test(text)));
}

/** `ARG NAME=default` declared before the first FROM: the only ARGs a FROM line can use. */
function globalArgs(dockerfile: Dockerfile): Map<string, string> {
  const args = new Map<string, string>();
  const firstFrom = dockerfile.getFROMs()[0]?.getRange().start.line ?? Number.POSITIVE_INFINITY;
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getRange().start.line >= firstFrom) break;
    if (instruction.getKeyword() !== 'ARG') continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec((instruction.getArgumentsContent() ?? '').trim());
    if (match?.[1] !== undefined && match[2] !== undefined) args.set(match[1], match[2].replace(/^["']|["']$/g, ''));
  }
  return args;
}

/** The image reference with global ARG defaults substituted; undefined when a variable has no default. */
function resolveImage(from: From, args: ReadonlyMap<string, string>): string | undefined {
  const raw = from.getImage();
  if (raw === null) return undefined;
  let unresolved = false;
  const resolved = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_match, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = args.get(name) ?? fallback;
    if (value === undefined) unresolved = true;
    return value ?? '';
  });
  return unresolved ? undefined : resolved;
}

/** Tag of an image reference (`registry:5000/name:tag@digest`), and whether it is digest-pinned. */
function tagOf(image: string): { tag: string | undefined; digest: boolean } {
  const digest = image.includes('@');
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return { tag: colon < 0 ? undefined : withoutDigest.slice(colon + 1), digest };
}

/** Tags that name only a flavour or a channel, never a version: `node:alpine`, `node:lts-slim`, `node:current` follow the newest release. */
const FLOATING_TAG = /^(?:latest|alpine|slim|bookworm|bullseye|buster|jammy|noble|focal|lts|current|stable|edge|mainline|lts-(?:alpine|slim|bookworm|bullseye)|current-(?:alpine|slim|bookworm|bullseye)|(?:bookworm|bullseye|buster)-slim)$/i;

/** For an OS image a codename is its version (`debian:bookworm` is Debian 12); for a runtime image (`node:bookworm`) it floats. */
const OS_IMAGE = /^(?:docker\.io\/)?(?:library\/)?(?:debian|ubuntu|buildpack-deps)(?::|@|$)/i;
const CODENAME = /^(?:bookworm|bullseye|buster|jammy|noble|focal)(?:-slim)?$/i;

type Messages = { unpinned: { image: string; latest: boolean; tag?: string } };

export default defineScanRule({
  id: 'security/docker-unpinned-base',
  title: 'Base images are pinned to a version',
  description: 'Every `FROM` names a version tag (or a digest), so rebuilding the same commit gives the same runtime instead of whatever `latest` points to that day.',
  category: 'security',
  severity: 'medium',
  docs: 'docs/rules/security/docker-unpinned-base.md',
  fix: 'Pin a version that matches your other environments, e.g. `FROM node:20.19-bookworm-slim` (optionally `@sha256:…` and let Dependabot/Renovate bump it).',
  options: noOptions,
  messages: {
    unpinned: ({ image, latest, tag }: Messages['unpinned']) =>
      latest ? `FROM ${image} follows the moving "latest" tag` : tag !== undefined ? `FROM ${image} follows the moving "${tag}" tag, which names no version` : `FROM ${image} has no tag, so Docker pulls "latest"`,
  },
  applies: (project: Project) => productionDockerfiles(project).length > 0,
  check(ctx) {
    for (const { path, dockerfile } of productionDockerfiles(ctx.project)) {
      const args = globalArgs(dockerfile);
      const stages = dockerStages(dockerfile);
      const stageNames = new Set(stages.map((stage) => stage.from.getBuildStage()?.toLowerCase()).filter((name): name is string => name !== undefined));
      // A deprecated Dockerfile that CI does not publish: a moving base only changes the installs that still build it by hand.
      const unshipped = unshippedDockerfile(ctx.project, path);
      for (const stage of stages) {
        const image = resolveImage(stage.from, args);
        if (image === undefined || image === '') continue;
        if (image.toLowerCase() === 'scratch' || stageNames.has(image.toLowerCase())) continue;
        const { tag, digest } = tagOf(image);
        if (digest) continue;
        if (tag !== undefined && tag !== 'latest' && !(FLOATING_TAG.test(tag) && !(OS_IMAGE.test(image) && CODENAME.test(tag)))) continue;
        // `FROM ${BASE_IMAGE}` whose default is untagged but whose release build passes BASE_IMAGE (outline/outline pins it by digest in CI).
        if (image !== stage.from.getImage() && argsUsed(stage.from).some((name) => passedAsBuildArg(ctx.project, name))) continue;
        ctx.report({
          messageId: 'unpinned',
          data: { image, latest: tag === 'latest', ...(tag !== undefined && tag !== 'latest' ? { tag } : {}) },
          location: instructionLocation(path, stage.from),
          detail: `\`FROM ${stage.from.getArgumentsContent() ?? ''}\`${image === stage.from.getImage() ? '' : ` resolves to ${image} with the ARG defaults`}: ${
            tag === undefined ? 'no tag and no @sha256 digest' : tag === 'latest' ? 'the tag is "latest" and there is no @sha256 digest' : `the tag "${tag}" names a flavour or channel, not a version, and there is no @sha256 digest`
          }. Checked every FROM of ${path} (earlier stages and scratch excluded).${unshipped === undefined ? '' : ` Low: ${unshipped}.`}`,
          ...(unshipped === undefined ? {} : { severity: 'low' as const }),
        });
      }
    }
  },
});
