// `npm run bench` part: the package as users get it. Packed size (`npm pack`), installed size (the tarball
// installed into an empty folder with its dependencies), and the time of a cold `npx shipready scan examples`
// from that tarball (npx has never run this tarball, so it installs it first). Target: the cold run under 5 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = path.join(ROOT, 'examples');
const COLD_TARGET_MS = 5_000;

/** Bytes of every regular file below `dir` (links are not followed: npm links `.bin` entries). */
function treeBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(file);
    else if (entry.isFile()) total += lstatSync(file).size;
  }
  return total;
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const npm = (args, cwd) => spawnSync('npm', args, { cwd, encoding: 'utf8' });

const work = mkdtempSync(path.join(tmpdir(), 'shipready-bench-package-'));
let failed = false;
try {
  // Scripts skipped: `npm run bench` has just built, and `prepare` would build again inside the timing.
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }));
  const tarball = path.join(work, packed.filename);
  console.log(`packed: ${mb(packed.size)} (${packed.size} bytes), ${packed.entryCount} files, ${mb(packed.unpackedSize)} unpacked`);

  const install = path.join(work, 'install');
  execFileSync('mkdir', ['-p', install]);
  writeFileSync(path.join(install, 'package.json'), '{"name":"bench-install","private":true}\n');
  const flags = ['install', '--no-audit', '--no-fund', '--no-save', tarball];
  // The cache of `npm ci` holds the dependencies' tarballs but not always the registry metadata that resolving them
  // needs; then npm may ask the registry for that metadata only (--prefer-offline).
  let installed = npm([...flags, '--offline'], install);
  let mode = 'offline';
  if (installed.status !== 0) {
    installed = npm([...flags, '--prefer-offline'], install);
    mode = 'prefer-offline';
  }
  if (installed.status !== 0) throw new Error(`npm install of the tarball failed:\n${installed.stderr}`);
  const modules = path.join(install, 'node_modules');
  console.log(`installed (${mode}): ${mb(treeBytes(modules))} in node_modules, shipready itself ${mb(treeBytes(path.join(modules, 'shipready')))}`);

  // npx keys its installs by the package spec: this run's tarball path is new, so the first run is cold.
  const npxArgs = ['--yes', '--prefer-offline', `--package=${tarball}`, '--', 'shipready', 'scan', EXAMPLES, '--format', 'json', '--output', path.join(work, 'report.json')];
  const times = [];
  for (const run of ['cold', 'warm']) {
    const begin = performance.now();
    const result = spawnSync('npx', npxArgs, { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    times.push(performance.now() - begin);
    // The prototype app is not ready, so the scan exits 1; 2 would be an error.
    if (result.status !== 0 && result.status !== 1) throw new Error(`npx shipready (${run}) exited ${result.status}:\n${result.stderr}`);
  }
  const [cold, warm] = times;
  console.log(`npx shipready scan examples from the tarball: cold ${(cold / 1000).toFixed(2)} s, again ${(warm / 1000).toFixed(2)} s (target: cold < ${COLD_TARGET_MS / 1000} s — ${cold < COLD_TARGET_MS ? 'met' : 'NOT met'})`);
  console.log(`  command: npx ${npxArgs.join(' ').replaceAll(work, '$TMP').replace(EXAMPLES, 'examples')}`);
  // The way a linter runs in a project that has it as a dev dependency: npx finds the installed bin, installs nothing.
  const local = ['--no-install', 'shipready', 'scan', EXAMPLES, '--format', 'json', '--output', path.join(work, 'report.json')];
  const localTimes = [];
  for (let run = 0; run < 2; run += 1) {
    const begin = performance.now();
    const result = spawnSync('npx', local, { cwd: install, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    localTimes.push(performance.now() - begin);
    if (result.status !== 0 && result.status !== 1) throw new Error(`npx shipready (installed) exited ${result.status}:\n${result.stderr}`);
  }
  console.log(`npx shipready scan examples, installed in the project: first ${(localTimes[0] / 1000).toFixed(2)} s, again ${(localTimes[1] / 1000).toFixed(2)} s`);
  failed = cold >= COLD_TARGET_MS;
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
