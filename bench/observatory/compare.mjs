// Compares shipready's Observatory-compatible grade with @mdn/mdn-http-observatory itself on header
// configurations served from loopback (HTTPS with a generated CA, plus a plain-HTTP listener).
//
//   cd bench/observatory && npm install --ignore-scripts && node compare.mjs
//
// Uses the built shipready in ../../dist (npm run build), or SHIPREADY_DIST=<dir> for another build.
// Writes results.json next to this file and prints one line per configuration.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, 'node_modules', '@mdn', 'mdn-http-observatory');

if (process.env.SHIPREADY_OBS_CHILD !== '1') {
  if (!existsSync(pkg)) {
    console.error('run `npm install --ignore-scripts` in bench/observatory first');
    process.exit(2);
  }
  // The package's postinstall downloads the HSTS preload list; with --ignore-scripts it is absent, and
  // loopback hosts are never preloaded anyway, so an empty list gives the same answers.
  const preload = join(pkg, 'conf', 'hsts-preload.json');
  if (!existsSync(preload)) writeFileSync(preload, '{}\n');
  const dir = mkdtempSync(join(tmpdir(), 'shipready-obs-'));
  const run = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=shipready bench CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '7', '-days', '2', '-out', 'leaf.pem', '-extfile', 'leaf.ext']);
  // NODE_EXTRA_CA_CERTS is read at start-up only, so the comparison runs in a child process.
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, SHIPREADY_OBS_CHILD: '1', SHIPREADY_OBS_CERTS: dir, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
  });
  rmSync(dir, { recursive: true, force: true });
  process.exit(child.status ?? 2);
}

const certDir = process.env.SHIPREADY_OBS_CERTS;
const tls = { key: readFileSync(join(certDir, 'leaf.key')), cert: readFileSync(join(certDir, 'leaf.pem')) };
const ca = readFileSync(join(certDir, 'ca.pem'), 'utf8');
const dist = resolve(process.env.SHIPREADY_DIST ?? join(here, '..', '..', 'dist'));
const { runProbe } = await import(pathToFileURL(join(dist, 'probe', 'index.js')).href);
const { retrieve } = await import(pathToFileURL(join(pkg, 'src', 'retriever', 'retriever.js')).href);
const { ALL_TESTS } = await import(pathToFileURL(join(pkg, 'src', 'constants.js')).href);
const { getScoreModifier, getGradeForScore } = await import(pathToFileURL(join(pkg, 'src', 'grader', 'grader.js')).href);
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await import(pathToFileURL(join(pkg, 'src', 'grader', 'charts.js')).href);

const BEST = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; form-action 'none'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};
const HTML = '<!doctype html><html><head><title>t</title></head><body>hello</body></html>';

/** name, headers on HTTPS, optional body/cookies/cors mode, and what plain HTTP does. */
const CONFIGS = [
  { name: 'bare', headers: {} },
  { name: 'best', headers: BEST },
  { name: 'hsts-short', headers: { ...BEST, 'strict-transport-security': 'max-age=86400' } },
  { name: 'hsts-no-max-age', headers: { ...BEST, 'strict-transport-security': 'includeSubDomains' } },
  { name: 'csp-self', headers: { ...BEST, 'content-security-policy': "default-src 'self'" } },
  { name: 'csp-unsafe-inline', headers: { ...BEST, 'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'" } },
  { name: 'csp-unsafe-eval', headers: { ...BEST, 'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-eval'" } },
  { name: 'csp-style-inline', headers: { ...BEST, 'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'" } },
  { name: 'csp-nonce-strict-dynamic', headers: { ...BEST, 'content-security-policy': "default-src 'self'; script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'" } },
  { name: 'csp-strict-dynamic-no-nonce', headers: { ...BEST, 'content-security-policy': "default-src 'self'; script-src 'strict-dynamic'" } },
  { name: 'csp-report-only', headers: { ...BEST, 'content-security-policy': undefined, 'content-security-policy-report-only': "default-src 'self'" } },
  { name: 'csp-meta', headers: { ...BEST, 'content-security-policy': undefined }, body: `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body>x</body></html>` },
  { name: 'csp-http-source', headers: { ...BEST, 'content-security-policy': "default-src 'self' http://cdn.example.com" } },
  { name: 'csp-duplicate-directive', headers: { ...BEST, 'content-security-policy': "default-src 'self'; default-src 'none'" } },
  { name: 'xfo-deny-no-csp', headers: { ...BEST, 'content-security-policy': undefined, 'x-frame-options': 'DENY' } },
  { name: 'xfo-invalid', headers: { ...BEST, 'content-security-policy': "default-src 'self'", 'x-frame-options': 'ALLOWALL' } },
  { name: 'xcto-invalid', headers: { ...BEST, 'x-content-type-options': 'sniff' } },
  { name: 'referrer-unsafe', headers: { ...BEST, 'referrer-policy': 'unsafe-url' } },
  { name: 'referrer-meta', headers: { ...BEST, 'referrer-policy': undefined }, body: '<!doctype html><html><head><meta name="referrer" content="no-referrer"></head><body>x</body></html>' },
  { name: 'corp-invalid', headers: { ...BEST, 'cross-origin-resource-policy': 'everyone' } },
  { name: 'cookie-session-no-flags', headers: BEST, cookies: ['sessionid=abc123; Path=/'] },
  { name: 'cookie-all-flags', headers: BEST, cookies: ['sessionid=abc123; Path=/; Secure; HttpOnly; SameSite=Lax'] },
  { name: 'cookie-samesite-invalid', headers: BEST, cookies: ['pref=1; Path=/; Secure; SameSite=Sometimes'] },
  { name: 'cors-reflect-credentials', headers: BEST, cors: 'reflect' },
  { name: 'cors-public', headers: BEST, cors: 'public' },
  { name: 'sri-external-no-integrity', headers: BEST, body: '<!doctype html><html><head><script src="https://cdn.example.net/lib.js"></script></head><body>x</body></html>' },
  { name: 'no-http-listener', headers: BEST, http: 'none' },
  { name: 'http-no-redirect', headers: BEST, http: 'serve' },
];

function listen(server) {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server.address().port)));
}

function handlerFor(config, httpsPort) {
  return (req, res) => {
    const headers = { 'content-type': 'text/html; charset=utf-8' };
    for (const [name, value] of Object.entries(config.headers)) if (value !== undefined) headers[name] = value;
    if (config.cookies) headers['set-cookie'] = config.cookies;
    const origin = req.headers.origin;
    if (config.cors === 'reflect' && origin) Object.assign(headers, { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' });
    if (config.cors === 'public') headers['access-control-allow-origin'] = '*';
    res.writeHead(200, headers);
    res.end(req.method === 'OPTIONS' ? '' : (config.body ?? HTML));
    void httpsPort;
  };
}

async function observatory(httpPort, httpsPort) {
  const requests = await retrieve('localhost', { httpPort, httpsPort });
  // The aggregation of src/scanner/index.js `scan()`, which takes no port options.
  const results = ALL_TESTS.map((test) => test(requests));
  let withExtra = 100;
  let uncurved = 100;
  const tests = {};
  for (const result of results) {
    if (!result.result) continue;
    const modifier = getScoreModifier(result.result);
    withExtra += modifier;
    if (modifier < 0) uncurved += modifier;
    tests[result.constructor.name] = result.result;
  }
  const score = uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtra : uncurved;
  return { ...getGradeForScore(score), tests };
}

const rows = [];
for (const config of CONFIGS) {
  const secure = https.createServer(tls, handlerFor(config));
  const httpsPort = await listen(secure);
  let plain;
  let httpPort = 9; // discard port: nothing listens, as in "no HTTP listener"
  if (config.http !== 'none') {
    plain = http.createServer(
      config.http === 'serve'
        ? handlerFor(config)
        : (req, res) => {
            res.writeHead(301, { location: `https://localhost:${httpsPort}${req.url}` });
            res.end();
          },
    );
    httpPort = await listen(plain);
  }
  const theirs = await observatory(httpPort, httpsPort);
  const run = await runProbe([`https://localhost:${httpsPort}/`], { version: 'bench', ca, httpPort, httpsPort, ratePerSecond: Number.POSITIVE_INFINITY, maxRequests: 60 });
  if (!run.ok) throw new Error(run.error.message);
  const grade = run.value.report.sections[0].data[0];
  const ours = Object.fromEntries(grade.tests.map((test) => [test.test, test.result]));
  const differing = Object.keys(theirs.tests).filter((test) => theirs.tests[test] !== ours[test]).map((test) => `${test}: observatory ${theirs.tests[test]} / shipready ${ours[test]}`);
  const same = theirs.grade === grade.grade && theirs.score === grade.score;
  rows.push({ config: config.name, observatory: { grade: theirs.grade, score: theirs.score }, shipready: { grade: grade.grade, score: grade.score }, same, differing });
  console.log(`${same ? 'same' : 'DIFF'}  ${config.name.padEnd(30)} observatory ${theirs.grade.padEnd(2)} ${String(theirs.score).padStart(4)}   shipready ${grade.grade.padEnd(2)} ${String(grade.score).padStart(4)}${differing.length > 0 ? `   ${differing.join('; ')}` : ''}`);
  secure.closeAllConnections();
  secure.close();
  plain?.closeAllConnections();
  plain?.close();
}
const agree = rows.filter((row) => row.same).length;
console.log(`\n${agree}/${rows.length} configurations: same letter grade and score`);
writeFileSync(join(here, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), observatory: JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version, rows }, null, 2)}\n`);
process.exit(0);
