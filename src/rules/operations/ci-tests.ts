// Protects against merging and deploying code no machine has tested: the suite only runs when someone remembers. Docs: docs/rules/operations/ci-tests.md
import { noOptions } from '../../core/rule.js';
import { ciFiles } from '../../project/ci.js';
import type { Project } from '../../project/project.js';
import { runsTests } from '../../project/test-commands.js';
import { defineScanRule } from '../support.js';

type Messages = { noCi: Record<string, never>; noTests: { files: string } };

export default defineScanRule({
  id: 'operations/ci-tests',
  title: 'CI runs the test suite',
  description:
    'A CI configuration in the repository (GitHub Actions, GitLab CI, CircleCI, Bitbucket, Azure Pipelines, Drone, Woodpecker, Buildkite, Travis, Jenkins) runs the tests on every push or pull request.',
  category: 'operations',
  severity: 'high',
  checklist: 'ci-cd',
  docs: 'docs/rules/operations/ci-tests.md',
  fix: 'Add a CI job that installs from the lockfile and runs the suite, e.g. .github/workflows/ci.yml:\n  on: [push, pull_request]\n  jobs:\n    test:\n      runs-on: ubuntu-latest\n      steps:\n        - uses: actions/checkout@v4\n        - uses: actions/setup-node@v4\n          with: { node-version-file: .nvmrc, cache: npm }\n        - run: npm ci\n        - run: npm test',
  options: noOptions,
  messages: {
    noCi: () => 'No CI configuration: nothing runs the tests before code is merged or deployed',
    noTests: ({ files }: Messages['noTests']) => `No CI job runs the test suite (checked ${files})`,
  },
  applies: (project: Project) => project.packages().length > 0 || ciFiles(project).length > 0,
  check(ctx) {
    const files = ciFiles(ctx.project);
    const steps = files.flatMap((file) => file.steps);
    if (steps.some((step) => runsTests(ctx.project, step.run))) return;
    const root = ctx.project.packages().find((pkg) => pkg.dir === '') ?? ctx.project.packages()[0];
    const testScript = root === undefined ? undefined : (ctx.project.text(root.manifestPath) ?? '').split('\n').findIndex((line) => /^\s*"test"\s*:/.test(line));
    if (files.length === 0) {
      ctx.report({
        messageId: 'noCi',
        data: {},
        ...(root === undefined ? {} : { location: { path: root.manifestPath, line: testScript !== undefined && testScript >= 0 ? testScript + 1 : 1 } }),
        detail:
          'Looked for .github/workflows/*.yml, .gitlab-ci.yml, .circleci/config.yml, bitbucket-pipelines.yml, azure-pipelines.yml, .drone.yml, .woodpecker*, .buildkite/*pipeline*.yml, .travis.yml and Jenkinsfile: none found.',
      });
      return;
    }
    const first = files[0];
    if (first === undefined) return;
    ctx.report({
      messageId: 'noTests',
      data: { files: files.map((file) => file.path).join(', ') },
      location: { path: first.path, line: first.steps[0]?.line ?? 1 },
      detail: `Read ${steps.length} step(s) in ${files.length} CI file(s) (${files.map((file) => file.path).join(', ')}) for npm/yarn/pnpm/bun test, vitest, jest, mocha, playwright, cypress, node --test, turbo/nx test, make test, go test, pytest…, following package.json scripts and Makefile targets they call: none runs tests.`,
    });
  },
});
