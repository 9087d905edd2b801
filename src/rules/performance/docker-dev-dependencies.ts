// Protects against bloated runtime images: dev dependencies and the whole build context shipped to production (slower pulls, bigger attack surface). Docs: docs/rules/performance/docker-dev-dependencies.md
import { Copy, type Instruction } from 'dockerfile-ast';
import { noOptions } from '../../core/rule.js';
import { dirOf } from '../../project/compose.js';
import { dockerStages, instructionLocation, productionDockerfiles, stageChain } from '../../project/dockerfile.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const FULL_INSTALL = /\b(?:npm\s+(?:ci|install|i)\b(?![^\n&;|]*\s(?:--omit[= ]dev|--production|--only[= ]prod(?:uction)?|-g\b|--global|\w+@))|yarn(?:\s+install)?(?![^\n&;|]*--prod)(?:\s+--?[\w-]+(?:[= ][\w.-]+)?)*\s*(?=$|&&|;|\|)|pnpm\s+(?:install|i)\b(?![^\n&;|]*\s(?:--prod|-P\b)))/m;
const PRUNE = /\bnpm\s+prune\b[^\n]*(?:--omit[= ]dev|--production)|\bpnpm\s+prune\b[^\n]*--prod|yarn\s+workspaces\s+focus\b[^\n]*--production|\bpnpm\s+deploy\b[^\n]*--prod|\brm\s+-rf\s+node_modules\b/;
const NODE_ENV_PRODUCTION = /\bNODE_ENV[= ]+["']?production\b/;

type Messages = { devDependencies: { file: string }; wholeContext: { file: string } };

export default defineScanRule({
  id: 'performance/docker-dev-dependencies',
  title: 'The runtime image ships production dependencies only',
  description:
    'The final stage of a Dockerfile installs production dependencies only (`npm ci --omit=dev`) and copies build output from a build stage, instead of installing devDependencies or copying the whole build context into the image that runs.',
  category: 'performance',
  severity: 'low',
  docs: 'docs/rules/performance/docker-dev-dependencies.md',
  fix: 'Use a build stage for `npm ci` + build, and a runtime stage with `npm ci --omit=dev` that copies only the build output: `COPY --from=build /app/dist ./dist`.',
  options: noOptions,
  messages: {
    devDependencies: ({ file }: Messages['devDependencies']) => `${file}: the runtime stage installs devDependencies, which ship in the production image`,
    wholeContext: ({ file }: Messages['wholeContext']) => `${file}: a single-stage image copies the whole build context (sources, tests, tooling) into the image that runs`,
  },
  applies: (project: Project) => productionDockerfiles(project).length > 0,
  check(ctx) {
    const project = ctx.project;
    const hasDevDependencies = project.packages().some((pkg) => Object.keys(pkg.manifest.devDependencies).length > 0);
    for (const { path, dockerfile } of productionDockerfiles(project)) {
      const stages = dockerStages(dockerfile);
      const final = stages[stages.length - 1];
      if (final === undefined) continue;
      const chain = stageChain(stages, final).reverse();
      const instructions: Instruction[] = chain.flatMap((stage) => [...stage.instructions]);
      const text = (instruction: Instruction): string => instruction.getArgumentsContent() ?? '';
      const productionEnv = instructions.some((instruction) => ['ENV', 'ARG'].includes(instruction.getKeyword()) && NODE_ENV_PRODUCTION.test(text(instruction).replace(/\s+/, '=')));
      const pruned = instructions.some((instruction) => instruction.getKeyword() === 'RUN' && PRUNE.test(text(instruction)));
      const install = instructions.find((instruction) => instruction.getKeyword() === 'RUN' && FULL_INSTALL.test(text(instruction)) && !NODE_ENV_PRODUCTION.test(text(instruction)));
      // `COPY --from=build /app/node_modules ./node_modules` ships whatever the build stage installed, devDependencies included.
      const fromFlag = (instruction: Instruction): string | undefined => (instruction instanceof Copy ? (instruction.getFromFlag()?.getValue() ?? undefined) : undefined);
      const copiedModules = final.instructions.find((instruction) => instruction.getKeyword() === 'COPY' && fromFlag(instruction) !== undefined && /(?:^|\s)\S*node_modules\/?(?:\s)/.test(text(instruction)));
      const fromStage = copiedModules === undefined ? undefined : fromFlag(copiedModules)?.toLowerCase();
      const source = fromStage === undefined ? undefined : stages.find((stage) => stage.from.getBuildStage()?.toLowerCase() === fromStage);
      const sourceInstructions = source === undefined ? [] : stageChain(stages, source).flatMap((stage) => [...stage.instructions]);
      const sourceInstalls = sourceInstructions.some((instruction) => instruction.getKeyword() === 'RUN' && FULL_INSTALL.test(text(instruction)) && !NODE_ENV_PRODUCTION.test(text(instruction)));
      const sourcePruned = sourceInstructions.some((instruction) => (instruction.getKeyword() === 'RUN' && PRUNE.test(text(instruction))) || (['ENV', 'ARG'].includes(instruction.getKeyword()) && NODE_ENV_PRODUCTION.test(text(instruction).replace(/\s+/, '='))));
      if (hasDevDependencies && copiedModules !== undefined && source !== undefined && sourceInstalls && !sourcePruned && !pruned) {
        ctx.report({
          messageId: 'devDependencies',
          data: { file: path },
          location: instructionLocation(path, copiedModules),
          detail: `${path}:${copiedModules.getRange().start.line + 1} copies node_modules from stage "${fromStage ?? ''}", which installs every dependency (no --omit=dev/--prod, no NODE_ENV=production, no prune): devDependencies ship in the runtime image.`,
        });
        continue;
      }
      if (hasDevDependencies && install !== undefined && !productionEnv && !pruned) {
        ctx.report({
          messageId: 'devDependencies',
          data: { file: path },
          location: instructionLocation(path, install),
          detail: `RUN at ${path}:${install.getRange().start.line + 1} ("${text(install).slice(0, 120)}") runs in the final stage (or a stage it builds on) without --omit=dev/--production, NODE_ENV=production is not set before it, and no later npm prune --omit=dev / pnpm prune --prod removes devDependencies; the repository declares devDependencies.`,
        });
        continue;
      }
      if (stages.length > 1 || project.has(`${dirOf(path) === '' ? '' : `${dirOf(path)}/`}.dockerignore`)) continue;
      const copyAll = final.instructions.find((instruction) => ['COPY', 'ADD'].includes(instruction.getKeyword()) && /^(?:--\S+\s+)*\.\/?\s+\S+$/.test(text(instruction).trim()));
      if (copyAll === undefined) continue;
      ctx.report({
        messageId: 'wholeContext',
        data: { file: path },
        location: instructionLocation(path, copyAll),
        detail: `${path} has a single stage, \`${copyAll.getKeyword()} ${text(copyAll)}\` at line ${copyAll.getRange().start.line + 1} copies the whole build context into it, and there is no .dockerignore beside it to keep sources, tests, .git and local node_modules out.`,
      });
    }
  },
});
