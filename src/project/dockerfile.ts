import type { Dockerfile, From, Instruction } from 'dockerfile-ast';
import type { DockerfileInfo } from './documents.js';

/** One `FROM … [AS name]` block of a Dockerfile with the instructions that follow it. */
export interface DockerStage {
  readonly index: number;
  readonly from: From;
  readonly instructions: readonly Instruction[];
}

/**
 * The stages of a Dockerfile in order; the last one is what the image runs.
 *
 * @example const final = dockerStages(info.dockerfile).at(-1);
 */
export function dockerStages(dockerfile: Dockerfile): DockerStage[] {
  const froms = dockerfile.getFROMs();
  const instructions = dockerfile.getInstructions();
  return froms.map((from, index) => {
    const start = from.getRange().start.line;
    const end = froms[index + 1]?.getRange().start.line ?? Number.POSITIVE_INFINITY;
    return { index, from, instructions: instructions.filter((instruction) => instruction.getRange().start.line > start && instruction.getRange().start.line < end) };
  });
}

/** The stage `stage` builds on (`FROM <earlier stage name>`), if any. */
export function parentStage(stages: readonly DockerStage[], stage: DockerStage): DockerStage | undefined {
  const base = (stage.from.getImageName() ?? '').toLowerCase();
  for (let index = stage.index - 1; index >= 0; index -= 1) {
    const candidate = stages[index];
    if (candidate?.from.getBuildStage()?.toLowerCase() === base) return candidate;
  }
  return undefined;
}

/** The stage and its ancestors (via `FROM <stage>`), nearest first. */
export function stageChain(stages: readonly DockerStage[], stage: DockerStage): DockerStage[] {
  const chain: DockerStage[] = [];
  let current: DockerStage | undefined = stage;
  while (current !== undefined && !chain.includes(current)) {
    chain.push(current);
    current = parentStage(stages, current);
  }
  return chain;
}

/** The last instruction with `keyword` in the stage or, when absent, in the stages it builds on. */
export function effectiveInstruction(stages: readonly DockerStage[], stage: DockerStage, keyword: string): Instruction | undefined {
  for (const link of stageChain(stages, stage)) {
    const found = link.instructions.filter((instruction) => instruction.getKeyword() === keyword);
    const last = found[found.length - 1];
    if (last !== undefined) return last;
  }
  return undefined;
}

/** 1-based span of an instruction, for `ctx.report`. */
export function instructionLocation(path: string, instruction: Instruction): { path: string; line: number; column: number; endLine: number; endColumn: number } {
  const range = instruction.getRange();
  return { path, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The command of CMD/ENTRYPOINT: `exec` form (JSON array) or `shell` form (run through /bin/sh -c). */
export type DockerCommand = { readonly form: 'exec'; readonly argv: readonly string[] } | { readonly form: 'shell'; readonly text: string };

export function dockerCommand(instruction: Instruction): DockerCommand {
  const raw = (instruction.getArgumentsContent() ?? '').trim();
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isStringArray(parsed)) return { form: 'exec', argv: parsed };
    } catch {
      // Docker itself falls back to shell form when the JSON is invalid.
    }
  }
  return { form: 'shell', text: raw };
}

/** Dockerfiles for local development, CI or dev containers: what they do does not reach production. */
export const DEV_ONLY_DOCKERFILE = /(?:^|\/)\.devcontainer\/|(?:^|[./-])(?:dev|development|test|testing|ci|local|e2e)(?:\.Dockerfile)?$/i;

/** Production-relevant Dockerfiles (dev containers and `Dockerfile.dev`-style files left out). */
export function productionDockerfiles(dockerfiles: readonly DockerfileInfo[]): DockerfileInfo[] {
  return dockerfiles.filter((info) => !DEV_ONLY_DOCKERFILE.test(info.path) && !/(?:^|\/)(?:test|tests|fixtures|__fixtures__|testdata|examples?)\//i.test(info.path));
}

/**
 * True when a Dockerfile only installs a third-party tool: no COPY/ADD at all (not even `--from` another stage) and a RUN
 * that installs a package (`RUN npm i -g maildev`). Its runtime, command and healthcheck say nothing about the application's.
 *
 * @example packagesToolOnly(project.dockerfiles()[0]) // true for `FROM node:18\nRUN npm i -g maildev\nCMD maildev`
 */
export function packagesToolOnly(info: DockerfileInfo): boolean {
  const instructions = info.dockerfile.getInstructions();
  if (instructions.some((instruction) => instruction.getKeyword() === 'COPY' || instruction.getKeyword() === 'ADD')) return false;
  return instructions.some(
    (instruction) =>
      instruction.getKeyword() === 'RUN' &&
      /\b(?:npm\s+(?:i|install)\s+(?:-g|--global)|yarn\s+global\s+add|pnpm\s+(?:add|install)\s+(?:-g|--global)|apk\s+add|apt-get\s+install|pip3?\s+install|go\s+install|gem\s+install)\b/.test(instruction.getArgumentsContent() ?? ''),
  );
}
