import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTree } from '../../../test/helpers.js';
import { runRules } from '../../core/engine.js';
import { Project } from '../../project/project.js';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './secret-committed.js';

describe('security/secret-committed', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/secret-committed', import.meta.url)));
});

const STRIPE = `sk_live_${'51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd'}`;
const GENERIC = 'h7Kq9vR2mX4pL8wN3zT6yB1cF5gJ0sDa';

/** One file per role, all with the same kinds of value, so only the role and tracking change the answer. */
const FILES: Record<string, string> = {
  'package.json': '{ "name": "app" }',
  'src/billing.ts': `export const stripe = '${STRIPE}';\n`,
  'src/session.ts': `const SESSION_SECRET = '${GENERIC}';\n`,
  'src/test-mode.ts': `export const stripe = 'sk_test_${'51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd'}';\n`,
  'public/vendor/app.js': `var API_SECRET="${GENERIC}";\n`,
  '.github/workflows/deploy.yml': `jobs:\n  deploy:\n    env:\n      STRIPE_KEY: ${STRIPE}\n      DEPLOY_SECRET: ${GENERIC}\n`,
  'scripts/backfill.ts': `const API_SECRET = '${GENERIC}';\nconst stripe = '${STRIPE}';\n`,
  'test/billing.test.ts': `const stripe = '${STRIPE}';\nconst SESSION_SECRET = '${GENERIC}';\n`,
  'docs/setup.md': `Set \`STRIPE_KEY=${STRIPE}\`\n`,
  'src/untracked.ts': `export const stripe = '${STRIPE}';\n`,
};

function git(cwd: string, args: readonly string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

async function findings(dir: string): Promise<Array<{ path: string; line: number | undefined; severity: string }>> {
  const opened = Project.open(dir);
  if (!opened.ok) throw new Error(opened.error.message);
  const outcome = await runRules([rule], opened.value, opened.value, { docsBaseUrl: '' });
  return outcome.findings
    .filter((finding) => finding.ruleId === rule.id)
    .map((finding) => ({ path: finding.location?.kind === 'file' ? finding.location.path : '', line: finding.location?.kind === 'file' ? finding.location.line : undefined, severity: finding.severity }))
    .sort((a, b) => (a.path + String(a.line) < b.path + String(b.line) ? -1 : 1));
}

describe('severity by file role and git tracking', () => {
  let tree: ReturnType<typeof makeTree>;
  beforeAll(() => {
    tree = makeTree(FILES);
    git(tree.dir, ['init', '--quiet']);
    git(tree.dir, ['add', ...Object.keys(FILES).filter((file) => file !== 'src/untracked.ts')]);
  });
  afterAll(() => tree.cleanup());

  it('is critical for provider keys in production and its tooling, high at most for generic literals, info in samples, and silent for untracked files', async () => {
    expect(await findings(tree.dir)).toEqual([
      { path: '.github/workflows/deploy.yml', line: 4, severity: 'critical' },
      { path: '.github/workflows/deploy.yml', line: 5, severity: 'low' },
      { path: 'docs/setup.md', line: 1, severity: 'info' },
      { path: 'public/vendor/app.js', line: 1, severity: 'low' },
      { path: 'scripts/backfill.ts', line: 2, severity: 'critical' },
      { path: 'src/billing.ts', line: 1, severity: 'critical' },
      { path: 'src/session.ts', line: 1, severity: 'high' },
      { path: 'src/test-mode.ts', line: 1, severity: 'info' },
      { path: 'test/billing.test.ts', line: 1, severity: 'info' },
    ]);
  });

  it('keeps judging present, non-ignored files when git cannot answer', async () => {
    const plain = makeTree({ 'package.json': '{ "name": "app" }', 'src/untracked.ts': FILES['src/untracked.ts'] ?? '' });
    try {
      expect(await findings(plain.dir)).toEqual([{ path: 'src/untracked.ts', line: 1, severity: 'critical' }]);
    } finally {
      plain.cleanup();
    }
  });
});
