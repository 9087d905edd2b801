// `shipready smoke --init`: a starter login flow written from what scan's project model knows of the app — its
// login route, its health route, its "me" route and the frontend origin its env files name — so the first flow
// checks this app's real paths instead of a template's. docs/smoke.md#init
import { Project } from '../project/project.js';
import { err, ok, type Result, type UserError } from '../core/result.js';

const LOGIN = /(?:^|\/)(?:login|signin|sign-in|session|sessions|authenticate)$/i;
const HEALTH = /(?:^|\/)(?:healthz|health|readyz|livez|status|ping)$/i;
const ME = /(?:^|\/)(?:me|whoami|profile|current-user|session)$/i;
const FRONTEND_KEYS = /^(?:FRONTEND|CLIENT|WEB|APP|PUBLIC_APP|CORS)_(?:URL|ORIGIN|ORIGINS)$|^CORS_ORIGIN$|^ALLOWED_ORIGINS?$/;
const ENV_EXAMPLES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'example.env'];

export interface InitFacts {
  readonly login?: { readonly method: string; readonly path: string; readonly where: string };
  readonly health?: { readonly path: string; readonly where: string };
  readonly me?: { readonly path: string; readonly where: string };
  readonly frontendOrigin?: { readonly origin: string; readonly where: string };
}

/** What scan knows that a login flow needs. */
export function initFacts(root: string): Result<InitFacts, UserError> {
  const project = Project.open(root);
  if (!project.ok) return project;
  const routes = project.value.routes().filter((route) => route.path !== undefined && !route.path.includes(':') && !route.path.includes('['));
  const find = (pattern: RegExp, methods: readonly string[]): (typeof routes)[number] | undefined => routes.find((route) => pattern.test(route.path ?? '') && methods.includes(route.method));
  const login = find(LOGIN, ['POST']) ?? find(LOGIN, ['ALL']);
  const health = find(HEALTH, ['GET', 'ALL']);
  const me = find(ME, ['GET', 'ALL']);
  let frontendOrigin: InitFacts['frontendOrigin'];
  for (const file of ENV_EXAMPLES) {
    const text = project.value.text(file);
    if (text === undefined) continue;
    const lines = text.split(/\r?\n/);
    const index = lines.findIndex((line) => FRONTEND_KEYS.test(line.split('=')[0]?.replace(/^export\s+/, '').trim() ?? ''));
    const value = index < 0 ? undefined : (lines[index]?.split('=').slice(1).join('=').trim().replace(/^["']|["']$/g, '').split(',')[0] ?? '');
    if (value !== undefined && /^https?:\/\/[^\s/]+/.test(value)) {
      frontendOrigin = { origin: new URL(value).origin, where: `${file}:${index + 1}` };
      break;
    }
  }
  return ok({
    ...(login?.path === undefined ? {} : { login: { method: login.method === 'ALL' ? 'POST' : login.method, path: login.path, where: `${login.file}:${login.line}` } }),
    ...(health?.path === undefined ? {} : { health: { path: health.path, where: `${health.file}:${health.line}` } }),
    ...(me?.path === undefined ? {} : { me: { path: me.path, where: `${me.file}:${me.line}` } }),
    ...(frontendOrigin === undefined ? {} : { frontendOrigin }),
  });
}

/**
 * The starter flow's YAML text.
 *
 * @example starterFlow({ login: { method: 'POST', path: '/api/login', where: 'src/auth.ts:9' } }).includes('url: /api/login') // true
 */
export function starterFlow(facts: InitFacts): string {
  const found = [
    facts.login === undefined ? 'no login route (using /login)' : `login route ${facts.login.method} ${facts.login.path} (${facts.login.where})`,
    facts.health === undefined ? 'no health route (no wait_for gate)' : `health route ${facts.health.path} (${facts.health.where})`,
    ...(facts.me === undefined ? [] : [`session route ${facts.me.path} (${facts.me.where})`]),
    facts.frontendOrigin === undefined ? 'no frontend origin (no CORS check)' : `frontend origin ${facts.frontendOrigin.origin} (${facts.frontendOrigin.where})`,
  ];
  const login = facts.login ?? { method: 'POST', path: '/login' };
  const lines = [
    '# A post-deploy login check, written by `shipready smoke --init` from what scan found:',
    ...found.map((line) => `#   ${line}`),
    '# Run it with APP_URL, SMOKE_EMAIL and SMOKE_PASSWORD set (a seeded test user): shipready smoke',
    '# Format: docs/smoke.md',
    'version: 1',
    'name: login',
    'description: A seeded user can sign in and the session reaches the API',
    'base_url: ${APP_URL}',
    'vars:',
    '  email: ${SMOKE_EMAIL}',
    'secrets:',
    '  password: ${SMOKE_PASSWORD}',
    'defaults:',
    '  timeout: 10s',
  ];
  if (facts.health !== undefined) lines.push('wait_for:', `  - http: { url: ${facts.health.path} }`, '    expect: { status: 200 }', '    within: 120s');
  lines.push(
    'steps:',
    '  - id: sign-in',
    '    name: Sign in',
    '    http:',
    `      method: ${login.method}`,
    `      url: ${login.path}`,
    '      json: { email: "{{email}}", password: "{{password}}" }',
    '      follow_redirects: false',
    '    expect:',
    '      status: [200, 201, 204, 302, 303]',
  );
  if (facts.frontendOrigin !== undefined) lines.push(`      cors: { origin: "\${FRONTEND_ORIGIN:-${facts.frontendOrigin.origin}}", credentials: true, method: ${login.method}, headers: [content-type] }`);
  if (facts.me !== undefined) {
    lines.push('  - id: session', '    name: The session reaches the API', '    http: { method: GET, url: ' + facts.me.path + ' }', '    retry: { attempts: 3, interval: 2s, until: expect }', '    expect:', '      status: 200', '      body: { not_contains: ["stack", "Exception"] }');
  }
  return `${lines.join('\n')}\n`;
}

/** Where `--init` writes. */
export const STARTER_FLOW_PATH = 'smoke/login.yaml';

/** Refuses to overwrite without `force`. */
export function checkWritable(exists: boolean, force: boolean): Result<true, UserError> {
  return exists && !force ? err({ code: 'USAGE', message: `${STARTER_FLOW_PATH} exists`, hint: 'pass --force to overwrite it' }) : ok(true);
}
