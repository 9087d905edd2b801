// `npm run bench`: every benchmark in one run. Never part of `npm test`.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = ['scan.mjs', 'hostile.mjs', 'migrations.mjs', 'probe.mjs', 'doctor.mjs', 'smoke.mjs', 'package.mjs'];
let failed = false;
for (const bench of benches) {
  const file = fileURLToPath(new URL(bench, import.meta.url));
  if (!existsSync(file)) continue;
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
