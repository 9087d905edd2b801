import { ciFiles, stepLine } from './ci.js';
import { composeEnvironment, composeServices } from './compose.js';
import { mapGet, scalarString, sequenceItems } from './documents.js';
import { dockerCommand, dockerStages, productionDockerfiles } from './dockerfile.js';
import type { Project } from './project.js';
import { shellUnits, unitLine } from './scripts.js';

/** Shell that runs when the app starts or is deployed in production, with where it lives. */
export interface ProductionCommand {
  readonly file: string;
  /** Line of the command's first character. */
  readonly line: number;
  readonly text: string;
  /** `npm script "start"`, `Dockerfile CMD`, `compose service "app" command`, `CI job "deploy"`… */
  readonly where: string;
}

/** npm scripts that run on start, deploy or release (hosting platforms run `build` in production too). */
const PRODUCTION_SCRIPT = /^(?:pre|post)?(?:start|deploy|release|build|install|serve|prod|production)(?::[\w:-]+)?$|(?:^|:)(?:prod|production|deploy|release)$/;
const NOT_PRODUCTION_SCRIPT = /(?:^|[._-])(?:ci|test|tests|testing|e2e|dev|development|local)(?:[._-]|$)/i;
const DEPLOY_CONTEXT = /deploy|release|production|\bprod\b|rollout|\bship\b|entrypoint|\bstart/i;

/** The folder a file sits in (`deploy` for `deploy/release.sh`): its name says what the script is for. */
function parentFolder(file: string): string {
  const parts = file.split('/');
  return parts.length > 1 ? (parts[parts.length - 2] ?? '') : '';
}

const cache = new WeakMap<Project, readonly ProductionCommand[]>();

/**
 * Commands that run in production: start/deploy/build npm scripts, Dockerfile CMD/ENTRYPOINT/RUN of
 * production Dockerfiles, compose `command`/`entrypoint` outside test stacks, Procfile lines, deploy
 * scripts and deploy-named CI jobs.
 *
 * @example productionCommands(project).filter((command) => /prisma db push/.test(command.text))
 */
export function productionCommands(project: Project): readonly ProductionCommand[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const commands: ProductionCommand[] = [];
  for (const unit of shellUnits(project)) {
    if (unit.kind === 'npm' && PRODUCTION_SCRIPT.test(unit.name)) commands.push({ file: unit.file, line: unit.line, text: unit.text, where: `npm script "${unit.name}"` });
    // `startup.ci.sh`, `start-dev.sh`, `deploy.test.sh`: scripts named for CI, tests or development start nothing in production.
    if (unit.kind === 'script' && NOT_PRODUCTION_SCRIPT.test(unit.name)) continue;
    if (unit.kind !== 'npm' && (DEPLOY_CONTEXT.test(unit.name) || (unit.kind === 'script' && DEPLOY_CONTEXT.test(parentFolder(unit.file))))) {
      // The offset runs along with the lines: re-joining the lines before each one made a long script quadratic.
      let offset = 0;
      for (const lineText of unit.text.split('\n')) {
        const start = offset;
        offset += lineText.length + 1;
        if (lineText.trim() === '' || lineText.trim().startsWith('#')) continue;
        commands.push({ file: unit.file, line: unitLine(unit, start), text: lineText, where: unit.kind === 'make' ? `Makefile target "${unit.name}"` : `script ${unit.file}` });
      }
    }
  }
  for (const { path, dockerfile } of productionDockerfiles(project)) {
    const stages = dockerStages(dockerfile);
    const final = stages[stages.length - 1];
    for (const instruction of final?.instructions ?? []) {
      const keyword = instruction.getKeyword();
      if (!['CMD', 'ENTRYPOINT', 'RUN'].includes(keyword)) continue;
      const command = dockerCommand(instruction);
      commands.push({ file: path, line: instruction.getRange().start.line + 1, text: command.form === 'exec' ? command.argv.join(' ') : command.text, where: `Dockerfile ${keyword}` });
    }
  }
  for (const file of project.composeFiles()) {
    if (composeEnvironment(file) === 'test') continue;
    for (const service of composeServices(file)) {
      for (const key of ['command', 'entrypoint']) {
        const node = mapGet(service.node, key);
        const text = scalarString(node) ?? sequenceItems(node).map((item) => scalarString(item) ?? '').join(' ');
        if (text !== '') commands.push({ file: file.path, line: file.lineOf(node) ?? service.line ?? 1, text, where: `compose service "${service.name}" ${key}` });
      }
    }
  }
  for (const entry of project.filesWhere((candidate) => /(?:^|\/)Procfile$/.test(candidate))) {
    (project.text(entry.path) ?? '').split('\n').forEach((text, index) => {
      if (/^\s*\w+\s*:/.test(text)) commands.push({ file: entry.path, line: index + 1, text, where: 'Procfile' });
    });
  }
  for (const file of ciFiles(project)) {
    const isDeployFile = DEPLOY_CONTEXT.test(file.path.split('/').pop() ?? '');
    for (const step of file.steps) {
      if (!isDeployFile && !DEPLOY_CONTEXT.test(step.job) && !DEPLOY_CONTEXT.test(step.name ?? '')) continue;
      const text = step.run === '' ? step.inputs : step.run;
      let offset = 0;
      for (const lineText of text.split('\n')) {
        const start = offset;
        offset += lineText.length + 1;
        if (lineText.trim() !== '') commands.push({ file: file.path, line: step.run === '' ? step.line : stepLine(step, start), text: lineText, where: `CI job "${step.job}"` });
      }
    }
  }
  cache.set(project, commands);
  return commands;
}
