// Protects against production credentials in the repository: a real `.env` committed is readable by everyone with a clone, forever. Docs: docs/rules/security/env-file-committed.md
import { noOptions } from '../../core/rule.js';
import { findSecrets, isPlaceholder } from '../../core/secrets.js';
import type { EnvEntry, EnvFile } from '../../project/documents.js';
import { isTestPath, type Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const SECRET_KEY = /secret|token|passw(?:or)?d|pwd|api[_-]?key|private[_-]?key|access[_-]?key|auth[_-]?key|signing|encryption|credential/i;
const DEV_VALUES = /^(?:password|postgres|pass|secret|root|admin|mysql|guest|changeme|test|dev|local|true|false|\d+)$/i;
const PUBLIC_PREFIX = /^(?:VITE_|NEXT_PUBLIC_|PUBLIC_|REACT_APP_|NUXT_PUBLIC_|EXPO_PUBLIC_|GATSBY_)/;
/** Env files for tests and CI hold fixtures, not credentials. */
const TEST_ENV = /^\.env\.(?:test|testing|ci|e2e|spec)(?:\.local)?$/i;

/** Entries whose values look like real credentials. */
function realSecrets(file: EnvFile, text: string): Array<{ entry: EnvEntry; value: string }> {
  const found: Array<{ entry: EnvEntry; value: string }> = [];
  const lines = text.split('\n');
  for (const entry of file.entries) {
    // Browser-exposed variables end up in the client bundle by design: committing them leaks nothing new.
    if (PUBLIC_PREFIX.test(entry.key)) continue;
    const lineText = lines[entry.line - 1] ?? '';
    const secret = findSecrets(lineText).find((match) => !match.isPlaceholder);
    if (secret !== undefined) {
      found.push({ entry, value: secret.value });
      continue;
    }
    const value = entry.value;
    if (!SECRET_KEY.test(entry.key) || /_(?:URL|DSN)$/i.test(entry.key) || value.length < 8 || isPlaceholder(value) || DEV_VALUES.test(value)) continue;
    found.push({ entry, value });
  }
  return found;
}

type Messages = { committed: { file: string; keys: string; tracked: boolean } };

export default defineScanRule({
  id: 'security/env-file-committed',
  title: 'No real .env file is committed',
  description: 'Environment files with real values (.env, .env.production, .env.local…) stay out of git; only templates (.env.example) with placeholders are committed.',
  category: 'security',
  severity: 'critical',
  checklist: 'secrets',
  docs: 'docs/rules/security/env-file-committed.md',
  fix: 'Rotate every credential in the file now (it is in the git history), then `git rm --cached <file>`, add it to .gitignore, and commit a .env.example with placeholders instead.',
  options: noOptions,
  messages: {
    committed: ({ file, keys, tracked }: Messages['committed']) => `${file} ${tracked ? 'is tracked in git' : 'is in the repository and not git-ignored'} with real values for ${keys}`,
  },
  applies: (project: Project) => project.envFiles().some((file) => !file.isTemplate),
  check(ctx) {
    const candidates = ctx.project.envFiles().filter((file) => !file.isTemplate && !isTestPath(file.path) && !TEST_ENV.test(file.path.split('/').pop() ?? ''));
    const repository = ctx.project.git();
    for (const file of candidates) {
      const isTracked = ctx.project.isTracked(file.path);
      if (isTracked === false) continue;
      const secrets = realSecrets(file, ctx.project.text(file.path) ?? '');
      const first = secrets[0];
      if (first === undefined) continue;
      const keys = secrets.map((secret) => secret.entry.key);
      ctx.report({
        messageId: 'committed',
        data: { file: file.path, keys: keys.slice(0, 5).join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : ''), tracked: isTracked === true },
        location: { path: file.path, line: first.entry.line },
        detail: `${
          isTracked === true ? `\`git ls-files\` lists ${file.path}` : `${file.path} is present and no .gitignore excludes it (git could not answer: ${repository.ok ? 'the index could not be read' : repository.error.message})`
        }; ${keys.length} entr${keys.length === 1 ? 'y has' : 'ies have'} a value that is not a placeholder (secret patterns, or secret-named keys with non-trivial values), first at line ${first.entry.line}.`,
        secrets: secrets.map((secret) => secret.value),
      });
    }
  },
});
