#!/usr/bin/env node
// The registry these machines reach answers 404 for other platforms' builds of packages such as
// oxc-parser and rollup, so `npm install` leaves them out of package-lock.json, and `npm ci` then
// refuses the lockfile ("Missing: … from lock file") on every machine. This adds an entry per missing
// optional dependency with its exact version and the os/cpu/libc its name encodes; npm skips it on
// other platforms and fetches it (adding integrity) on the matching one.
// Usage: node scripts/complete-lockfile.mjs [package-lock.json …]   (run after every lockfile change)
import { readFileSync, writeFileSync } from 'node:fs';

const OSES = new Set(['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'netbsd', 'sunos', 'aix']);
const CPUS = new Set(['arm', 'arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el']);

/** The platform fields npm uses to skip a package, read from its name (e.g. `binding-linux-x64-musl`). */
export function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  if (parts.slice(-2).join('-') === 'wasm32-wasi') return { cpu: ['wasm32'] };
  for (let index = 0; index < parts.length - 1; index++) {
    if (OSES.has(parts[index]) && CPUS.has(parts[index + 1])) {
      const entry = { os: [parts[index]], cpu: [parts[index + 1]] };
      const abi = parts[index + 2] ?? '';
      if (parts[index] === 'linux' && abi !== '') entry.libc = [abi.startsWith('musl') ? 'musl' : 'glibc'];
      return entry;
    }
  }
  return undefined;
}

/** Optional dependencies the lockfile names but has no entry for: what `npm ci` rejects. */
export function missingOptionalDependencies(lock) {
  const packages = lock.packages ?? {};
  const missing = [];
  for (const [key, pkg] of Object.entries(packages)) {
    for (const [dependency, version] of Object.entries(pkg.optionalDependencies ?? {})) {
      if (`node_modules/${dependency}` in packages || `${key}/node_modules/${dependency}` in packages) continue;
      missing.push({ dependency, version, dev: pkg.dev === true });
    }
  }
  return missing;
}

export function completeLockfile(lock) {
  const packages = { ...lock.packages };
  const skipped = [];
  let added = 0;
  for (const { dependency, version, dev } of missingOptionalDependencies(lock)) {
    const platform = platformOf(dependency);
    if (platform === undefined || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
      skipped.push(`${dependency}@${version}`);
      continue;
    }
    const entry = { version, ...(dev ? { dev: true } : {}), ...platform, optional: true };
    packages[`node_modules/${dependency}`] = Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : 1)));
    added += 1;
  }
  const sorted = Object.fromEntries(Object.keys(packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)).map((key) => [key, packages[key]]));
  return { lock: { ...lock, packages: sorted }, added, skipped };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : ['package-lock.json'];
  for (const file of files) {
    const { lock, added, skipped } = completeLockfile(JSON.parse(readFileSync(file, 'utf8')));
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
    console.log(`${file}: added ${added}; could not complete: ${skipped.length === 0 ? 'none' : skipped.join(', ')}`);
  }
}
