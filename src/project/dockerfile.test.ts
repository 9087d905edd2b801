import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { productionDockerfiles } from './dockerfile.js';
import { builtImages, ownImagesNamed } from './images.js';
import { Project } from './project.js';

function open(files: Record<string, string>) {
  const tree = makeTree(files);
  const opened = Project.open(tree.dir);
  if (!opened.ok) throw new Error(opened.error.message);
  return { project: opened.value, cleanup: tree.cleanup };
}

const APP = 'FROM node:22.11-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n';

describe('productionDockerfiles', () => {
  it('leaves out Dockerfiles in development folders and package-manager variants the repository does not use', () => {
    const { project, cleanup } = open({
      'package-lock.json': '{}',
      'docker/Dockerfile': APP,
      'docker/development/Dockerfile.gotenberg': 'FROM gotenberg/gotenberg:8.15\nCMD ["gotenberg"]\n',
      'apps/remix/Dockerfile.pnpm': APP,
      'apps/remix/Dockerfile.bun': APP,
      'apps/remix/Dockerfile.npm': APP,
      'docs/plans/pnpm-migration.md': '# Plan\n\nReview `apps/remix/Dockerfile.pnpm`: it may already solve this. Test the Docker build in CI before merging.\n',
    });
    try {
      expect(productionDockerfiles(project).map((info) => info.path)).toEqual(['apps/remix/Dockerfile.npm', 'docker/Dockerfile']);
    } finally {
      cleanup();
    }
  });

  it('keeps a Dockerfile without CMD when a compose service builds it (compose gives the command)', () => {
    const { project, cleanup } = open({
      Dockerfile: 'FROM node:alpine\nWORKDIR /usr/src/app\nCOPY . .\nRUN yarn install --frozen-lockfile\n',
      'docker-compose.yml': 'services:\n  app:\n    build: .\n    command: yarn start\n',
      'base/Dockerfile': 'FROM node:22.11-alpine\nRUN apk add --no-cache tini\n',
    });
    try {
      expect(productionDockerfiles(project).map((info) => info.path)).toEqual(['Dockerfile']);
    } finally {
      cleanup();
    }
  });
});

describe('builtImages', () => {
  it('reads docker build tags with their Dockerfile, manifest names and build-push-action tags', () => {
    const { project, cleanup } = open({
      'docker/Dockerfile': APP,
      'apps/api/Dockerfile': APP,
      '.github/workflows/publish.yml': [
        'on: push',
        'jobs:',
        '  build:',
        '    steps:',
        '      - run: |',
        '          docker build \\',
        '            -f ./docker/Dockerfile \\',
        '            -t "acme/app-$PLATFORM:latest" \\',
        '            .',
        '      - run: docker manifest create acme/app:latest --amend acme/app-amd64:latest',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          context: apps/api',
        '          tags: |',
        '            ghcr.io/acme/api:latest',
        '            ghcr.io/acme/api:${{ github.sha }}',
        '',
      ].join('\n'),
    });
    try {
      expect(builtImages(project).map((image) => [image.name, image.dockerfile ?? null, image.line])).toEqual([
        ['acme/app-$platform', 'docker/Dockerfile', 6],
        ['ghcr.io/acme/api', 'apps/api/Dockerfile', 11],
        ['acme/app', 'docker/Dockerfile', 10],
      ]);
      expect(ownImagesNamed(project, 'acme/app:${TAG}').map((image) => image.dockerfile)).toEqual(['docker/Dockerfile']);
      expect(ownImagesNamed(project, 'node:22')).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
