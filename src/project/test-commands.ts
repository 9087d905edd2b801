import type { Project } from './project.js';
import { referencedFiles, shellUnits } from './scripts.js';

/** Shell that runs a test suite directly. */
export const TEST_RUNNER =
  /\b(?:npm|pnpm|yarn|bun)\s+(?:(?:-\S+|--\S+)\s+)*(?:run\s+)?(?:test|t)(?::[\w:-]+)?\b|\b(?:npm|pnpm|yarn|bun)\b(?![^\n;&|]*\s(?:install|add|i|ci|remove)\s)[^\n;&|]*\s(?:run\s+)?test(?::[\w:-]+)?(?=$|[\s;&|)"'])|\bbun\s+test\b|\b(?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+)?(?:vitest|jest|mocha|ava|tap|uvu|karma|jasmine)\b(?!\.config)|\bplaywright\s+test\b|\bcypress\s+run\b|\bnode\s+--test\b|\b(?:turbo|nx|lerna)\b[^\n]*\btest\b|\bmake\s+(?:test|check)\b|\bgo\s+test\b|\bpytest\b|\bcargo\s+test\b|\bmvn\b[^\n]*\b(?:test|verify)\b|\bgradlew?\b[^\n]*\b(?:test|check)\b|\bdeno\s+test\b/;

/** `npm run <name>` / `yarn <name>` / `pnpm <name>` / `make <target>`: the script or target names a command invokes. */
export function invokedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\b(?:npm|pnpm|yarn|bun)\s+(?:-\S+\s+)*(?:run(?:-script)?\s+)?([\w:.-]+)/g)) if (match[1] !== undefined) names.push(match[1]);
  for (const match of text.matchAll(/\bmake\s+(?:-\S+\s+)*([\w.-]+)/g)) if (match[1] !== undefined) names.push(match[1]);
  return names;
}

/**
 * True when `text` runs tests, directly or through a package.json script or Makefile target it invokes.
 *
 * @example runsTests(project, 'npm run ci') // true when the "ci" script runs vitest
 */
export function runsTests(project: Project, text: string, depth = 0): boolean {
  if (TEST_RUNNER.test(text)) return true;
  if (depth > 2) return false;
  // `bash .ci/run`, `./scripts/test.sh`: the suite may run inside a script the step calls.
  if (referencedFiles(project, text).some((file) => file.text !== text && runsTests(project, file.text, depth + 1))) return true;
  const names = invokedNames(text);
  if (names.length === 0) return false;
  return shellUnits(project).some((unit) => (unit.kind === 'npm' || unit.kind === 'make') && names.includes(unit.name.split(/\s+/)[0] ?? unit.name) && runsTests(project, unit.text, depth + 1));
}
