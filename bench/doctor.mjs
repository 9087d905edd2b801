// `npm run bench` part: wall time of `shipready doctor` over a healthy local stack (a PostgreSQL server and an
// HTTP API with a health route, both on 127.0.0.1). Target: under 2 s. Uses SHIPREADY_TEST_DATABASE_URL when set,
// else starts a throwaway server with .ci/postgres.sh (and stops it).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'shipready.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

let databaseUrl = process.env.SHIPREADY_TEST_DATABASE_URL;
let started = false;
if (databaseUrl === undefined || databaseUrl === '') {
  const exported = execFileSync(path.join(ROOT, '.ci', 'postgres.sh'), ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  databaseUrl = /SHIPREADY_TEST_DATABASE_URL=(\S+)/.exec(exported)?.[1];
  started = true;
}
const server = http.createServer((request, response) => {
  response.statusCode = request.url === '/healthz' ? 200 : 404;
  response.setHeader('content-type', 'application/json');
  response.end('{"status":"ok"}');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const api = `http://127.0.0.1:${server.address().port}/`;
const folder = mkdtempSync(path.join(tmpdir(), 'shipready-bench-doctor-'));
const times = [];
try {
  for (let run = 0; run < RUNS; run += 1) {
    const begin = performance.now();
    // Async so this process keeps serving the API while doctor asks it.
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'doctor', folder, '--url', `DATABASE_URL=${databaseUrl}`, '--url', `API_URL=${api}`], { stdio: 'ignore' });
      child.on('exit', resolve);
    });
    times.push(performance.now() - begin);
    if (code !== 0) throw new Error(`doctor exited ${code} on a healthy stack`);
  }
} finally {
  server.close();
  rmSync(folder, { recursive: true, force: true });
  if (started) spawnSync(path.join(ROOT, '.ci', 'postgres.sh'), ['stop'], { stdio: 'ignore' });
}
const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
console.log(`doctor over a healthy stack (PostgreSQL + HTTP API), median of ${RUNS}: ${Math.round(median)} ms wall (runs: ${times.map((ms) => Math.round(ms)).join(', ')})`);
console.log(`target under 2000 ms: ${median < 2000 ? 'met' : 'NOT MET'}`);
if (median >= 2000) process.exitCode = 1;

