// `npm run bench` part: wall time of `shipready smoke` running the login flow (CSRF form, session cookie, JSON API,
// CORS preflight) against a local app on 127.0.0.1, and, when Debian's Chromium is installed, the same login in a
// browser step (browser start included). Target: under 3 s each.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'shipready.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const { LOGIN_FLOW, startTestApp, TEST_USER } = await import(path.join(ROOT, 'dist', 'smoke', 'test-app.js'));

const BROWSER_FLOW = `version: 1
name: ui-login
base_url: "\${APP_URL}"
vars: { email: "\${SMOKE_EMAIL}" }
secrets: { password: "\${SMOKE_PASSWORD}" }
steps:
  - id: ui-login
    browser:
      goto: /login
      actions:
        - fill: { label: Email, value: "{{email}}" }
        - fill: { label: Password, value: "{{password}}" }
        - click: { role: button, name: Sign in }
        - wait_for_url: /dashboard
    expect: { visible: { role: heading, level: 1 } }
`;

const app = await startTestApp();
const folder = mkdtempSync(path.join(tmpdir(), 'shipready-bench-smoke-'));
mkdirSync(path.join(folder, 'smoke'));
writeFileSync(path.join(folder, 'smoke', 'login.yaml'), LOGIN_FLOW);
writeFileSync(path.join(folder, 'ui.yaml'), BROWSER_FLOW);
const env = { ...process.env, APP_URL: app.url, SMOKE_EMAIL: TEST_USER.email, SMOKE_PASSWORD: TEST_USER.password, NO_COLOR: '1' };

async function median(args) {
  const times = [];
  for (let run = 0; run < RUNS; run += 1) {
    const begin = performance.now();
    // Async so this process keeps serving the app while smoke asks it.
    const code = await new Promise((resolve) => spawn(process.execPath, [BIN, 'smoke', ...args], { cwd: folder, env, stdio: 'ignore' }).on('exit', resolve));
    times.push(performance.now() - begin);
    if (code !== 0) throw new Error(`smoke ${args.join(' ')} exited ${code} against a healthy app`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

try {
  const http = await median([]);
  console.log(`smoke login flow (4 HTTP steps + wait_for + CORS preflight): median ${(http / 1000).toFixed(2)} s over ${RUNS} runs (target < 3 s)`);
  if (existsSync('/usr/bin/chromium')) {
    const browser = await median(['ui.yaml', '--browser', '/usr/bin/chromium']);
    console.log(`smoke browser login (Chromium start included): median ${(browser / 1000).toFixed(2)} s over ${RUNS} runs (target < 3 s)`);
  } else console.log('smoke browser login: skipped (no /usr/bin/chromium)');
} finally {
  await app.close();
  rmSync(folder, { recursive: true, force: true });
}
