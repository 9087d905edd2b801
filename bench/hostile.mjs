// Cost of hostile input (issue 16): a scan of a tree holding a 1 MiB minified bundle of fetch calls, a 20 MiB SQL
// migration and 100,000 tiny files, then of the same tree at twice the size (2 MiB, 40 MiB, 200,000 files). Prints
// time and peak RSS of each, the 2×/1× ratios (linear growth is ≈ 2), and whether the scan fits a 1 GiB heap
// (it runs again under --max-old-space-size=1024: an out-of-memory there is a failure, not a slow run).
// --max-file-size is 64 MiB so that the bundle and the SQL file are read at both sizes.
//
//   node bench/hostile.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_FILE_SIZE = String(64 * 1024 * 1024);
const HEAP_LIMIT_MB = 1024;

function minifiedBundle(bytes) {
  const parts = ['!function(){'];
  let length = parts[0].length;
  for (let index = 0; length < bytes - 4; index++) {
    const part = `function f${index}(a){return fetch("/api/v"+a+"/x${index}",{method:"POST"}).then(function(r){return r.json()})}`;
    parts.push(part);
    length += part.length;
  }
  parts.push('}();');
  return parts.join('');
}

function sqlMigration(bytes) {
  const statements = [];
  let length = 0;
  for (let index = 0; length < bytes; index++) {
    const statement = index % 3 === 0 ? `CREATE TABLE t${index} (id bigint PRIMARY KEY, name text NOT NULL);\n` : index % 3 === 1 ? `ALTER TABLE t${index - 1} ADD COLUMN c${index} int;\n` : `CREATE INDEX i${index} ON t${index - 2} (name);\n`;
    statements.push(statement);
    length += statement.length;
  }
  return statements.join('');
}

/** Deterministic; regenerated only when missing (the 200,000-file tree takes a while to write). */
function generate(dir, scale) {
  const marker = path.join(dir, '.generated');
  if (existsSync(marker)) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  mkdirSync(path.join(dir, 'migrations'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: { express: '4.21.0', pg: '8.13.0' } }));
  writeFileSync(path.join(dir, 'src', 'index.js'), "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(3000);\n");
  writeFileSync(path.join(dir, 'src', 'vendor-bundle.js'), minifiedBundle(scale * 1024 * 1024));
  writeFileSync(path.join(dir, 'migrations', '001_schema.sql'), sqlMigration(scale * 20 * 1024 * 1024));
  const files = scale * 100_000;
  for (let index = 0; index < files; index++) {
    const folder = path.join(dir, 'assets', `d${Math.floor(index / 1000)}`);
    if (index % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `f${index}.txt`), `${index}\n`);
  }
  writeFileSync(marker, '');
}

function measure(dir, extraNodeFlags = []) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...extraNodeFlags, path.join(ROOT, 'bench', 'scan-child.mjs'), dir, 'all'], { encoding: 'utf8', env: { ...process.env, BENCH_MAX_FILE_SIZE: MAX_FILE_SIZE }, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (result.status !== 0) return { ok: false, wallMs, error: (result.stderr.split('\n').find((line) => /heap|error/i.test(line)) ?? result.stderr.slice(0, 200)).trim() };
  return { ok: true, wallMs, ...JSON.parse(result.stdout) };
}

export function runHostileBenchmark() {
  const sizes = [1, 2].map((scale) => ({ scale, dir: path.join(ROOT, '.bench', `hostile-${scale}x`) }));
  for (const { dir, scale } of sizes) generate(dir, scale);
  const rows = sizes.map(({ scale, dir }) => ({ scale, ...measure(dir) }));
  for (const row of rows) {
    if (!row.ok) {
      console.log(`hostile ${row.scale}×: FAILED (${row.error})`);
      continue;
    }
    console.log(`hostile ${row.scale}× (${row.scale} MiB bundle, ${row.scale * 20} MiB SQL, ${row.files} files): ${(row.wallMs / 1000).toFixed(2)} s wall, peak RSS ${(row.maxRssBytes / (1024 * 1024)).toFixed(0)} MiB, ${row.findings} findings`);
  }
  const [one, two] = rows;
  if (one?.ok && two?.ok) {
    console.log(`  2×/1×: time ${(two.wallMs / one.wallMs).toFixed(2)}, peak RSS ${(two.maxRssBytes / one.maxRssBytes).toFixed(2)} (linear growth is at most 2)`);
  }
  const capped = measure(sizes[1].dir, [`--max-old-space-size=${HEAP_LIMIT_MB}`]);
  const peak = Math.max(...rows.filter((row) => row.ok).map((row) => row.maxRssBytes)) / (1024 * 1024);
  console.log(`  the 2× scan under a ${HEAP_LIMIT_MB} MiB heap: ${capped.ok ? `completed in ${(capped.wallMs / 1000).toFixed(2)} s` : `FAILED (${capped.error})`}`);
  console.log(`  target: peak RSS < 1024 MiB and a 1 GiB heap suffices → ${capped.ok && peak < 1024 ? 'met' : 'NOT MET'}`);
  return { rows, capped };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Fails loudly when the build is missing, as the other benchmarks do.
  execFileSync(process.execPath, ['-e', `import(${JSON.stringify(path.join(ROOT, 'dist', 'scan.js'))})`]);
  runHostileBenchmark();
}
