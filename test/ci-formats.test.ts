// The CI formats (junit, gitlab) from the built binary, for every command that takes --format, and paths from the
// git root when a sub-folder is scanned.
import { execFileSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTree, parseJson, runBin } from './helpers.js';
import { spaHandler, startServer, type TestServer } from './probe/servers.js';
import { compileCodeQualitySchema, validateJunit } from './schemas/validate.js';

interface Issue {
  readonly check_name: string;
  readonly fingerprint: string;
  readonly location: { readonly path: string; readonly lines: { readonly begin: number } };
}

/** Parses and schema-checks Code Quality output, so every test below also validates what it reads. */
function codeQuality(stdout: string): Issue[] {
  const parsed = parseJson(stdout);
  const validate = compileCodeQualitySchema();
  expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
  return Array.isArray(parsed) ? parsed : [];
}

async function junit(stdout: string): Promise<string> {
  const outcome = await validateJunit(stdout);
  expect(outcome.errors).toEqual([]);
  return stdout;
}

/** A git repository whose app lives in apps/api: a server without a health route, a committed key, a migration. */
function monorepo(): ReturnType<typeof makeTree> {
  const tree = makeTree({
    'apps/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: { express: '5.1.0' } }),
    'apps/api/src/index.js': "const app = require('express')();\napp.get('/projects', (req, res) => res.json([]));\napp.listen(3000);\n",
    'apps/api/migrations/001_index.sql': 'CREATE INDEX projects_owner ON projects (owner_id);\n',
  });
  execFileSync('git', ['init', '--quiet'], { cwd: tree.dir });
  execFileSync('git', ['add', '.'], { cwd: tree.dir });
  return tree;
}

describe('--format junit and gitlab on scan and migrations of a sub-folder', () => {
  let tree: ReturnType<typeof makeTree>;
  beforeAll(() => {
    tree = monorepo();
  });
  afterAll(() => tree.cleanup());

  it('scan: valid JUnit with failing tests at the threshold, and Code Quality paths from the git root', async () => {
    const xml = await runBin(['scan', path.join(tree.dir, 'apps/api'), '--format', 'junit']);
    expect(xml.code).toBe(1);
    expect(await junit(xml.stdout)).toMatch(/<testcase classname="reliability\/health-endpoint" name="apps\/api\/src\/index\.js:3:\d+: [^"]*">\n\s*<failure type="high"/);
    const relaxed = await runBin(['scan', path.join(tree.dir, 'apps/api'), '--format', 'junit', '--fail-on', 'none']);
    expect(relaxed.code).toBe(0);
    expect(await junit(relaxed.stdout)).not.toMatch(/<failure type="(critical|high|medium|low|info)"/);
    const gitlab = await runBin(['scan', path.join(tree.dir, 'apps/api'), '--format', 'gitlab', '--fail-on', 'none']);
    const issues = codeQuality(gitlab.stdout);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((issue) => issue.location.path.startsWith('apps/api/') || issue.location.path === 'apps/api')).toBe(true);
    const again = codeQuality((await runBin(['scan', path.join(tree.dir, 'apps/api'), '--format', 'gitlab', '--fail-on', 'none'])).stdout);
    expect(again.map((issue) => issue.fingerprint)).toEqual(issues.map((issue) => issue.fingerprint));
  });

  it('migrations: SARIF, GitHub and GitLab paths from the git root as well', async () => {
    const folder = path.join(tree.dir, 'apps/api');
    const gitlab = codeQuality((await runBin(['migrations', folder, '--format', 'gitlab', '--fail-on', 'none'])).stdout);
    expect(gitlab.map((issue) => issue.location.path)).toContain('apps/api/migrations/001_index.sql');
    const sarif = await runBin(['migrations', folder, '--format', 'sarif', '--fail-on', 'none']);
    expect(sarif.stdout).toContain('"uri": "apps/api/migrations/001_index.sql"');
    const github = await runBin(['migrations', folder, '--format', 'github', '--fail-on', 'none']);
    expect(github.stdout).toContain('file=apps/api/migrations/001_index.sql,');
    const xml = await runBin(['migrations', folder, '--format', 'junit', '--fail-on', 'none']);
    expect(await junit(xml.stdout)).toContain('name="apps/api/migrations/001_index.sql:1');
  });
});

describe('--format junit and gitlab on doctor and probe', () => {
  let closedPort: number;
  let server: TestServer;
  beforeAll(async () => {
    const closed = net.createServer();
    closedPort = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as net.AddressInfo).port)));
    closed.close();
    server = await startServer(spaHandler);
  });
  afterAll(() => server.close());

  it('doctor: the failing layer is a failing test and a Code Quality issue at its URL', async () => {
    const tree = makeTree({ 'README.md': '# app\n' });
    try {
      const env = { SHIPREADY_TEST_DATABASE_URL: '', DATABASE_URL: '', REDIS_URL: '' };
      const args = ['doctor', tree.dir, '--url', `REDIS_URL=redis://127.0.0.1:${closedPort}`];
      const xml = await runBin([...args, '--format', 'junit'], { env });
      expect(xml.code).toBe(1);
      expect(await junit(xml.stdout)).toMatch(/<testcase classname="doctor\/tcp" name="redis:\/\/127\.0\.0\.1:\d+[^"]*">\n\s*<failure type="high"/);
      const issues = codeQuality((await runBin([...args, '--format', 'gitlab'], { env })).stdout);
      expect(issues.map((issue) => [issue.check_name, issue.location.path])).toEqual([['doctor/tcp', `redis://127.0.0.1:${closedPort}`]]);
    } finally {
      tree.cleanup();
    }
  });

  it('probe: valid JUnit and Code Quality for a live target', async () => {
    const xml = await runBin(['probe', server.url, '--format', 'junit', '--fail-on', 'none']);
    expect(xml.code).toBe(0);
    expect(await junit(xml.stdout)).toContain('<testsuites name="shipready probe"');
    const issues = codeQuality((await runBin(['probe', server.url, '--format', 'gitlab', '--fail-on', 'none'])).stdout);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((issue) => issue.location.path.startsWith('http://127.0.0.1:'))).toBe(true);
  });
});
