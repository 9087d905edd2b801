// Protects against production credentials in the repository: a real `.env` committed is readable by everyone with a clone, forever. Docs: docs/rules/security/env-file-committed.md
import type { SecretSpan } from '../../core/rule.js';
import { noOptions } from '../../core/rule.js';
import { readValue } from '../../core/secret-syntax.js';
import { describesASecret, isPublicName, isStructuredNonSecret } from '../../core/secret-values.js';
import { findSecrets, isPlaceholder, isSecretName } from '../../core/secrets.js';
import { dirOf } from '../../project/compose.js';
import { dockerStages, instructionLocation, productionDockerfiles, stageChain } from '../../project/dockerfile.js';
import type { EnvEntry, EnvFile } from '../../project/documents.js';
import type { FileRole } from '../../project/file-roles.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const DEV_VALUES = /^(?:password|postgres|pass|secret|root|admin|mysql|guest|changeme|test|dev|local|true|false|\d+)$/i;
/** Env files for tests and CI, and env files inside tests, examples and docs, hold fixtures and samples, not credentials. */
const NOT_CONFIGURATION: ReadonlySet<FileRole> = new Set(['test', 'example', 'docs', 'generated', 'shipready-output']);

interface EnvSecret {
  readonly entry: EnvEntry;
  readonly value: string;
  readonly span: SecretSpan;
  readonly evidence: string;
}

/** Where the entry's value is on its line, quotes excluded, read the way env parsers read it (to the closing quote, or to a ` #` comment). */
function valueSpan(lineText: string): { start: number; end: number; value: string } | undefined {
  const equals = lineText.indexOf('=');
  if (equals < 0) return undefined;
  let at = equals + 1;
  while (lineText[at] === ' ' || lineText[at] === '\t') at += 1;
  const value = readValue(lineText, at, 'env');
  return value === undefined || value.value !== '' ? value : undefined;
}

/**
 * Entries whose values are credentials: a detector match (provider format, real connection-string password,
 * high-entropy literal) that is not dismissed, or a secret-named key (`JWT_SECRET`, `DB_PASSWORD`, not
 * `PASSWORD_RESET_URL`) holding a value of 8+ characters that is not a placeholder, a dev value or a URL.
 */
function realSecrets(file: EnvFile, text: string): EnvSecret[] {
  const found: EnvSecret[] = [];
  const lines = text.split('\n');
  for (const entry of file.entries) {
    // Browser-exposed variables end up in the client bundle by design: committing them leaks nothing new.
    if (isPublicName(entry.key)) continue;
    const lineText = (lines[entry.line - 1] ?? '').replace(/\r$/, '');
    const span = valueSpan(lineText);
    if (span === undefined) continue;
    const detected = findSecrets(lineText, { syntax: 'env' }).find((match) => match.dismissed === undefined && match.strength !== 'weak');
    if (detected !== undefined) {
      found.push({ entry, value: detected.value, span: { line: entry.line, column: detected.start + 1, endLine: entry.line, endColumn: detected.end + 1 }, evidence: `${detected.kind}: ${detected.evidence}` });
      continue;
    }
    const value = entry.value;
    if (!isSecretName(entry.key) || /_(?:URL|URI|DSN)$/i.test(entry.key) || value.length < 8 || isPlaceholder(value) || describesASecret(value) || DEV_VALUES.test(value) || isStructuredNonSecret(value)) continue;
    found.push({ entry, value: span.value, span: { line: entry.line, column: span.start + 1, endLine: entry.line, endColumn: span.end + 1 }, evidence: `${entry.key} holds a ${value.length}-character value that is not a placeholder or a dev default` });
  }
  return found;
}

/** Secret-named entries whose value is a stand-in (`JWT_SECRET="SOME_SECRET_FOR_JWT"`): nothing to rotate, but a known value. */
function placeholderSecrets(file: EnvFile): EnvEntry[] {
  return file.entries.filter((entry) => isSecretName(entry.key) && !isPublicName(entry.key) && !/_(?:URL|URI|DSN)$/i.test(entry.key) && entry.value !== '' && !entry.value.startsWith('${') && (isPlaceholder(entry.value) || describesASecret(entry.value)));
}

/**
 * The COPY/ADD of a shipped stage of a production Dockerfile that puts `envPath` into the image, if any: a
 * source whose file name is the env file's, from the Dockerfile's own folder or a build stage (`COPY
 * --from=build /app/.env.docker ./.env`).
 */
function shippingCopy(project: Project, envPath: string): { dockerfile: string; location: ReturnType<typeof instructionLocation> } | undefined {
  const envName = envPath.split('/').pop() ?? envPath;
  const envDir = dirOf(envPath);
  for (const { path, dockerfile } of productionDockerfiles(project)) {
    const dockerDir = dirOf(path);
    if (dockerDir !== envDir && !(dockerDir === '' || envDir.startsWith(`${dockerDir}/`))) continue;
    const stages = dockerStages(dockerfile);
    const final = stages[stages.length - 1];
    if (final === undefined) continue;
    for (const stage of stageChain(stages, final)) {
      for (const instruction of stage.instructions) {
        if (instruction.getKeyword() !== 'COPY' && instruction.getKeyword() !== 'ADD') continue;
        const args = (instruction.getArgumentsContent() ?? '').split(/\s+/).filter((arg) => arg !== '' && !arg.startsWith('--'));
        const sources = args.slice(0, -1);
        if (sources.some((source) => source.split('/').pop() === envName)) return { dockerfile: path, location: instructionLocation(path, instruction) };
      }
    }
  }
  return undefined;
}

type Messages = { committed: { file: string; keys: string; tracked: boolean }; shippedPlaceholder: { file: string; keys: string; dockerfile: string } };

export default defineScanRule({
  id: 'security/env-file-committed',
  title: 'No real .env file is committed',
  description:
    'Environment files with real values (.env, .env.production, .env.local…) stay out of git; only templates (.env.example) with placeholders are committed. Test and CI env files (.env.test, .env.ci, .env.e2e) and env files under test, example and docs folders are fixtures, not configuration.',
  category: 'security',
  severity: 'critical',
  checklist: 'secrets',
  docs: 'docs/rules/security/env-file-committed.md',
  fix: 'Rotate every credential in the file now (it is in the git history), then `git rm --cached <file>`, add it to .gitignore, and commit a .env.example with placeholders instead.',
  options: noOptions,
  messages: {
    committed: ({ file, keys, tracked }: Messages['committed']) => `${file} ${tracked ? 'is tracked in git' : 'is in the repository and not git-ignored'} with real values for ${keys}`,
    shippedPlaceholder: ({ file, keys, dockerfile }: Messages['shippedPlaceholder']) => `${dockerfile} copies ${file} into the image, so production runs with the placeholder ${keys} everyone with the repository can read`,
  },
  applies: (project: Project) => project.envFiles().some((file) => !file.isTemplate),
  check(ctx) {
    const { project } = ctx;
    const candidates = project.envFiles().filter((file) => !file.isTemplate && !NOT_CONFIGURATION.has(project.fileRole(file.path)));
    const repository = project.git();
    for (const file of candidates) {
      const isTracked = project.isTracked(file.path);
      if (isTracked === false) continue;
      const secrets = realSecrets(file, project.text(file.path) ?? '');
      const first = secrets[0];
      if (first === undefined) {
        // Placeholders leak nothing, unless the image ships them: then the app signs sessions with a published value.
        const placeholders = placeholderSecrets(file);
        const copy = placeholders.length === 0 ? undefined : shippingCopy(project, file.path);
        const entry = placeholders[0];
        if (copy !== undefined && entry !== undefined) {
          const keys = placeholders.map((placeholder) => placeholder.key).join(', ');
          ctx.report({
            messageId: 'shippedPlaceholder',
            data: { file: file.path, keys, dockerfile: copy.dockerfile },
            location: { path: file.path, line: entry.line },
            severity: 'high',
            detail: `${file.path} holds placeholder values for ${keys} (first at line ${entry.line}), and ${copy.dockerfile}:${copy.location.line} copies it into a stage the shipped image is built from: unless every deployment overrides them, tokens and sessions are signed with a value anyone who reads the repository knows.`,
            fix: `Remove the COPY of ${file.path} from ${copy.dockerfile}, pass ${keys} at run time from the platform's secret store, and have the app refuse to start when one is unset or a placeholder.`,
            key: `placeholder ${file.path}`,
          });
        }
        continue;
      }
      const keys = secrets.map((secret) => secret.entry.key);
      const role = project.fileRole(file.path);
      ctx.report({
        messageId: 'committed',
        data: { file: file.path, keys: keys.slice(0, 5).join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : ''), tracked: isTracked === true },
        location: { path: file.path, line: first.entry.line },
        detail: `${
          isTracked === true ? `\`git ls-files\` lists ${file.path}` : `${file.path} is present and no .gitignore excludes it (git could not answer: ${repository.ok ? 'the index could not be read' : repository.error.message})`
        }; file role: ${role}; ${keys.length} entr${keys.length === 1 ? 'y has' : 'ies have'} a real value, first at line ${first.entry.line} (${first.evidence}).`,
        secrets: secrets.map((secret) => secret.value),
        secretSpans: secrets.map((secret) => secret.span),
      });
    }
  },
});
