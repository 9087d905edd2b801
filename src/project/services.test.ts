import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { Project } from './project.js';
import { deployedServices } from './services.js';

function servicesOf(files: Record<string, string>): string[] {
  const tree = makeTree(files);
  try {
    const opened = Project.open(tree.dir);
    if (!opened.ok) throw new Error(opened.error.message);
    return deployedServices(opened.value).map((service) => `${service.pkg.dir || '.'} ${service.evidence.kind}`);
  } finally {
    tree.cleanup();
  }
}

const WORKSPACE = JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'] });

describe('deployedServices', () => {
  it('counts a package with a start script, and not the library it mounts', () => {
    expect(
      servicesOf({
        'package.json': WORKSPACE,
        'apps/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/main.js' }, dependencies: { express: '5.1.0', '@acme/billing': '1.0.0' } }),
        'apps/api/src/main.ts': "import express from 'express';\nexport const app = express();\n",
        'packages/billing/package.json': JSON.stringify({ name: '@acme/billing', main: 'src/index.ts', dependencies: { express: '5.1.0' } }),
        'packages/billing/src/index.ts': "import { Router } from 'express';\nexport const billing = Router();\nbilling.post('/checkout', (req, res) => res.end());\n",
      }),
    ).toEqual(['apps/api start-script']);
  });

  it('does not make a server of a dev or peer dependency', () => {
    expect(
      servicesOf({
        'package.json': JSON.stringify({ name: 'sdk', main: 'dist/index.js', peerDependencies: { express: '5' }, devDependencies: { fastify: '5' }, scripts: { start: 'tsc -w' } }),
        'src/index.ts': "export function middleware(req, res, next) { next(); }\n",
      }),
    ).toEqual([]);
  });

  it('finds the container, platform and entry file that start a package', () => {
    expect(
      servicesOf({
        'package.json': WORKSPACE,
        'docker-compose.yml': 'services:\n  api:\n    build: ./apps/api\n',
        'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { fastify: '5.0.0' } }),
        'apps/api/Dockerfile': 'FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n',
        'apps/worker/package.json': JSON.stringify({ name: 'worker', dependencies: { hono: '4.0.0' } }),
        'apps/worker/wrangler.toml': 'name = "worker"\n',
        'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.0.0' } }),
        'apps/web/app/page.tsx': 'export default function Page() { return null; }\n',
        'apps/koa/package.json': JSON.stringify({ name: 'koa-app', dependencies: { koa: '2.15.0' } }),
        'apps/koa/src/index.ts': "import Koa from 'koa';\nnew Koa().listen(3000);\n",
      }),
    ).toEqual(['apps/api container', 'apps/koa server-entry', 'apps/web framework-app', 'apps/worker platform']);
  });

  it('does not take a library copied into the image for the build as a shipped service', () => {
    expect(
      servicesOf({
        'package.json': WORKSPACE,
        Dockerfile: 'FROM node:22\nCOPY packages/router/package.json ./packages/router/\nCOPY . .\nCMD ["sh", "-c", "cd /data/apps/web && exec next start"]\n',
        'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.0.0', '@acme/router': '*' } }),
        'packages/router/package.json': JSON.stringify({ name: '@acme/router', main: 'index.ts', dependencies: { next: '15.0.0' } }),
        'packages/router/links.tsx': 'export const useLinks = () => [];\n',
      }),
    ).toEqual(['apps/web container']);
  });

  it('leaves out test harnesses, docs sites and examples', () => {
    expect(
      servicesOf({
        'package.json': WORKSPACE,
        'apps/e2e/package.json': JSON.stringify({ name: 'e2e', scripts: { start: 'node mock-server.js' }, dependencies: { express: '5.1.0' } }),
        'apps/docs/package.json': JSON.stringify({ name: 'docs', scripts: { start: 'next start' }, dependencies: { next: '15.0.0', nextra: '3.0.0' } }),
        'examples/basic/package.json': JSON.stringify({ name: 'example-basic', scripts: { start: 'node index.js' }, dependencies: { express: '5.1.0' } }),
      }),
    ).toEqual([]);
  });
});
