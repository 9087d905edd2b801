// Protects against containers whose process runs as root, so any RCE owns the container. Docs: docs/rules/security/docker-root-user.md
import type { Instruction } from 'dockerfile-ast';
import { noOptions } from '../../core/rule.js';
import { defineScanRule } from '../support.js';
import type { DockerfileInfo } from '../../project/documents.js';
import { dockerStages, packagesToolOnly, productionDockerfiles, type DockerStage } from '../../project/dockerfile.js';
import { imageRepository, ownImageDockerfile, ownImagesNamed, ownNamespaces } from '../../project/images.js';
import type { Project } from '../../project/project.js';
import { unshippedDockerfile } from '../../project/deployment.js';

/** Base images whose default user is not root. */
const NON_ROOT_BASES = [/distroless\/.*:(?:debug-)?nonroot/, /^cgr\.dev\/chainguard\//, /^(?:docker\.io\/)?bitnami\//, /nginx-unprivileged/, /:.*-?rootless/];

/** Entry points that drop privileges at start-up (`gosu node …`). */
const PRIVILEGE_DROP = /\b(?:gosu|su-exec|setpriv|runuser|chpst|s6-setuidgid)\b/;

function isRootUser(value: string): boolean {
  const user = value.trim().split(':')[0] ?? '';
  return user === 'root' || user === '0';
}

interface UserVerdict {
  readonly user: 'root' | 'non-root';
  readonly at?: Instruction;
  /** Why the base image's user decides: `inherits USER from docker/Dockerfile (the image acme/app is built from it)`. */
  readonly inherited?: string;
}

/**
 * The user the repository's own base image ends with: `FROM acme/app:${TAG}` where CI or compose builds acme/app
 * from one of the repository's Dockerfiles takes that Dockerfile's final USER. An image published under the
 * repository's own namespace whose Dockerfile cannot be told (a `docker manifest create` alias) is judged by the
 * repository's production Dockerfiles: when one of them ends non-root, that is how the team builds its images.
 */
function ownBaseUser(project: Project, image: string, current: string, seen: Set<string>): UserVerdict | undefined {
  const built = ownImagesNamed(project, image);
  const dockerfile = ownImageDockerfile(built);
  const info = dockerfile === undefined || dockerfile === current || seen.has(dockerfile) ? undefined : project.dockerfiles().find((candidate) => candidate.path === dockerfile);
  const evidence = built.find((candidate) => candidate.dockerfile === dockerfile);
  if (info !== undefined && evidence !== undefined) {
    const verdict = finalUser(project, info, seen);
    return { user: verdict.user, inherited: `${image} is built from ${info.path} (${evidence.file}:${evidence.line}), whose final stage runs as ${verdict.user}` };
  }
  const namespace = imageRepository(image).split('/').slice(-2, -1)[0];
  const isOwn = built.length > 0 || (namespace !== undefined && ownNamespaces(project).has(namespace));
  if (!isOwn) return undefined;
  const sibling = productionDockerfiles(project).find((candidate) => candidate.path !== current && !seen.has(candidate.path) && finalUser(project, candidate, new Set([...seen, current])).user === 'non-root');
  return sibling === undefined ? undefined : { user: 'non-root', inherited: `${image} is the repository's own image${built[0] === undefined ? ` (namespace "${namespace ?? ''}")` : ` (${built[0].file}:${built[0].line})`} and ${sibling.path} ends non-root` };
}

/** 'root' | 'non-root' for the user a stage ends with, following `FROM <earlier stage>` and the repository's own base images. */
function effectiveUser(project: Project, path: string, stages: readonly DockerStage[], index: number, seen: Set<string>, visited: Set<number> = new Set()): UserVerdict {
  const stage = stages[index];
  if (stage === undefined || visited.has(index)) return { user: 'root' };
  visited.add(index);
  const users = stage.instructions.filter((instruction) => instruction.getKeyword() === 'USER');
  const last = users[users.length - 1];
  if (last !== undefined) return { user: isRootUser(last.getArgumentsContent() ?? '') ? 'root' : 'non-root', at: last };
  const base = stage.from.getImageName() ?? '';
  const parent = stages.findIndex((candidate, candidateIndex) => candidateIndex < index && candidate.from.getBuildStage()?.toLowerCase() === base.toLowerCase());
  if (parent >= 0) return effectiveUser(project, path, stages, parent, seen, visited);
  const image = stage.from.getImage() ?? '';
  if (NON_ROOT_BASES.some((pattern) => pattern.test(image))) return { user: 'non-root' };
  return ownBaseUser(project, image, path, new Set([...seen, path])) ?? { user: 'root' };
}

function finalUser(project: Project, info: DockerfileInfo, seen: Set<string>): UserVerdict {
  const stages = dockerStages(info.dockerfile);
  return effectiveUser(project, info.path, stages, stages.length - 1, seen);
}

type Messages = { rootUser: { file: string; explicit: boolean } };

export default defineScanRule({
  id: 'security/docker-root-user',
  title: 'Container does not run as root',
  description: 'The final stage of a Dockerfile should switch to an unprivileged USER, so a compromised process cannot modify the image or escape more easily.',
  category: 'security',
  severity: 'medium',
  docs: 'docs/rules/security/docker-root-user.md',
  fix: 'Add `USER node` (official Node images ship that user) or create one (`RUN useradd --system app` then `USER app`) after installing packages in the final stage; chown only the paths the app writes.',
  options: noOptions,
  messages: {
    rootUser: ({ file, explicit }: Messages['rootUser']) =>
      explicit ? `${file}: the final stage switches to USER root and never back` : `${file}: the final stage never switches to a non-root USER, so the app runs as root`,
  },
  applies: (project: Project) => productionDockerfiles(project).length > 0,
  check(ctx) {
    // Dev containers and local/CI/e2e Dockerfiles (shared list with the other Dockerfile rules): their user does not reach production.
    for (const info of productionDockerfiles(ctx.project)) {
      // A tool image (maildev installed globally, nothing copied from the repository) does not run the app.
      if (packagesToolOnly(info)) continue;
      const { path, dockerfile } = info;
      const stages = dockerStages(dockerfile);
      const finalStage = stages[stages.length - 1];
      if (finalStage === undefined) continue;
      const { user, at, inherited } = finalUser(ctx.project, info, new Set());
      if (user === 'non-root') continue;
      const entry = finalStage.instructions.filter((instruction) => ['ENTRYPOINT', 'CMD'].includes(instruction.getKeyword()));
      if (entry.some((instruction) => PRIVILEGE_DROP.test(instruction.getArgumentsContent() ?? ''))) continue;
      const anchor = at ?? finalStage.from;
      const range = anchor.getRange();
      // A deprecated Dockerfile that CI does not publish reaches only the installs that still build it by hand.
      const unshipped = unshippedDockerfile(ctx.project, path);
      ctx.report({
        messageId: 'rootUser',
        data: { file: path, explicit: at !== undefined },
        location: { path, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
        detail: `Final stage \`FROM ${finalStage.from.getArgumentsContent() ?? ''}\` (line ${finalStage.from.getRange().start.line + 1}): ${
          at !== undefined ? `last USER is "${at.getArgumentsContent() ?? ''}"` : inherited !== undefined ? `no USER instruction, and ${inherited}` : 'no USER instruction in it or in the stages it builds on, and the base image defaults to root (it is not an image this repository builds with a non-root USER)'
        }; no gosu/su-exec privilege drop in ENTRYPOINT/CMD.${unshipped === undefined ? '' : ` Low: ${unshipped}.`}`,
        ...(unshipped === undefined ? {} : { severity: 'low' as const }),
      });
    }
  },
});
