// Times a default `probe` (default budget: 100 requests max, 4 concurrent, ~10/s) of a loopback
// deployment this script starts: an SPA with hashed assets, a health endpoint and a catch-all.
// Target: under 5 s. Uses ../dist (npm run build), or SHIPREADY_DIST=<dir> for another build.
//
//   node bench/probe.mjs
import http from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = resolve(process.env.SHIPREADY_DIST ?? join(here, '..', 'dist'));
const { runProbe } = await import(pathToFileURL(join(dist, 'probe', 'index.js')).href);

const HTML = '<!doctype html><html><head><title>app</title><script type="module" src="/assets/index-4f2a9c1b.js"></script><script src="/assets/vendor-9e8d7c6b.js"></script></head><body><div id="root"></div></body></html>';
const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  } else if (path.startsWith('/assets/') && path.endsWith('.js')) {
    res.writeHead(200, { 'content-type': 'application/javascript', 'cache-control': 'public, max-age=31536000, immutable' });
    res.end(`export const api = "/api"; fetch(api + "/me");\n${'// padding\n'.repeat(200)}`);
  } else {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
    res.end(HTML);
  }
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${server.address().port}/`;

const started = performance.now();
const run = await runProbe([url], { version: 'bench' });
const seconds = (performance.now() - started) / 1000;
server.closeAllConnections();
server.close();
if (!run.ok) {
  console.error(`probe failed: ${run.error.message}`);
  process.exit(2);
}
const { report } = run.value;
console.log(`probe (loopback SPA, default budget): ${seconds.toFixed(2)} s, ${report.stats.requests} requests, ${report.findings.length} findings, grade ${report.sections[0].data[0].grade} — target < 5 s: ${seconds < 5 ? 'met' : 'MISSED'}`);
