// Protects against credentials committed to the repository, where every clone and CI log can leak them. Docs: docs/rules/security/secret-committed.md
import { noOptions } from '../../core/rule.js';
import { findSecrets } from '../../core/secrets.js';
import { ciFiles } from '../../project/ci.js';
import { isTestPath } from '../../project/project.js';
import { defineScanRule, positionOf } from '../support.js';

/** Files whose secret-looking strings are hashes or generated data, not credentials. */
const GENERATED = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|composer\.lock|Gemfile\.lock|go\.sum|Cargo\.lock|poetry\.lock)$|\.(?:map|snap)$/;
const DOCS = /\.(?:md|mdx|markdown|rst|txt|adoc)$/i;
/** Env templates (`.env.example`, `env-example-relational`, `config.sample.env`): their values are samples for local setups. */
const ENV_TEMPLATE = /(?:^|\/)\.?env[\w.-]*[.-](?:example|sample|template|dist|tpl)(?:[.-][\w.-]*)?$|(?:^|\/)[\w.-]*(?:example|sample|template)\.env$/i;
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
    'Provider keys (AWS, Stripe live, GitHub, Slack, Google, OpenAI, Anthropic, npm, SendGrid), private key blocks, credentialed connection strings to non-local hosts, and high-entropy values assigned to secret-named keys. Placeholders, test fixtures, lockfiles and git-ignored files are not reported.',
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
    const ci = new Set(ciFiles(ctx.project).map((file) => file.path));
    for (const file of ctx.project.files) {
      if (isTestPath(file.path) || GENERATED.test(file.path)) continue;
      const text = ctx.project.text(file.path);
      if (text === undefined) continue;
      const isDoc = DOCS.test(file.path);
      for (const secret of findSecrets(text)) {
        if (secret.isPlaceholder) continue;
        // Docs show example assignments; only a provider-format key in prose is a real leak.
        if (isDoc && (secret.kind === 'secret-assignment' || secret.kind === 'connection-string-password')) continue;
        // A generic high-entropy value in a CI block that runs the tests is a test fixture; provider-format keys still count.
        if (secret.kind === 'secret-assignment' && ci.has(file.path) && inTestEnvBlock(text, secret.start)) continue;
        // Env templates ship sample values on purpose (Infisical's .env.example); only a provider-format key there is a leak.
        if (secret.kind === 'secret-assignment' && ENV_TEMPLATE.test(file.path)) continue;
        const start = positionOf(text, secret.start);
        const end = positionOf(text, secret.end);
        ctx.report({
          messageId: 'committed',
          data: { description: secret.description, file: file.path },
          location: { path: file.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column },
          secrets: [secret.value],
          detail: `Matched the ${secret.kind} detector (${secret.value.length} characters, not a placeholder) in a tracked, non-test file.`,
          ...(secret.kind === 'secret-assignment' ? { severity: 'high' as const } : {}),
          key: secret.kind,
        });
      }
    }
  },
});
