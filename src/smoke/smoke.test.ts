import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { smoke, type SmokeOptions } from './index.js';
import { starterFlow } from './init.js';
import { LOGIN_FLOW, startTestApp, TEST_USER, type TestAppOptions } from './test-app.js';
import type { FlowResult } from './types.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function workdir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipready-smoke-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  closers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function app(options: TestAppOptions = {}): Promise<string> {
  const started = await startTestApp(options);
  closers.push(started.close);
  return started.url;
}

function options(cwd: string, env: Record<string, string>): SmokeOptions {
  return { cwd, env, version: 'test', docsBaseUrl: 'https://example.invalid/', now: () => new Date() };
}

const userEnv = (url: string): Record<string, string> => ({ APP_URL: url, SMOKE_EMAIL: TEST_USER.email, SMOKE_PASSWORD: TEST_USER.password });

async function runLogin(appOptions: TestAppOptions, env?: (url: string) => Record<string, string>): Promise<FlowResult> {
  const url = await app(appOptions);
  const cwd = workdir({ 'smoke/login.yaml': LOGIN_FLOW });
  const run = await smoke([], options(cwd, (env ?? userEnv)(url)));
  if (!run.ok) throw new Error(run.error.message);
  const flow = run.value.result.flows[0];
  if (flow === undefined) throw new Error('no flow ran');
  return flow;
}

const statuses = (flow: FlowResult): Array<[string, string]> => flow.steps.map((step) => [step.id, step.status]);

describe('shipready smoke (HTTP engine, against a local login app)', () => {
  it('passes the login flow: CSRF captured, session cookie carried to the API, CORS and schema checked', async () => {
    const flow = await runLogin({});
    expect(flow.status).toBe('passed');
    expect(statuses(flow)).toEqual([
      ['login-page', 'passed'],
      ['sign-in', 'passed'],
      ['me', 'passed'],
      ['dashboard', 'passed'],
    ]);
  });

  it('a wrong password fails at sign-in, and the later steps are blocked, not run', async () => {
    const flow = await runLogin({ password: 'reset by the deploy' });
    expect(flow).toMatchObject({ status: 'failed', failedStep: 'sign-in', failureKind: 'assert' });
    expect(flow.steps.find((step) => step.id === 'sign-in')?.failure?.checks.map((check) => check.what)).toContain('status');
    expect(flow.steps.filter((step) => step.status === 'skipped').map((step) => [step.id, step.blockedBy, step.attempts])).toEqual([
      ['me', 'sign-in', 0],
      ['dashboard', 'sign-in', 0],
    ]);
  });

  it('a Secure session cookie over http fails at sign-in: the session would never keep it', async () => {
    const flow = await runLogin({ secureCookie: true });
    expect(flow).toMatchObject({ failedStep: 'sign-in', failureKind: 'assert' });
    expect(flow.steps.find((step) => step.id === 'sign-in')?.failure?.checks.map((check) => check.what)).toEqual(['cookie sid']);
  });

  it('a CORS preflight without credentials fails at the API step', async () => {
    const flow = await runLogin({ corsWithoutCredentials: true });
    expect(flow).toMatchObject({ failedStep: 'me', failureKind: 'assert' });
    expect(flow.steps.find((step) => step.id === 'me')?.failure?.checks.map((check) => check.what)).toEqual(['cors access-control-allow-credentials']);
  });

  it('an API answering 500 after login fails at the API step, after its retries', async () => {
    const flow = await runLogin({ apiFails: true });
    expect(flow).toMatchObject({ failedStep: 'me', failureKind: 'assert' });
    const me = flow.steps.find((step) => step.id === 'me');
    expect(me?.attempts).toBe(2);
    expect(me?.failure?.checks.map((check) => check.what)).toEqual(expect.arrayContaining(['status', 'body not_contains']));
  });

  it('nothing listening is a connect failure of the wait_for gate', async () => {
    const url = await app();
    const closed = await startTestApp();
    await closed.close();
    const flow = await runLogin({}, () => ({ ...userEnv(url), APP_URL: closed.url }));
    expect(flow).toMatchObject({ failedStep: 'wait_for-1', failureKind: 'connect' });
  }, 15_000);

  it('a step past its timeout fails with kind timeout', async () => {
    const http = await import('node:http');
    const server = http.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    const address = server.address();
    const port = address !== null && typeof address === 'object' ? address.port : 0;
    const cwd = workdir({ 'slow.yaml': `version: 1\nname: slow\nbase_url: http://127.0.0.1:${port}\nsteps:\n  - http: { url: /, timeout: 200ms }\n    expect: { status: 200 }\n` });
    const run = await smoke(['slow.yaml'], options(cwd, {}));
    expect(run.ok && run.value.result.flows[0]).toMatchObject({ failedStep: 'step-1', failureKind: 'timeout' });
  });

  it('masks secrets in every string of the report, request bodies included', async () => {
    const url = await app({ password: 'something else' });
    const cwd = workdir({ 'smoke/login.yaml': LOGIN_FLOW });
    const run = await smoke([], options(cwd, userEnv(url)));
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    const text = JSON.stringify(run.value.report);
    expect(text).toContain('password=');
    expect(text).not.toContain(TEST_USER.password);
    expect(text).not.toContain(encodeURIComponent(TEST_USER.password).replace(/%20/g, '+'));
    expect(run.value.report.findings.map((finding) => [finding.ruleId, finding.messageId, finding.location])).toEqual([['smoke/assert', 'assert', { kind: 'file', path: 'smoke/login.yaml', line: 24 }]]);
  });

  it('runs flows in parallel, each in its own session, and includes a shared login with inputs and outputs', async () => {
    const url = await app();
    const partial = `version: 1
name: login-partial
inputs: [email, password]
outputs: { user: "{{user_email}}" }
steps:
  - id: page
    http: { url: /login }
    capture: { csrf: { regex: 'name="csrf" value="([^"]+)"' } }
  - id: post
    http: { method: POST, url: /login, form: { csrf: "{{csrf}}", email: "{{email}}", password: "{{password}}" } }
    expect: { status: 200, url: { ends_with: /dashboard } }
  - id: me
    http: { url: /api/me }
    capture: { user_email: { json: $.email } }
`;
    const main = (name: string): string => `version: 1
name: ${name}
base_url: \${APP_URL}
secrets: { password: { env: SMOKE_PASSWORD } }
steps:
  - id: login
    include: ./_login.yaml
    with: { email: "${TEST_USER.email}", password: "{{password}}" }
  - id: check
    http: { url: "/api/me?who={{user}}" }
    expect: { status: 200, json: { $.email: "{{user}}" } }
`;
    const cwd = workdir({ 'smoke/_login.yaml': partial, 'smoke/a.yaml': main('a'), 'smoke/b.yaml': main('b') });
    const run = await smoke([], options(cwd, userEnv(url)));
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    expect(run.value.result.flows.map((flow) => [flow.name, flow.status])).toEqual([
      ['a', 'passed'],
      ['b', 'passed'],
    ]);
    expect(run.value.result.flows[0]?.steps.map((step) => step.id)).toEqual(['login', 'login/page', 'login/post', 'login/me', 'check']);
  });

  it('collects every configuration problem, naming a missing environment variable', async () => {
    const cwd = workdir({
      'bad.yaml': `version: 1
name: bad
base_url: \${APP_URL}
secrets: { password: hunter22, token: "\${API_TOKEN}" }
steps:
  - http: { url: /x, follow_redirect: false }
  - http: { url: /y }
    expect: { status: "2XX0", json: { $.a: "{{nope}}" } }
`,
    });
    const run = await smoke(['bad.yaml'], options(cwd, {}));
    expect(run.ok).toBe(false);
    if (run.ok) return;
    expect(run.error.code).toBe('CONFIG_INVALID');
    expect(run.error.message).toContain('APP_URL');
    const details = (run.error.details ?? []).join('\n');
    expect(details).toContain('bad.yaml: base_url: environment variable APP_URL is not set');
    expect(details).toContain('bad.yaml: steps.0.http');
    const invalid = await smoke(['bad.yaml'], options(cwd, { APP_URL: 'http://127.0.0.1:1', API_TOKEN: 'x' }));
    expect(invalid.ok).toBe(false);
    if (invalid.ok) return;
    expect(invalid.error.details?.some((line) => line.startsWith('bad.yaml: steps.0.http') && line.includes('follow_redirect'))).toBe(true);
  });

  it('reports literal secrets, unknown placeholders and bad status expectations', async () => {
    const cwd = workdir({
      'bad.yaml': `version: 1
name: bad
base_url: http://127.0.0.1:1
secrets: { password: hunter22 }
steps:
  - http: { url: /y }
    expect: { status: "2XX0", json: { $.a: "{{nope}}" } }
`,
    });
    const run = await smoke(['bad.yaml'], options(cwd, {}));
    expect(run.ok).toBe(false);
    if (run.ok) return;
    const details = run.error.details ?? [];
    expect(details.some((line) => line.startsWith('bad.yaml: secrets.password:') && line.includes('never a literal'))).toBe(true);
    expect(details.some((line) => line.startsWith('bad.yaml: steps.0.expect.status:'))).toBe(true);
    expect(details.some((line) => line.includes('{{nope}} is not defined'))).toBe(true);
  });

  it('never requests a host the flow does not name', async () => {
    const url = await app();
    const cwd = workdir({ 'f.yaml': `version: 1\nname: f\nbase_url: ${url}\nvars: { other: "127.0.0.2" }\nsteps:\n  - http: { url: "http://{{other}}:9/" }\n` });
    const run = await smoke(['f.yaml'], options(cwd, {}));
    expect(run.ok && run.value.result.flows[0]).toMatchObject({ failedStep: 'step-1', failureKind: 'error' });
  });

  it('--init writes a flow from the routes scan finds', () => {
    const text = starterFlow({ login: { method: 'POST', path: '/api/auth/login', where: 'src/auth.ts:3' }, health: { path: '/healthz', where: 'src/index.ts:9' }, frontendOrigin: { origin: 'https://app.example.com', where: '.env.example:2' } });
    expect(text).toContain('url: /api/auth/login');
    expect(text).toContain('- http: { url: /healthz }');
    expect(text).toContain('FRONTEND_ORIGIN:-https://app.example.com');
  });
});
