import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../src/core/report.js';
import { makeTree, parseJson, runBin } from './helpers.js';

/** A small library with one committed secret: the only critical finding any rule can make here. */
const LEAKY_APP = {
  'package.json': JSON.stringify({ name: 'leaky', version: '1.0.0' }, null, 2),
  'src/billing.ts': "export const key = 'sk_live_51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd';\n",
};
const SECRET_RULE = 'security/secret-committed';
const secretFindings = (stdout: string) => report(stdout).findings.filter((finding) => finding.ruleId === SECRET_RULE);

function report(stdout: string) {
  return reportSchema.parse(parseJson(stdout));
}

describe('shipready CLI', () => {
  it('prints help and version with exit 0', async () => {
    const help = await runBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0');
    const version = await runBin(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects an unknown command and an unknown option with one line and exit 2', async () => {
    const command = await runBin(['scna']);
    expect(command.code).toBe(2);
    expect(command.stderr.trim().split('\n')).toHaveLength(1);
    expect(command.stderr).toContain('shipready scan');
    const option = await runBin(['scan', '--frobnicate']);
    expect(option.code).toBe(2);
    expect(option.stderr.trim().split('\n')).toHaveLength(1);
    expect(option.stderr).not.toMatch(/\n\s+at /);
  });

  it('explains an option value that starts with "-" and refuses a non-Postgres --database-url, in one line with exit 2', async () => {
    const { dir, cleanup } = makeTree({ 'migrations/001_a.sql': 'CREATE TABLE a (id bigint PRIMARY KEY);\n' });
    try {
      const negative = await runBin(['migrations', dir, '--rehearse', '--rows', '-5']);
      expect(negative.code).toBe(2);
      expect(negative.stderr.trim().split('\n')).toEqual([expect.stringContaining('--rows=VALUE')]);
      const huge = await runBin(['migrations', dir, '--rehearse', '--rows', '99999999999']);
      expect(huge.code).toBe(2);
      expect(huge.stderr.trim().split('\n')).toEqual([expect.stringContaining('at most 100,000,000')]);
      const mysql = await runBin(['migrations', dir, '--rehearse', '--database-url', 'mysql://app:hunter2@127.0.0.1:3306/app']);
      expect(mysql.code).toBe(2);
      expect(mysql.stderr.trim().split('\n')).toEqual([expect.stringContaining('postgres://')]);
      expect(mysql.stderr).not.toContain('hunter2');
    } finally {
      cleanup();
    }
  });

  it('exits 2 without a stack for a missing path and for a file path', async () => {
    const missing = await runBin(['scan', 'does/not/exist']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const file = await runBin(['scan', 'package.json']);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('not a directory');
  });

  it('says there is nothing to audit in an empty folder and in a library without a server, with exit 0 and never READY', async () => {
    const trees: Array<Record<string, string>> = [{}, { 'package.json': JSON.stringify({ name: 'left-pad', main: 'index.js' }), 'index.js': 'module.exports = (s) => s;\n' }];
    for (const files of trees) {
      const tree = makeTree(files);
      try {
        const result = await runBin(['scan', tree.dir, '--format', 'json']);
        expect(result.code).toBe(0);
        const parsed = report(result.stdout);
        expect(parsed.findings).toEqual([]);
        expect(parsed.verdict).toMatchObject({ label: 'nothing-to-audit', score: null });
      } finally {
        tree.cleanup();
      }
    }
  });

  it('exits 1 on a finding at or above --fail-on, 0 below it, and masks the secret', async () => {
    const tree = makeTree(LEAKY_APP);
    try {
      const failing = await runBin(['scan', tree.dir, '--format', 'json', '--fail-on', 'critical']);
      expect(failing.code).toBe(1);
      expect(secretFindings(failing.stdout).map((finding) => [finding.ruleId, finding.location?.kind === 'file' ? `${finding.location.path}:${finding.location.line}` : ''])).toEqual([
        ['security/secret-committed', 'src/billing.ts:1'],
      ]);
      expect(failing.stdout).not.toContain('51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd');
      const text = await runBin(['scan', tree.dir]);
      expect(text.stdout).not.toContain('51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd');
      expect(text.stdout).not.toContain('\u001b[');
      const passing = await runBin(['scan', tree.dir, '--fail-on', 'none']);
      expect(passing.code).toBe(0);
    } finally {
      tree.cleanup();
    }
  });

  it('honours an inline suppression with a reason', async () => {
    const tree = makeTree({
      ...LEAKY_APP,
      'src/billing.ts': "// shipready-ignore security/secret-committed -- revoked key kept for the incident write-up\nexport const key = 'sk_live_51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd';\n",
    });
    try {
      const result = await runBin(['scan', tree.dir, '--format', 'json', '--fail-on', 'critical']);
      expect(result.code).toBe(0);
      const finding = secretFindings(result.stdout)[0];
      expect(finding?.suppression?.reason).toBe('revoked key kept for the incident write-up');
    } finally {
      tree.cleanup();
    }
  });

  it('writes a baseline that survives line shifts, and fails again only for a new finding', async () => {
    const tree = makeTree(LEAKY_APP);
    try {
      const written = await runBin(['scan', tree.dir, '--write-baseline', '--format', 'json', '--fail-on', 'critical']);
      expect(written.code).toBe(0);
      const baselineFile = path.join(tree.dir, '.shipready-baseline.json');
      expect(readFileSync(baselineFile, 'utf8')).toContain('security/secret-committed');
      const billing = path.join(tree.dir, 'src/billing.ts');
      writeFileSync(billing, `// pricing\n\n${readFileSync(billing, 'utf8')}`);
      const shifted = await runBin(['scan', tree.dir, '--baseline', baselineFile, '--format', 'json', '--fail-on', 'low']);
      expect(shifted.code).toBe(0);
      expect(report(shifted.stdout).findings.every((finding) => finding.baseline === 'unchanged')).toBe(true);
      expect(secretFindings(shifted.stdout)).toHaveLength(1);
      writeFileSync(path.join(tree.dir, 'src/new.ts'), "export const gh = 'ghp_R8tV2xK9mQ4wL7pZ3nB6cY1hJ5fD0sGa8eUi';\n");
      const added = await runBin(['scan', tree.dir, '--baseline', baselineFile, '--format', 'json', '--fail-on', 'critical']);
      expect(added.code).toBe(1);
      expect(secretFindings(added.stdout).map((finding) => finding.baseline).sort()).toEqual(['new', 'unchanged']);
    } finally {
      tree.cleanup();
    }
  });

  it('reports every config problem at once with exit 2', async () => {
    const tree = makeTree({ 'shipready.config.json': JSON.stringify({ rules: { 'security/secret-comitted': 'off' }, failOn: 'loud' }) });
    try {
      const result = await runBin(['scan', tree.dir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('did you mean "security/secret-committed"');
      expect(result.stderr).toContain('failOn:');
    } finally {
      tree.cleanup();
    }
  });

  it('reads config from package.json#shipready and YAML, and turns rules off', async () => {
    const tree = makeTree({
      ...LEAKY_APP,
      'package.json': JSON.stringify({ name: 'leaky', dependencies: { express: '4.21.0' }, shipready: { rules: { 'security/secret-committed': 'off' } } }),
    });
    try {
      const result = await runBin(['scan', tree.dir, '--format', 'json', '--fail-on', 'critical']);
      expect(result.code).toBe(0);
      expect(secretFindings(result.stdout)).toEqual([]);
      writeFileSync(path.join(tree.dir, 'shipready.config.yaml'), 'failOn: critical\nrules:\n  security/secret-committed: low\n');
      const yaml = await runBin(['scan', tree.dir, '--format', 'json']);
      expect(yaml.code).toBe(0);
      expect(secretFindings(yaml.stdout)[0]?.severity).toBe('low');
    } finally {
      tree.cleanup();
    }
  });

  it('writes the report to --output and prints the verdict on stderr', async () => {
    const tree = makeTree(LEAKY_APP);
    try {
      const out = path.join(tree.dir, 'out', 'report.sarif');
      const result = await runBin(['scan', tree.dir, '--format', 'sarif', '--output', out, '--fail-on', 'critical']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const sarif = parseJson(readFileSync(out, 'utf8'));
      expect(sarif).toMatchObject({ version: '2.1.0' });
    } finally {
      tree.cleanup();
    }
  });

  it('fails with one line, not a hang, when --output cannot be created (a directory under /proc)', async () => {
    const tree = makeTree(LEAKY_APP);
    try {
      const result = await runBin(['scan', tree.dir, '--output', '/proc/shipready-test/report.json']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('/proc/shipready-test/report.json');
    } finally {
      tree.cleanup();
    }
  });

  it('produces byte-identical output on two runs', async () => {
    const first = await runBin(['scan', 'examples/prototype-app', '--format', 'json']);
    const second = await runBin(['scan', 'examples/prototype-app', '--format', 'json']);
    expect(first.stdout).toBe(second.stdout);
    expect(first.stdout.length).toBeGreaterThan(100);
  });
});

describe('shipready scan of a sub-folder of a git repository', () => {
  it('honours the ignore file at the repository root and reports SARIF and GitHub paths from the root', async () => {
    const tree = makeTree({
      '.gitignore': '.env\n',
      'apps/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: { express: '5.1.0' } }),
      'apps/api/src/index.js': "const app = require('express')();\napp.get('/projects', (req, res) => res.json([]));\napp.listen(3000);\n",
      'apps/api/.env': 'STRIPE_SECRET_KEY=sk_live_51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd0aa\n',
    });
    try {
      execFileSync('git', ['init', '--quiet'], { cwd: tree.dir });
      execFileSync('git', ['add', '.'], { cwd: tree.dir });
      const scanned = await runBin(['scan', path.join(tree.dir, 'apps/api'), '--format', 'json', '--fail-on', 'none']);
      const parsed = report(scanned.stdout);
      expect(parsed.findings.filter((finding) => finding.location?.kind === 'file' && finding.location.path === '.env')).toEqual([]);
      expect(parsed.repositoryPath).toBe('apps/api');
      const sarif = await runBin(['scan', path.join(tree.dir, 'apps/api'), '--format', 'sarif', '--fail-on', 'none']);
      const uris = [...sarif.stdout.matchAll(/"uri": "([^"]+)"/g)].map((match) => match[1]);
      expect(uris.length).toBeGreaterThan(0);
      expect(uris.every((uri) => uri?.startsWith('apps/api/') === true || uri?.startsWith('http') === true)).toBe(true);
      const github = await runBin(['scan', path.join(tree.dir, 'apps/api'), '--format', 'github', '--fail-on', 'none']);
      expect(github.stdout).toMatch(/file=apps\/api\/src\/index\.js/);
    } finally {
      tree.cleanup();
    }
  });
});

describe('shipready scan on hostile input', () => {
  it('notes malformed, binary, over-size and looping inputs and still reports', async () => {
    const tree = makeTree({
      'package.json': '{ "name": "broken", ',
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.21.0' } }),
      'apps/api/src/server.ts': 'const = ;\nexport {',
      'docker-compose.yml': 'services:\n  db:\n    image: [unclosed\n',
      Dockerfile: 'FROM\nRUN\n\\\n',
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      'blob.dat.txt': Buffer.from([0x00, 0x01, 0x02]),
      'public/app.min.js': Buffer.alloc(20 * 1024 * 1024, 'a'),
    });
    try {
      const { symlinkSync } = await import('node:fs');
      symlinkSync(tree.dir, path.join(tree.dir, 'apps', 'loop'));
      const result = await runBin(['scan', tree.dir, '--format', 'json', '--fail-on', 'none']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const notes = report(result.stdout).notes.map((note) => note.path);
      expect(notes).toEqual(expect.arrayContaining(['package.json', 'docker-compose.yml', 'latin1.txt', 'blob.dat.txt', 'public/app.min.js']));
    } finally {
      tree.cleanup();
    }
  });
});

describe('shipready migrations --run-js', () => {
  it('captures a knex migration from the project\'s own node_modules and lints the SQL at the builder call', async () => {
    const { cpSync, mkdirSync, symlinkSync } = await import('node:fs');
    const { REPO_ROOT } = await import('./helpers.js');
    const tree = makeTree({});
    try {
      cpSync(path.join(REPO_ROOT, 'src/migrations/capture/fixtures/knex-app'), tree.dir, { recursive: true });
      // The scanned project "has knex installed": its node_modules links to the copy shipready's tests use.
      mkdirSync(path.join(tree.dir, 'node_modules'));
      symlinkSync(path.join(REPO_ROOT, 'node_modules/knex'), path.join(tree.dir, 'node_modules/knex'));
      const result = await runBin(['migrations', tree.dir, '--run-js', '--format', 'json', '--fail-on', 'none']);
      expect(result.code).toBe(0);
      const findings = report(result.stdout).findings.filter((finding) => finding.ruleId === 'migrations/adding-required-field');
      expect(findings.map((finding) => (finding.location?.kind === 'file' ? `${finding.location.path}:${finding.location.line}` : ''))).toEqual([
        'db/migrations/20240102000000_add_age.js:5',
      ]);
    } finally {
      tree.cleanup();
    }
  });
});

describe('secrets and settings at the edges of the CLI', () => {
  it('lets the configured severity win over a rule\'s per-finding severity', async () => {
    const tree = makeTree({
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }),
      '.env.production': 'SESSION_SECRET=4f9a8b2c7d1e6f3a9b8c7d2e1f4a5b6c\n',
      'shipready.config.json': JSON.stringify({ rules: { 'security/secret-committed': 'low' } }),
    });
    try {
      const result = await runBin(['scan', tree.dir, '--format', 'json', '--fail-on', 'medium']);
      const severities = secretFindings(result.stdout).map((finding) => finding.severity);
      expect(severities).toEqual(['low']);
    } finally {
      tree.cleanup();
    }
  });

  it('never echoes a secret from a probe target in its error line', async () => {
    const token = 'Zx9kQ2mN7pL4vB8wT6';
    const result = await runBin(['probe', `ftp://admin:${token}@127.0.0.1/`]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain(token);
    const unreachable = await runBin(['probe', `http://127.0.0.1:9/?token=${token}`, '--timeout', '2']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr + unreachable.stdout).not.toContain(token);
  });

  it('writes the --ports table to --output like any report', async () => {
    const tree = makeTree({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n' });
    try {
      const out = path.join(tree.dir, 'ports.txt');
      const result = await runBin(['scan', tree.dir, '--ports', '--output', out]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toContain('8080');
    } finally {
      tree.cleanup();
    }
  });
});
