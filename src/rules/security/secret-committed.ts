// Protects against credentials committed to the repository, where every clone and CI log can leak them. Docs: docs/rules/security/secret-committed.md
import { noOptions } from '../../core/rule.js';
import { findSecrets } from '../../core/secrets.js';
import { isTestPath } from '../../project/project.js';
import { defineScanRule, positionOf } from '../support.js';

/** Files whose secret-looking strings are hashes or generated data, not credentials. */
const GENERATED = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|composer\.lock|Gemfile\.lock|go\.sum|Cargo\.lock|poetry\.lock)$|\.(?:map|snap)$/;
const DOCS = /\.(?:md|mdx|markdown|rst|txt|adoc)$/i;

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
    for (const file of ctx.project.files) {
      if (isTestPath(file.path) || GENERATED.test(file.path)) continue;
      const text = ctx.project.text(file.path);
      if (text === undefined) continue;
      const isDoc = DOCS.test(file.path);
      for (const secret of findSecrets(text)) {
        if (secret.isPlaceholder) continue;
        // Docs show example assignments; only a provider-format key in prose is a real leak.
        if (isDoc && (secret.kind === 'secret-assignment' || secret.kind === 'connection-string-password')) continue;
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
