import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { ciFiles, stepLine } from './ci.js';
import { Project } from './project.js';

function open(files: Record<string, string>) {
  const tree = makeTree(files);
  const opened = Project.open(tree.dir);
  if (!opened.ok) throw new Error(opened.error.message);
  return { project: opened.value, cleanup: tree.cleanup };
}

describe('ciFiles', () => {
  it('reads GitHub, GitLab, CircleCI and Jenkins steps with their jobs and lines', () => {
    const { project, cleanup } = open({
      '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n      - name: Test\n        run: |\n          npm ci\n          npm test\n',
      '.gitlab-ci.yml': 'deploy:\n  stage: deploy\n  script:\n    - ./deploy.sh\n',
      '.circleci/config.yml': 'version: 2.1\njobs:\n  build:\n    steps:\n      - run:\n          name: Unit\n          command: npx jest\n',
      Jenkinsfile: 'pipeline {\n  stages {\n    stage("Test") {\n      steps {\n        sh "make check"\n      }\n    }\n  }\n}\n',
    });
    try {
      const steps = ciFiles(project).flatMap((file) => file.steps.map((step) => [file.provider, step.job, step.uses ?? step.run.trim(), step.line]));
      expect(steps).toEqual([
        ['github', 'test', 'actions/checkout@v4', 5],
        ['github', 'test', 'npm ci\nnpm test', 7],
        ['gitlab', 'deploy', './deploy.sh', 4],
        ['circleci', 'build', 'npx jest', 7],
        ['jenkins', 'Test', 'sh "make check"', 5],
      ]);
      const block = ciFiles(project)[0]?.steps[1];
      if (block === undefined) throw new Error('no block step');
      // `run: |` starts on line 7; `npm test` is the second line of its text, on line 9.
      expect(stepLine(block, block.run.indexOf('npm test'))).toBe(9);
    } finally {
      cleanup();
    }
  });

  it('reads the entrypoint and args of a docker:// step as its command, on the args line', () => {
    const { project, cleanup } = open({
      '.github/workflows/ci.yml': 'on: push\njobs:\n  unit:\n    steps:\n      - uses: docker://mcr.microsoft.com/playwright:v1.59.1\n        with:\n          args: npm run test -- --coverage\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n',
    });
    try {
      const steps = ciFiles(project).flatMap((file) => file.steps.map((step) => [step.uses, step.run, step.line, step.inputMap.get('node-version')]));
      expect(steps).toEqual([
        ['docker://mcr.microsoft.com/playwright:v1.59.1', 'npm run test -- --coverage', 7, undefined],
        ['actions/setup-node@v4', '', 8, '22'],
      ]);
    } finally {
      cleanup();
    }
  });
});
