import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { deploymentTargets, operationsAutomation, templateEvidence } from './deployment.js';
import { Project } from './project.js';

function open(files: Record<string, string>) {
  const tree = makeTree(files);
  const opened = Project.open(tree.dir);
  if (!opened.ok) throw new Error(opened.error.message);
  return { project: opened.value, cleanup: tree.cleanup };
}

describe('templateEvidence', () => {
  it.each([
    [{ 'package.json': '{"name":"next-js-boilerplate"}' }, true],
    [{ 'README.md': '<h1 align="center">Express Typescript Boilerplate</h1>\n\nUse it.\n' }, true],
    [{ 'README.md': '# Acme\n\n[![t](x.png)](https://github.com/new?template_name=acme&template_owner=me)\n' }, true],
    [{ 'README.md': '# Umami\n\nUmami is a simple, fast, privacy-focused alternative to Google Analytics.\n\n## Templates\n\nEmail templates live in src/emails.\n' }, false],
  ])('%o is a template: %s', (files, expected) => {
    const { project, cleanup } = open(files);
    try {
      expect(templateEvidence(project) !== undefined).toBe(expected);
    } finally {
      cleanup();
    }
  });
});

describe('deploymentTargets and operationsAutomation', () => {
  it('finds platform files at package roots, production compose, published images and deploy or rollback workflows', () => {
    const { project, cleanup } = open({
      'package.json': '{"name":"mono","private":true,"workspaces":["apps/*"]}',
      'apps/web/package.json': '{"name":"web"}',
      'apps/web/vercel.json': '{}',
      'apps/web/public/locales/cs/app.json': '{}',
      'docker-compose.prod.yml': 'services:\n  app:\n    image: ghcr.io/acme/app:1\n',
      '.github/workflows/rollback.yml': 'name: Rollback\non: workflow_dispatch\njobs:\n  redo:\n    steps:\n      - run: ./deploy.sh "$PREVIOUS"\n',
    });
    try {
      expect(deploymentTargets(project).map((target) => `${target.kind} ${target.file}`)).toEqual(['serverless-platform apps/web/vercel.json', 'production-compose docker-compose.prod.yml']);
      expect(operationsAutomation(project, 'rollback').map((found) => found.file)).toEqual(['.github/workflows/rollback.yml']);
    } finally {
      cleanup();
    }
  });
});
