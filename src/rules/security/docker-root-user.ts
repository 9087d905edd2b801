// Protects against containers whose process runs as root, so any RCE owns the container. Docs: docs/rules/security/docker-root-user.md
import type { Dockerfile, From, Instruction } from 'dockerfile-ast';
import { noOptions } from '../../core/rule.js';
import { defineScanRule } from '../support.js';
import { productionDockerfiles } from '../../project/dockerfile.js';
import type { Project } from '../../project/project.js';

/** Base images whose default user is not root. */
const NON_ROOT_BASES = [/distroless\/.*:(?:debug-)?nonroot/, /^cgr\.dev\/chainguard\//, /^(?:docker\.io\/)?bitnami\//, /nginx-unprivileged/, /:.*-?rootless/];

/** Entry points that drop privileges at start-up (`gosu node …`). */
const PRIVILEGE_DROP = /\b(?:gosu|su-exec|setpriv|runuser|chpst|s6-setuidgid)\b/;

function isRootUser(value: string): boolean {
  const user = value.trim().split(':')[0] ?? '';
  return user === 'root' || user === '0';
}

interface Stage {
  readonly from: From;
  readonly instructions: readonly Instruction[];
}

function stagesOf(dockerfile: Dockerfile): Stage[] {
  const froms = dockerfile.getFROMs();
  const instructions = dockerfile.getInstructions();
  return froms.map((from, index) => {
    const start = from.getRange().start.line;
    const end = froms[index + 1]?.getRange().start.line ?? Number.POSITIVE_INFINITY;
    return { from, instructions: instructions.filter((instruction) => instruction.getRange().start.line > start && instruction.getRange().start.line < end) };
  });
}

/** 'root' | 'non-root' for the user a stage ends with, following `FROM <earlier stage>`. */
function effectiveUser(stages: readonly Stage[], index: number, seen: Set<number> = new Set()): { user: 'root' | 'non-root'; at?: Instruction } {
  const stage = stages[index];
  if (stage === undefined || seen.has(index)) return { user: 'root' };
  seen.add(index);
  const users = stage.instructions.filter((instruction) => instruction.getKeyword() === 'USER');
  const last = users[users.length - 1];
  if (last !== undefined) return { user: isRootUser(last.getArgumentsContent() ?? '') ? 'root' : 'non-root', at: last };
  const base = stage.from.getImageName() ?? '';
  const parent = stages.findIndex((candidate, candidateIndex) => candidateIndex < index && candidate.from.getBuildStage()?.toLowerCase() === base.toLowerCase());
  if (parent >= 0) return effectiveUser(stages, parent, seen);
  const image = stage.from.getImage() ?? '';
  return { user: NON_ROOT_BASES.some((pattern) => pattern.test(image)) ? 'non-root' : 'root' };
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
  applies: (project: Project) => project.dockerfiles().length > 0,
  check(ctx) {
    // Dev containers and local/CI/e2e Dockerfiles (shared list with the other Dockerfile rules): their user does not reach production.
    for (const { path, dockerfile } of productionDockerfiles(ctx.project)) {
      const stages = stagesOf(dockerfile);
      const finalIndex = stages.length - 1;
      const finalStage = stages[finalIndex];
      if (finalStage === undefined) continue;
      const { user, at } = effectiveUser(stages, finalIndex);
      if (user === 'non-root') continue;
      const entry = finalStage.instructions.filter((instruction) => ['ENTRYPOINT', 'CMD'].includes(instruction.getKeyword()));
      if (entry.some((instruction) => PRIVILEGE_DROP.test(instruction.getArgumentsContent() ?? ''))) continue;
      const anchor = at ?? finalStage.from;
      const range = anchor.getRange();
      ctx.report({
        messageId: 'rootUser',
        data: { file: path, explicit: at !== undefined },
        location: { path, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
        detail: `Final stage \`FROM ${finalStage.from.getArgumentsContent() ?? ''}\` (line ${finalStage.from.getRange().start.line + 1}): ${
          at === undefined ? 'no USER instruction in it or in the stages it builds on, and the base image defaults to root' : `last USER is "${at.getArgumentsContent() ?? ''}"`
        }; no gosu/su-exec privilege drop in ENTRYPOINT/CMD.`,
      });
    }
  },
});
