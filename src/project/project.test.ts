import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { Project } from './project.js';

function open(files: Record<string, string>): { project: Project; cleanup: () => void } {
  const tree = makeTree(files);
  const opened = Project.open(tree.dir);
  if (!opened.ok) throw new Error(opened.error.message);
  return { project: opened.value, cleanup: tree.cleanup };
}

describe('Project views', () => {
  it('finds workspaces (npm and pnpm) and frameworks per package', () => {
    const { project, cleanup } = open({
      'package.json': JSON.stringify({ name: 'mono', workspaces: ['apps/*'] }),
      'pnpm-workspace.yaml': 'packages:\n  - "libs/*"\n',
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { fastify: '5.0.0' } }),
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '19.0.0' }, devDependencies: { vite: '7.0.0' } }),
      'libs/shared/package.json': JSON.stringify({ name: 'shared' }),
      'tools/package.json': JSON.stringify({ name: 'tools', dependencies: { next: '15.0.0' } }),
    });
    try {
      const summary = project.packages().map((pkg) => [pkg.displayName, pkg.frameworks, pkg.isWorkspaceRoot, pkg.isWorkspaceMember]);
      expect(summary).toEqual([
        ['mono', [], true, false],
        ['api', ['fastify'], false, true],
        ['web', ['vite-spa'], false, true],
        ['shared', [], false, true],
        ['tools', ['nextjs'], false, false],
      ]);
      expect(project.packageOf('apps/api/src/server.ts')?.displayName).toBe('api');
    } finally {
      cleanup();
    }
  });

  it('notes malformed package.json, compose YAML and keeps going on a malformed Dockerfile', () => {
    const { project, cleanup } = open({
      'package.json': '{ "name": "broken", ',
      'docker-compose.yml': 'services:\n  db:\n    image: [unclosed\n',
      Dockerfile: 'FROM\nRUN\nthis is not an instruction\n',
    });
    try {
      expect(project.packages()).toEqual([]);
      expect(project.composeFiles()).toEqual([]);
      expect(project.dockerfiles()).toHaveLength(1);
      expect(project.notes.map((note) => [note.kind, note.path])).toEqual([
        ['parse-error', 'package.json'],
        ['parse-error', 'docker-compose.yml'],
      ]);
    } finally {
      cleanup();
    }
  });

  it('extracts routes across frameworks with their lines', () => {
    const { project, cleanup } = open({
      'package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.21.0' } }),
      'src/app.ts': [
        "import express from 'express';",
        'const app = express();',
        "app.get('/a', (req, res) => res.send('a'));",
        "app.route('/b').get(h).post(h);",
        "cache.get('/not-a-route');",
      ].join('\n'),
      'app/api/items/[id]/route.ts': 'export async function GET() { return Response.json({}); }',
    });
    try {
      expect(project.routes().map((route) => [route.method, route.path, route.line, route.style])).toEqual([
        ['GET', '/api/items/[id]', 1, 'next-app-route'],
        ['GET', '/a', 3, 'method-call'],
        ['GET', '/b', 4, 'route-chain'],
        ['POST', '/b', 4, 'route-chain'],
      ]);
    } finally {
      cleanup();
    }
  });

  it('drops the least recently used texts past the cache budget and reads them again, counting each file once', () => {
    const tree = makeTree({ 'a.ts': 'const a = 1;', 'b.ts': 'const b = 2;', 'c.ts': 'const c = 3;' });
    try {
      const opened = Project.open(tree.dir, { textCacheChars: 30 });
      if (!opened.ok) throw new Error(opened.error.message);
      const project = opened.value;
      expect(['a.ts', 'b.ts', 'c.ts'].map((file) => project.text(file))).toEqual(['const a = 1;', 'const b = 2;', 'const c = 3;']);
      // a.ts was dropped to make room for c.ts: the next read sees the file as it is now.
      writeFileSync(path.join(tree.dir, 'a.ts'), 'const a = 9;');
      expect(project.text('a.ts')).toBe('const a = 9;');
      expect(project.text('c.ts')).toBe('const c = 3;');
      expect(project.bytesRead).toBe(36);
    } finally {
      tree.cleanup();
    }
  });
});
