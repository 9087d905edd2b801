// The package as npm would publish it: its file list, and consumers that require() and import it from the tarball.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { REPO_ROOT } from './helpers.js';

const packSchema = z.array(z.object({ filename: z.string(), size: z.number(), unpackedSize: z.number(), files: z.array(z.object({ path: z.string() })) }));
const manifestSchema = z.object({ dependencies: z.record(z.string(), z.string()) });

/** `npm pack --json`; scripts are skipped because the suite runs after `npm run build` and `prepare` would rebuild. */
function pack(extra: readonly string[]): z.infer<typeof packSchema>[number] {
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--silent', ...extra], { cwd: REPO_ROOT, encoding: 'utf8' });
  const [entry] = packSchema.parse(JSON.parse(out));
  if (entry === undefined) throw new Error('npm pack listed nothing');
  return entry;
}

/** The public API a consumer relies on, checked the same way from CommonJS and from ESM. */
const API_CHECK = `
const names = ['scan', 'probe', 'listMigrations', 'lintMigrations', 'rehearseMigrations', 'renderReport', 'isReportFormat', 'defineRule', 'defineScanRule', 'ok', 'err'];
const missing = names.filter((name) => typeof api[name] !== 'function');
if (missing.length > 0) throw new Error('missing: ' + missing.join(', '));
if (!api.REPORT_FORMATS.includes('junit') || typeof api.reportSchema.parse !== 'function') throw new Error('formats or schema missing');
`;

describe('the published package', () => {
  let dir: string;
  let consumer: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'shipready-pack-'));
    const tarball = path.join(dir, pack(['--pack-destination', dir]).filename);
    // The tarball's own files, unpacked where npm would put them. The registry is not used: the dependencies are
    // linked from this checkout's node_modules (an offline `npm install` of the tarball needs registry metadata the
    // cache of `npm ci` does not hold; the benchmark does the real install).
    consumer = path.join(dir, 'consumer');
    mkdirSync(path.join(consumer, 'node_modules'), { recursive: true });
    writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    execFileSync('tar', ['-xzf', tarball, '-C', path.join(consumer, 'node_modules')]);
    renameSync(path.join(consumer, 'node_modules', 'package'), path.join(consumer, 'node_modules', 'shipready'));
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')));
    for (const name of Object.keys(manifest.dependencies)) {
      const link = path.join(consumer, 'node_modules', name);
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.join(REPO_ROOT, 'node_modules', name), link);
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the build, the docs, LICENSE and README, and no source maps, sources, tests or fixtures', () => {
    const files = pack(['--dry-run']).files.map((file) => file.path);
    for (const required of ['LICENSE', 'README.md', 'package.json', 'bin/shipready.js', 'bin/cli-thread.js', 'dist/index.js', 'dist/index.d.ts', 'dist/bundle/cli.js', 'docs/report.schema.json']) {
      expect(files).toContain(required);
    }
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => /(^|\/)(fixtures?|__snapshots__)\/|\.test\.|^(src|test|examples|bench|scripts)\//.test(file))).toEqual([]);
    expect(readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} shipready contributors\n/);
  });

  it('works with require() from CommonJS, with package.json and the report schema as subpaths', () => {
    const script = `const api = require('shipready');${API_CHECK}
const schema = require('shipready/report.schema.json');
console.log(JSON.stringify({ version: require('shipready/package.json').version, schema: schema.title }));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ version: '0.1.0', schema: 'shipready report' });
  });

  it('works with import from an .mjs file, and scans an example through the library', () => {
    const example = JSON.stringify(path.join(REPO_ROOT, 'examples/production-app'));
    writeFileSync(
      path.join(consumer, 'consumer.mjs'),
      `import * as api from 'shipready';${API_CHECK}
const result = await api.scan(${example});
if (!result.ok) throw new Error(result.error.message);
console.log(JSON.stringify({ label: result.value.verdict.label, junit: api.renderReport(result.value, 'junit', { color: false }).startsWith('<?xml') }));`,
    );
    const out = execFileSync(process.execPath, ['consumer.mjs'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ label: 'ready', junit: true });
  });

  it('runs its CLI from the unpacked files', () => {
    const bin = path.join(consumer, 'node_modules', 'shipready', 'bin', 'shipready.js');
    expect(execFileSync(process.execPath, [bin, '--version'], { cwd: consumer, encoding: 'utf8' })).toBe('0.1.0\n');
    const out = execFileSync(process.execPath, [bin, 'scan', path.join(REPO_ROOT, 'examples/production-app'), '--format', 'json'], { cwd: consumer, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(z.object({ verdict: z.object({ label: z.string() }) }).parse(JSON.parse(out)).verdict.label).toBe('ready');
  });
});
