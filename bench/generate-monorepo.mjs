// Generates a deterministic synthetic monorepo for the scan benchmark: TS sources, package.jsons,
// Dockerfiles, compose files, SQL and Markdown, with a few planted secrets so grep-style tools match.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['project', 'user', 'invoice', 'order', 'session', 'team', 'billing', 'report', 'audit', 'search'];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function routeFile(random, index) {
  const entity = pick(random, WORDS);
  const lines = [
    "import { Router } from 'express';",
    "import { z } from 'zod';",
    `import { db } from '../db/client.js';`,
    '',
    'const idParams = z.object({ id: z.string().uuid() });',
    `const ${entity}Body = z.object({ name: z.string().min(1), count: z.number().int() });`,
    '',
    'export const router = Router();',
    '',
  ];
  for (let route = 0; route < 4; route++) {
    lines.push(
      `router.get('/${entity}s/${index}-${route}/:id', async (req, res, next) => {`,
      '  try {',
      '    const { id } = idParams.parse(req.params);',
      `    const row = await db.query('SELECT * FROM ${entity}s WHERE id = $1', [id]);`,
      `    res.json({ ${entity}: row.rows[0] ?? null });`,
      '  } catch (error) {',
      '    next(error);',
      '  }',
      '});',
      '',
    );
  }
  return lines.join('\n');
}

function moduleFile(random, index) {
  const entity = pick(random, WORDS);
  const lines = [`import type { ${entity[0].toUpperCase()}${entity.slice(1)} } from '../types/${entity}.js';`, ''];
  for (let helper = 0; helper < 14; helper++) {
    lines.push(
      `export function ${entity}Helper${index}x${helper}(input: string, limit = ${Math.floor(random() * 100)}): string {`,
      `  const trimmed = input.trim().toLowerCase();`,
      `  return trimmed.length > limit ? trimmed.slice(0, limit) : trimmed + '-${helper}';`,
      '}',
      '',
    );
  }
  return lines.join('\n');
}

function componentFile(random, index) {
  const entity = pick(random, WORDS);
  const name = `${entity[0].toUpperCase()}${entity.slice(1)}Card${index}`;
  return [
    "import { useState } from 'react';",
    '',
    `export function ${name}({ title, items }: { title: string; items: string[] }) {`,
    '  const [open, setOpen] = useState(false);',
    '  return (',
    `    <section className="${entity}-card">`,
    '      <h2 onClick={() => setOpen(!open)}>{title}</h2>',
    '      {open && <ul>{items.map((item) => <li key={item}>{item}</li>)}</ul>}',
    '    </section>',
    '  );',
    '}',
    '',
  ].join('\n');
}

function testFile(random, index) {
  const entity = pick(random, WORDS);
  return [
    "import { describe, expect, it } from 'vitest';",
    `import { ${entity}Helper${index}x0 } from '../src/lib/module-${index}.js';`,
    '',
    `describe('${entity}', () => {`,
    "  it('trims', () => {",
    `    expect(${entity}Helper${index}x0('  A ')).toBe('a-0');`,
    '  });',
    '});',
    '',
  ].join('\n');
}

const SERVER = `import express from 'express';
import helmet from 'helmet';
import rateLimit from 'express-rate-limit';
import pino from 'pino-http';
import { router } from './routes/route-0.js';

const app = express();
app.use(helmet());
app.use(pino());
app.use(rateLimit({ windowMs: 60_000, limit: 300 }));
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.use(router);
app.use((error, _req, res, _next) => res.status(500).json({ error: 'internal' }));
const server = app.listen(3000);
process.on('SIGTERM', () => server.close());
`;

const PACKAGE_FILES = 200;

/**
 * Writes `packages × 200` files (plus root files) under `dir`; returns the file count. The mix follows a
 * typical product monorepo: every package has TS sources, tests, docs, SQL and config; 40% are HTTP
 * services (routes, Dockerfile, compose), 30% React front ends (components), 30% libraries.
 */
export function generateMonorepo(dir, { packages = 100, seed = 42 } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const random = prng(seed);
  let count = 0;
  const write = (relative, content) => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    count += 1;
  };
  write('package.json', JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['packages/*'] }, null, 2));
  write('.gitignore', 'node_modules/\ndist/\n');
  write('README.md', '# Bench monorepo\n\n## Deploy\n\n## Rollback\n\n## Restart\n');
  for (let pkg = 0; pkg < packages; pkg++) {
    const kind = pkg % 10 < 4 ? 'service' : pkg % 10 < 7 ? 'frontend' : 'library';
    const base = `packages/${kind}-${String(pkg).padStart(3, '0')}`;
    let written = 0;
    const add = (relative, content) => {
      write(`${base}/${relative}`, content);
      written += 1;
    };
    const dependencies =
      kind === 'service'
        ? { express: '4.21.2', zod: '3.24.1', pg: '8.13.1', helmet: '8.0.0', 'express-rate-limit': '7.5.0', 'pino-http': '10.4.0' }
        : kind === 'frontend'
          ? { react: '19.0.0', 'react-dom': '19.0.0', vite: '6.0.7' }
          : { zod: '3.24.1' };
    add('package.json', JSON.stringify({ name: `@bench/${kind}-${pkg}`, version: '1.0.0', dependencies }, null, 2));
    add('tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { outDir: 'dist' } }, null, 2));
    add('README.md', `# Package ${pkg}\n\n## Setup\n\nRun \`npm ci\`.\n\n${'Lorem ipsum dolor sit amet. '.repeat(40)}\n`);
    add('docs/design.md', `# Design of package ${pkg}\n\n${'The module keeps state in Postgres and exposes a small API. '.repeat(30)}\n`);
    for (let migration = 0; migration < 5; migration++) {
      add(`migrations/${String(migration).padStart(4, '0')}_step.sql`, `CREATE TABLE t_${pkg}_${migration} (id bigint PRIMARY KEY, name text NOT NULL);\n`);
    }
    if (pkg % 25 === 0) add('src/config.ts', `export const stripeKey = 'sk_live_${'51NzQ8rKp3Lm7Tw2Vx9Yb4Hc'}${String(pkg).padStart(4, '0')}';\n`);
    if (kind === 'service') {
      add('Dockerfile', 'FROM node:20.19-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nHEALTHCHECK CMD curl -f http://localhost:3000/healthz\nCMD ["node", "dist/server.js"]\n');
      add('docker-compose.yml', `services:\n  app:\n    build: .\n    ports:\n      - "${3000 + pkg}:3000"\n  db:\n    image: postgres:16\n    volumes:\n      - data:/var/lib/postgresql/data\nvolumes:\n  data:\n`);
      add('src/server.ts', SERVER);
      for (let route = 0; route < 20; route++) add(`src/routes/route-${route}.ts`, routeFile(random, route));
    }
    if (kind === 'frontend') {
      for (let component = 0; component < 80; component++) add(`src/components/card-${component}.tsx`, componentFile(random, component));
      for (let style = 0; style < 20; style++) add(`src/styles/card-${style}.css`, `.card-${style} { display: grid; gap: ${style}px; }\n`);
    }
    let index = 0;
    while (written < PACKAGE_FILES - 40) add(`src/lib/module-${index}.ts`, moduleFile(random, index++));
    for (let test = 0; written < PACKAGE_FILES; test++) add(`test/module-${test}.test.ts`, testFile(random, test));
  }
  return count;
}
