// `scan` must never load the rehearsal (PGlite, pg, the database code): they load only on `migrations --rehearse`.
// Each run records every module Node resolves through a resolve hook (which worker threads inherit via --import).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.SHIPREADY_MODULE_LOG, result.url + '\\n');
  return result;
}
`;
const REGISTER = "import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n";

/** What a rehearsal loads and a scan must not. */
const REHEARSAL = [/\/node_modules\/@electric-sql\//, /\/node_modules\/pg\//, /\/dist\/migrations\/rehearse\/(index|database)\.js$/];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shipready-graph-'));
  writeFileSync(path.join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(path.join(dir, 'register.mjs'), REGISTER);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs node with the hook and returns every resolved module URL. */
function loadedBy(args: readonly string[], name: string): Promise<string[]> {
  const log = path.join(dir, `${name}.log`);
  writeFileSync(log, '');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', SHIPREADY_MODULE_LOG: log } }, (error) => {
      // scan exits 1 on the prototype app's findings; anything else is a failure to run.
      if (error !== null && error.code !== 1) reject(error);
      else resolve([...new Set(readFileSync(log, 'utf8').split('\n').filter((line) => line !== ''))]);
    });
  });
}

const library = (call: string): string[] => ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist/index.js')).href)}); ${call}`];

describe('the module graph of scan', () => {
  it('the library: scan() loads no rehearsal module, rehearseMigrations() does (so the check sees them)', async () => {
    const scanned = await loadedBy(library("const r = await m.scan('examples/prototype-app'); if (!r.ok) process.exit(2);"), 'library-scan');
    expect(scanned.some((url) => url.endsWith('/dist/scan.js'))).toBe(true);
    expect(scanned.filter((url) => REHEARSAL.some((pattern) => pattern.test(url)))).toEqual([]);
    const rehearsed = await loadedBy(library('const r = await m.rehearseMigrations([]); if (!r.ok) process.exit(2);'), 'library-rehearse');
    expect(rehearsed.filter((url) => REHEARSAL.some((pattern) => pattern.test(url))).length).toBeGreaterThan(0);
  });

  it('the CLI: `shipready scan` loads no bundle chunk with the rehearsal and no database driver', async () => {
    const loaded = await loadedBy([path.join(REPO_ROOT, 'bin/shipready.js'), 'scan', 'examples/prototype-app', '--format', 'json'], 'cli-scan');
    const chunks = loaded.filter((url) => url.includes('/dist/bundle/'));
    expect(chunks.length).toBeGreaterThan(3);
    expect(loaded.filter((url) => REHEARSAL.some((pattern) => pattern.test(url)))).toEqual([]);
    // The rehearsal is its own chunk (rolldown splits at the dynamic import); openPglite is defined only there.
    expect(chunks.filter((url) => readFileSync(fileURLToPath(url), 'utf8').includes('async function openPglite('))).toEqual([]);
  });
});
