// Runs one migrations job in a fresh process so its peak RSS is measured alone; prints a JSON line.
//   node bench/migrations-child.mjs lint <root>
//   node bench/migrations-child.mjs rehearse <root> <rows>
// SHIPREADY_DIST points at another build (default ../dist).
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';

const dist = process.env.SHIPREADY_DIST ?? path.join(import.meta.dirname, '..', 'dist');
const { lintMigrations, listMigrations, rehearseMigrations } = await import(pathToFileURL(path.join(dist, 'migrations', 'index.js')).href);
const [mode, root, rows] = process.argv.slice(2);
const started = performance.now();
let summary;
if (mode === 'lint') {
  // Every finding of every file, as squawk reports them: the comparison is of the linter, not of the history summary.
  const result = await lintMigrations(root, { pgVersion: 16, allMigrations: true });
  if (!result.ok) throw new Error(result.error.message);
  summary = { statements: result.value.stats.statements, findings: result.value.findings.length };
} else {
  const sets = listMigrations(root);
  if (!sets.ok) throw new Error(sets.error.message);
  const result = await rehearseMigrations(sets.value, { rows: Number(rows), onProgress: (line) => process.stderr.write(`${line}\n`) });
  if (!result.ok) throw new Error(result.error.message);
  summary = { migrations: result.value.stats.rehearsedMigrations, findings: result.value.findings.length, failed: result.value.runs.filter((run) => run.error !== undefined).length };
}
console.log(JSON.stringify({ durationMs: performance.now() - started, maxRssBytes: process.resourceUsage().maxRSS * 1024, ...summary }));
