// Protects against credentials committed to the repository, where every clone and CI log can leak them. Docs: docs/rules/security/secret-committed.md
import { noOptions } from '../../core/rule.js';
import { findSecrets, type SecretMatch } from '../../core/secrets.js';
import type { Severity } from '../../core/severity.js';
import type { FileRole } from '../../project/file-roles.js';
import { defineScanRule, positionOf } from '../support.js';

/** A sibling that runs the block in test mode: `NODE_ENV: test` in YAML, `-e NODE_ENV="test" \` in a `docker run`, `export NODE_ENV=test`. */
const TEST_ENV = /^\s*(?:-\s+|-e\s+|--env[\s=]+|export\s+)?["']?(?:NODE_ENV|APP_ENV|ENVIRONMENT|ENV|RAILS_ENV|RACK_ENV|MIX_ENV|FLASK_ENV|DJANGO_ENV)\s*[:=]\s*['"]?test(?:ing)?['"]?\s*\\?\s*(?:#.*)?$/i;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * True when the line at `offset` sits in a CI block (same indentation, same mapping) that also sets a test
 * environment: a throwaway key the test suite needs (outline/outline's ci.yml `env:` has SECRET_KEY next to NODE_ENV: test).
 */
function inTestEnvBlock(text: string, offset: number): boolean {
  const lines = cachedLines(text);
  const index = positionOf(text, offset).line - 1;
  const indent = indentOf(lines[index] ?? '');
  for (const step of [-1, 1]) {
    for (let at = index + step; at >= 0 && at < lines.length; at += step) {
      const line = lines[at] ?? '';
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      if (indentOf(line) < indent) break;
      if (indentOf(line) === indent && TEST_ENV.test(line)) return true;
    }
  }
  return false;
}

/** Roles whose secrets are samples, fixtures or generated data: a real provider key there is still worth a look, nothing more. */
const SAMPLE: ReadonlySet<FileRole> = new Set(['test', 'example', 'docs', 'generated', 'shipready-output']);
/** Roles that run outside production: their generic literals are fixtures and local settings. */
const TOOLING: ReadonlySet<FileRole> = new Set(['ci', 'script', 'seed', 'migration']);

/**
 * The severity of a match by what it proves and where it is, or undefined when it is no finding: a provider
 * format or verified structure is critical wherever production or its tooling reads it (a real key in a CI
 * workflow or a deploy script is as leaked as one in source); a generic high-entropy literal is at most high,
 * in production source and configuration only; samples, tests, docs and generated files are info at most.
 */
function severityOf(secret: SecretMatch, role: FileRole, inTestBlock: boolean): Severity | undefined {
  const proven = secret.strength === 'provider' || secret.strength === 'structure';
  if (secret.strength === 'weak') return undefined;
  if (secret.dismissed !== undefined) {
    // A test-mode key or a documented example is real text worth knowing about, never a leak of production access.
    return proven && (secret.dismissed.reason === 'test-mode' || secret.dismissed.reason === 'documentation') ? 'info' : undefined;
  }
  if (SAMPLE.has(role)) return proven ? 'info' : undefined;
  if (proven) return 'critical';
  if (TOOLING.has(role)) return role === 'ci' && !inTestBlock ? 'low' : undefined;
  // Minified and vendored code is full of hashes and nonces; a generic literal there is rarely anyone's key.
  return role === 'bundle' ? 'low' : 'high';
}

function strengthText(secret: SecretMatch): string {
  if (secret.strength === 'provider') return 'provider token format';
  if (secret.strength === 'structure') return 'verified structure';
  return 'generic high-entropy literal';
}

/** The lines of the file being checked, split once however many secrets it holds. */
let lastLines: { text: string; lines: string[] } | undefined;

function cachedLines(text: string): string[] {
  if (lastLines?.text !== text) lastLines = { text, lines: text.split('\n') };
  return lastLines.lines;
}

type Messages = { committed: { description: string; file: string } };

export default defineScanRule({
  id: 'security/secret-committed',
  title: 'No secrets committed to the repository',
  description:
    'Values that are credentials by their own shape: provider token formats (AWS, GCP, Azure, GitHub, GitLab, Slack, Stripe, Twilio, SendGrid, OpenAI, Anthropic, npm, Vercel, Supabase, …), private key blocks with a real body, connection strings with a real password to a non-local host, service-role JWTs, and high-entropy literals under secret-named keys that are not placeholders, identifiers, ids, hashes, public keys or documentation examples. Severity follows the file role and git tracking.',
  category: 'security',
  severity: 'critical',
  checklist: 'secrets',
  docs: 'docs/rules/security/secret-committed.md',
  fix: 'Revoke and rotate the credential now (it is in the git history), move it to the deployment secret store or an untracked .env, read it from the environment, and purge it from history (git filter-repo) if the repository is shared.',
  options: noOptions,
  messages: {
    committed: ({ description, file }: Messages['committed']) => `${description} committed in ${file}`,
  },
  check(ctx) {
    const { project } = ctx;
    for (const file of project.files) {
      const text = project.text(file.path);
      if (text === undefined) continue;
      const secrets = findSecrets(text, { path: file.path });
      if (secrets.length === 0) continue;
      // Git answers for the whole repository at once; a file git does not track is not committed.
      const tracked = project.isTracked(file.path);
      if (tracked === false) continue;
      const role = project.fileRole(file.path);
      for (const secret of secrets) {
        const inTestBlock = role === 'ci' && secret.strength === 'generic' && inTestEnvBlock(text, secret.start);
        const severity = severityOf(secret, role, inTestBlock);
        if (severity === undefined) continue;
        const start = positionOf(text, secret.start);
        const end = positionOf(text, secret.end);
        const span = { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
        const tracking = tracked === true ? 'git tracks the file' : 'git could not say whether it tracks the file (no repository or no git); it is present and not git-ignored';
        const why = secret.dismissed === undefined ? '' : ` Reported as info only: ${secret.dismissed.detail}.`;
        ctx.report({
          messageId: 'committed',
          data: { description: secret.description, file: file.path },
          location: { path: file.path, ...span },
          secrets: [secret.value],
          secretSpans: [span],
          detail: `Detector ${secret.kind} (${strengthText(secret)}): ${secret.evidence}. File role: ${role}; ${tracking}.${why}`,
          ...(severity === 'critical' ? {} : { severity }),
          key: secret.kind,
        });
      }
    }
  },
});
