import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeTree, parseJson, runBin } from '../../test/helpers.js';
import { LOGIN_FLOW, startTestApp, TEST_USER } from '../smoke/test-app.js';

const smokeJson = z.object({
  findings: z.array(z.object({ ruleId: z.string(), messageId: z.string(), location: z.object({ path: z.string(), line: z.number().optional() }).optional() })),
  sections: z.array(z.object({ id: z.string(), data: z.object({ status: z.string(), flows: z.array(z.object({ name: z.string(), status: z.string(), failedStep: z.string().optional(), failureKind: z.string().optional(), steps: z.array(z.object({ id: z.string(), status: z.string(), blockedBy: z.string().optional(), artifacts: z.array(z.string()).optional() })) })) }).passthrough() })),
});

const BROWSER_FLOW = `version: 1
name: ui-login
base_url: \${APP_URL}
vars: { email: "\${SMOKE_EMAIL}" }
secrets: { password: "\${SMOKE_PASSWORD}" }
steps:
  - id: api-login-page
    http: { url: /login }
    capture: { csrf: { css: "input[name=csrf]", attr: value } }
  - id: ui-login
    browser:
      goto: /login
      timeout: 4s
      actions:
        - fill: { label: Email, value: "{{email}}" }
        - fill: { label: Password, value: "{{password}}" }
        - click: { role: button, name: Sign in }
        - wait_for_url: /dashboard
    expect:
      url: /dashboard
      visible: { role: heading, level: 1, text: { contains: Welcome } }
      responses: { "/api/me": { status: 200 } }
      console_errors: { max: 0 }
      cookies: { sid: { http_only: true, same_site: Lax } }
  - id: api-after-ui
    http: { url: /api/me }
    expect: { status: 200, json: { $.email: "{{email}}" } }
`;

const hasChromium = fs.existsSync('/usr/bin/chromium');

describe('shipready smoke (built binary)', () => {
  let good: Awaited<ReturnType<typeof startTestApp>>;
  let broken: Awaited<ReturnType<typeof startTestApp>>;
  let tree: ReturnType<typeof makeTree>;
  beforeAll(async () => {
    good = await startTestApp();
    broken = await startTestApp({ password: 'changed' });
    tree = makeTree({ 'smoke/login.yaml': LOGIN_FLOW, 'ui/ui.yaml': BROWSER_FLOW });
  });
  afterAll(async () => {
    await good.close();
    await broken.close();
    tree.cleanup();
  });
  const env = (url: string): Record<string, string> => ({ APP_URL: url, SMOKE_EMAIL: TEST_USER.email, SMOKE_PASSWORD: TEST_USER.password });

  it('exits 0 when the login flow passes', async () => {
    const run = await runBin(['smoke', '--format', 'json'], { cwd: tree.dir, env: env(good.url) });
    expect(run.code).toBe(0);
    const report = smokeJson.parse(parseJson(run.stdout));
    expect(report.findings).toEqual([]);
    expect(report.sections.find((section) => section.id === 'smoke')?.data.status).toBe('passed');
  });

  it('exits 1 with a finding at the failing step, says the kind, and never prints the password', async () => {
    const run = await runBin(['smoke', 'smoke/login.yaml', '--format', 'json'], { cwd: tree.dir, env: env(broken.url) });
    expect(run.code).toBe(1);
    const report = smokeJson.parse(parseJson(run.stdout));
    expect(report.findings.map((finding) => [finding.ruleId, finding.location?.line])).toEqual([['smoke/assert', 24]]);
    const flow = report.sections.find((section) => section.id === 'smoke')?.data.flows[0];
    expect(flow).toMatchObject({ status: 'failed', failedStep: 'sign-in', failureKind: 'assert' });
    expect(flow?.steps.filter((step) => step.status === 'skipped').map((step) => step.blockedBy)).toEqual(['sign-in', 'sign-in']);
    for (const format of ['text', 'markdown', 'sarif', 'github']) {
      const other = await runBin(['smoke', '--format', format], { cwd: tree.dir, env: env(broken.url) });
      expect(other.code).toBe(1);
      expect(other.stdout).not.toContain(TEST_USER.password);
      expect(other.stdout).not.toContain('correct+horse');
    }
    expect(run.stdout).not.toContain('correct+horse');
  });

  it('exits 2 naming a missing environment variable', async () => {
    const run = await runBin(['smoke'], { cwd: tree.dir, env: { APP_URL: good.url, SMOKE_EMAIL: TEST_USER.email, SMOKE_PASSWORD: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SMOKE_PASSWORD');
  });

  it('--init writes a starter flow and refuses to overwrite it without --force', async () => {
    const app = makeTree({ 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.19.2' } }), 'src/index.js': "const express = require('express');\nconst app = express();\napp.get('/healthz', (req, res) => res.json({ ok: true }));\napp.post('/api/auth/login', (req, res) => res.sendStatus(204));\napp.listen(3000);\n", '.env.example': 'PORT=3000\nFRONTEND_URL=https://app.example.com\n' });
    try {
      const first = await runBin(['smoke', '--init'], { cwd: app.dir });
      expect(first.code).toBe(0);
      const text = fs.readFileSync(path.join(app.dir, 'smoke/login.yaml'), 'utf8');
      expect(text).toContain('url: /api/auth/login');
      expect(text).toContain('url: /healthz');
      expect(text).toContain('https://app.example.com');
      expect((await runBin(['smoke', '--init'], { cwd: app.dir })).code).toBe(2);
      expect((await runBin(['smoke', '--init', '--force'], { cwd: app.dir })).code).toBe(0);
    } finally {
      app.cleanup();
    }
  });

  it.skipIf(!hasChromium)('runs a browser step in the same session as the HTTP steps', async () => {
    const run = await runBin(['smoke', 'ui', '--format', 'json', '--browser', '/usr/bin/chromium'], { cwd: tree.dir, env: env(good.url) });
    const report = smokeJson.parse(parseJson(run.stdout));
    expect(report.sections[0]?.data.flows[0]?.steps.map((step) => [step.id, step.status])).toEqual([
      ['api-login-page', 'passed'],
      ['ui-login', 'passed'],
      ['api-after-ui', 'passed'],
    ]);
    expect(run.code).toBe(0);
  }, 60_000);

  it.skipIf(!hasChromium)('a failing browser step leaves a screenshot and blocks the rest', async () => {
    const run = await runBin(['smoke', 'ui', '--format', 'json', '--artifacts', 'out'], { cwd: tree.dir, env: env(broken.url) });
    expect(run.code).toBe(1);
    const flow = smokeJson.parse(parseJson(run.stdout)).sections[0]?.data.flows[0];
    expect(flow).toMatchObject({ failedStep: 'ui-login', failureKind: 'assert' });
    const shot = flow?.steps.find((step) => step.id === 'ui-login')?.artifacts?.[0];
    expect(shot !== undefined && fs.existsSync(shot)).toBe(true);
  }, 60_000);
});
