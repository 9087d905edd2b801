import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { envVariable, importersOf, isBackgroundJobPath, isFrontendCode, packageScope, routesIn, serverCodeFiles } from './code-scope.js';
import { Project } from './project.js';
import { walkAst } from './ast.js';

function open(files: Record<string, string>): { project: Project; cleanup: () => void } {
  const tree = makeTree(files);
  const opened = Project.open(tree.dir);
  if (!opened.ok) throw new Error(opened.error.message);
  return { project: opened.value, cleanup: tree.cleanup };
}

const MONOREPO = {
  'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'] }),
  'apps/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/app.js' }, dependencies: { express: '5.1.0', '@acme/http': '1.0.0' } }),
  'apps/api/src/app.ts': "import express from 'express';\nconst app = express();\napp.get('/projects', (req, res) => res.json([]));\n",
  'apps/api/src/app.test.ts': "it('works', () => {});\n",
  'packages/http/package.json': JSON.stringify({ name: '@acme/http' }),
  'packages/http/src/index.ts': 'export const errorHandler = (err, req, res, next) => res.status(500).end();\n',
  'packages/db/package.json': JSON.stringify({ name: '@acme/db', dependencies: { pg: '8.12.0' } }),
  'packages/db/src/index.ts': "export const url = process.env['DATABASE_URL'];\n",
  'tools/script.ts': 'console.log(1);\n',
};

describe('code scope helpers', () => {
  it('finds the owning package like project.packageOf does', () => {
    const { project, cleanup } = open(MONOREPO);
    try {
      for (const file of project.files) expect(project.packageOf(file.path)).toBe(project.packageOf(file.path));
    } finally {
      cleanup();
    }
  });

  it('scopes a package to its production files and those of the workspace packages it depends on', () => {
    const { project, cleanup } = open(MONOREPO);
    try {
      const api = project.packages().find((pkg) => pkg.displayName === 'api');
      if (api === undefined) throw new Error('api package missing');
      expect(packageScope(project, api).files).toEqual(['apps/api/src/app.ts', 'packages/http/src/index.ts']);
      expect([...serverCodeFiles(project, ['pg'])].sort()).toEqual(['apps/api/src/app.ts', 'packages/db/src/index.ts', 'packages/http/src/index.ts']);
      expect([...routesIn(project, ['apps/api/src/app.ts'])].map((route) => `${route.method} ${route.path ?? ''}`)).toEqual(['GET /projects']);
    } finally {
      cleanup();
    }
  });

  it('reads environment variable names from process.env, import.meta.env and Deno.env', () => {
    const { project, cleanup } = open({
      'src/env.ts': "export const a = [process.env.A, process.env['B'], import.meta.env.VITE_C, Deno.env.get('D'), other.env.E];\n",
    });
    try {
      const source = project.parseSource('src/env.ts');
      if (source === undefined) throw new Error('not parsed');
      const names: string[] = [];
      walkAst(source.program, (node) => {
        const name = envVariable(node);
        if (name !== undefined) names.push(name);
      });
      expect(names).toEqual(['A', 'B', 'VITE_C', 'D']);
    } finally {
      cleanup();
    }
  });
});

describe('isBackgroundJobPath', () => {
  it.each([
    ['apps/web/app/(ee)/api/cron/payouts/route.ts', true],
    ['apps/web/pages/api/v1/worker/preservation.tsx', true],
    ['apps/api/src/queues/email.consumer.ts', true],
    ['src/billing/invoice.job.ts', true],
    ['apps/web/app/api/links/route.ts', false],
    ['apps/api/src/tasks/tasks.controller.ts', false],
  ])('%s → %s', (file, expected) => {
    expect(isBackgroundJobPath(file)).toBe(expected);
  });
});

describe('importersOf', () => {
  it('finds the files that import a module by its specifier', () => {
    const { project, cleanup } = open({
      'package.json': JSON.stringify({ name: 'web' }),
      'lib/digest/send.ts': 'export const send = () => 1;\n',
      'lib/digest/index.ts': "export * from './send';\n",
      'app/api/cron/route.ts': "import { send } from '@/lib/digest/send';\nexport const GET = send;\n",
      'app/page.ts': "import { other } from './send-later';\n",
    });
    try {
      const files = ['lib/digest/send.ts', 'lib/digest/index.ts', 'app/api/cron/route.ts', 'app/page.ts'];
      expect(importersOf(project, files, 'lib/digest/send.ts')).toEqual(['lib/digest/index.ts', 'app/api/cron/route.ts']);
    } finally {
      cleanup();
    }
  });

  it('tells front-end code from server code: hooks and UI imports in a mixed package, only use client in a Next app', () => {
    const { project, cleanup } = open({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      'apps/board/package.json': JSON.stringify({ name: 'board', scripts: { start: 'node build/server/index.js' }, dependencies: { koa: '2.16.0', react: '19.1.0' } }),
      'apps/board/app/hooks/useTableRequest.ts': 'export function useTableRequest() { const handleRequest = async () => {}; return handleRequest; }\n',
      'apps/board/app/scenes/Home.tsx': "import { useState } from 'react';\nexport const Home = () => null;\n",
      'apps/board/server/routes/mcp.ts': "import Router from 'koa-router';\nexport const router = new Router();\n",
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.3.0', react: '19.1.0' } }),
      'apps/web/app/page.tsx': "import { Suspense } from 'react';\nexport default function Page() { return null; }\n",
      'apps/web/app/editor.tsx': "'use client';\nimport { useState } from 'react';\nexport function Editor() { return null; }\n",
      'apps/spa/package.json': JSON.stringify({ name: 'spa', dependencies: { react: '19.1.0' }, devDependencies: { vite: '6.3.5' } }),
      'apps/spa/src/api.ts': "export const get = (path: string) => fetch(path);\n",
    });
    try {
      expect(['apps/board/app/hooks/useTableRequest.ts', 'apps/board/app/scenes/Home.tsx', 'apps/web/app/editor.tsx', 'apps/spa/src/api.ts'].map((file) => isFrontendCode(project, file))).toEqual([true, true, true, true]);
      expect(['apps/board/server/routes/mcp.ts', 'apps/web/app/page.tsx'].map((file) => isFrontendCode(project, file))).toEqual([false, false]);
    } finally {
      cleanup();
    }
  });
});
