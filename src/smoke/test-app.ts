// A small login app on 127.0.0.1 for the smoke tests and the bench: a login form with a CSRF token, a session
// cookie, a JSON API and a CORS preflight, plus the broken variants a deploy ships by accident. Test support only.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestAppOptions {
  /** The password the seeded user has (a deploy that reset it breaks login). */
  readonly password?: string;
  /** Sets the session cookie `Secure` although the app is served over http. */
  readonly secureCookie?: boolean;
  /** Answers the CORS preflight without Access-Control-Allow-Credentials. */
  readonly corsWithoutCredentials?: boolean;
  /** /api/me answers 500 after login. */
  readonly apiFails?: boolean;
}

export const TEST_USER = { email: 'smoke@example.com', password: 'correct horse battery' } as const;
export const FRONTEND_ORIGIN = 'http://app.test';

function cookies(req: http.IncomingMessage): Map<string, string> {
  return new Map((req.headers.cookie ?? '').split(/;\s*/).filter((pair) => pair.includes('=')).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 64 * 1024) break;
  }
  return body;
}

/**
 * Starts the app; `close()` stops it.
 *
 * @example const app = await startTestApp({ apiFails: true }); … await app.close();
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const password = options.password ?? TEST_USER.password;
  const csrfTokens = new Map<string, string>();
  const sessions = new Map<string, string>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const jar = cookies(req);
      const user = sessions.get(jar.get('sid') ?? '');
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
      } else if (url.pathname === '/login' && req.method === 'GET') {
        const pre = randomBytes(8).toString('hex');
        const token = randomBytes(12).toString('hex');
        csrfTokens.set(pre, token);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': `pre=${pre}; HttpOnly; SameSite=Lax; Path=/` });
        res.end(`<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1><form method="post" action="/login"><input type="hidden" name="csrf" value="${token}"><label for="email">Email</label><input id="email" name="email"><label for="password">Password</label><input id="password" name="password" type="password"><button type="submit">Sign in</button></form></body></html>`);
      } else if (url.pathname === '/login' && req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        const expected = csrfTokens.get(jar.get('pre') ?? '');
        if (expected === undefined || form.get('csrf') !== expected) {
          res.writeHead(403, { 'content-type': 'text/plain' }).end('CSRF token missing or wrong');
        } else if (form.get('email') !== TEST_USER.email || form.get('password') !== password) {
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Sign in</h1><p class="error">Invalid email or password</p></body></html>');
        } else {
          const sid = randomBytes(16).toString('hex');
          sessions.set(sid, TEST_USER.email);
          res.writeHead(302, { location: '/dashboard', 'set-cookie': `sid=${sid}; HttpOnly; SameSite=Lax; Path=/${options.secureCookie === true ? '; Secure' : ''}` }).end();
        }
      } else if (url.pathname === '/dashboard') {
        if (user === undefined) res.writeHead(302, { location: '/login' }).end();
        else res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><title>Dashboard</title></head><body><h1>Welcome, ${user}</h1><p data-testid="me"></p><script>fetch('/api/me').then(r => r.json()).then(me => { document.querySelector('[data-testid=me]').textContent = me.email; });</script></body></html>`);
      } else if (url.pathname === '/api/me' && req.method === 'OPTIONS') {
        const origin = req.headers.origin;
        res.writeHead(204, {
          ...(origin === FRONTEND_ORIGIN ? { 'access-control-allow-origin': origin } : {}),
          ...(options.corsWithoutCredentials === true ? {} : { 'access-control-allow-credentials': 'true' }),
          'access-control-allow-methods': 'GET, POST, PUT, DELETE',
          'access-control-allow-headers': 'content-type, x-csrf-token',
          vary: 'origin',
        });
        res.end();
      } else if (url.pathname === '/api/me') {
        if (user === undefined) res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
        else if (options.apiFails === true) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"Exception: connection to database lost","stack":"at query (db.js:12)"}');
        else res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': FRONTEND_ORIGIN, 'access-control-allow-credentials': 'true' }).end(JSON.stringify({ id: 7, email: user, roles: ['user'] }));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? (address satisfies AddressInfo).port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The HTTP login flow the tests and the bench run, as YAML. */
export const LOGIN_FLOW = `version: 1
name: login
description: A seeded user can sign in and read their profile
base_url: \${APP_URL}
vars:
  email: \${SMOKE_EMAIL}
secrets:
  password: \${SMOKE_PASSWORD}
defaults: { timeout: 5s }
wait_for:
  - http: { url: /healthz }
    expect: { status: 200 }
    within: 5s
steps:
  - id: login-page
    name: Login page exposes CSRF token
    http: { method: GET, url: /login }
    expect:
      status: 200
      headers: { content-type: { contains: text/html }, x-powered-by: { absent: true } }
      css: { "form button[type=submit]": { text: Sign in } }
    capture:
      csrf: { css: "input[name=csrf]", attr: value }
  - id: sign-in
    name: Sign in
    http:
      method: POST
      url: /login
      form: { csrf: "{{csrf}}", email: "{{email}}", password: "{{password}}" }
      follow_redirects: false
    expect:
      status: 302
      headers: { location: /dashboard }
      cookies:
        sid: { exists: true, http_only: true, same_site: Lax }
      timing: { total: { lt: 1500ms } }
  - id: me
    name: Session reaches the API
    http: { method: GET, url: /api/me }
    retry: { attempts: 2, interval: 50ms, until: expect }
    expect:
      status: 2xx
      json:
        $.email: "{{email}}"
        $.roles: { includes: user }
        $.id: { type: integer }
      schema: { type: object, required: [id, email], properties: { id: { type: integer }, email: { type: string } } }
      body: { not_contains: [stack, Exception] }
      cors: { origin: "${FRONTEND_ORIGIN}", credentials: true, method: PUT, headers: [content-type] }
    capture:
      user_id: { json: $.id }
  - id: dashboard
    name: Dashboard greets the user
    skip_if: "{{user_id}} == 0"
    http: { url: /dashboard }
    expect:
      status: 200
      css: { h1: { text: { contains: Welcome } } }
`;
