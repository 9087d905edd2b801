import * as http from 'node:http';
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTree, parseJson, runBin } from '../../test/helpers.js';

/** The machine's own dependency variables must not become components of these runs. */
const CLEAN_ENV = { SHIPREADY_TEST_DATABASE_URL: '', DATABASE_URL: '', REDIS_URL: '' };

describe('shipready doctor (built binary)', () => {
  let tree: ReturnType<typeof makeTree>;
  let closedPort: number;
  let server: http.Server;
  let apiPort: number;
  beforeAll(async () => {
    tree = makeTree({ 'README.md': '# app\n' });
    const closed = net.createServer();
    closedPort = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as net.AddressInfo).port)));
    closed.close();
    server = http.createServer((request, response) => {
      response.statusCode = request.url === '/healthz' ? 200 : 404;
      response.end('ok');
    });
    apiPort = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
  });
  afterAll(() => {
    server.close();
    tree.cleanup();
  });

  it('exits 1 and prints health+json naming the failing layer', async () => {
    const run = await runBin(['doctor', tree.dir, '--format', 'json', '--url', `DATABASE_URL=postgres://app:hunter2secret@127.0.0.1:${closedPort}/app`], { env: CLEAN_ENV });
    expect(run.code).toBe(1);
    const health = parseJson(run.stdout) as { status: string; output: string; checks: Record<string, Array<{ status: string; code?: string }>> };
    expect(health.status).toBe('fail');
    expect(health.checks['DATABASE_URL:tcp']?.[0]).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    expect(health.output).toBe('Login is blocked by: DATABASE_URL tcp (ECONNREFUSED)');
    expect(run.stdout).not.toContain('hunter2secret');
  });

  it('exits 0 when everything answers, and ends the text report with the verdict', async () => {
    const run = await runBin(['doctor', tree.dir, '--url', `API_URL=http://127.0.0.1:${apiPort}/`], { env: CLEAN_ENV });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('Nothing blocks login: 1 component(s) answered.');
  });

  it('serves the shared reporters: SARIF carries the failing layer as a doctor/* result', async () => {
    const run = await runBin(['doctor', tree.dir, '--format', 'sarif', '--url', `REDIS_URL=redis://127.0.0.1:${closedPort}`], { env: CLEAN_ENV });
    expect(run.code).toBe(1);
    const sarif = parseJson(run.stdout) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.runs[0]?.results.map((result) => result.ruleId)).toEqual(['doctor/tcp']);
  });

  it('rejects bad input with one line and exit 2', async () => {
    const badUrl = await runBin(['doctor', tree.dir, '--url', 'not-a-url'], { env: CLEAN_ENV });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr.trim().split('\n')).toHaveLength(1);
    const nothing = await runBin(['doctor', tree.dir], { env: CLEAN_ENV });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/no dependency URL found/);
    const badWait = await runBin(['doctor', tree.dir, '--wait', 'soon', '--url', `API_URL=http://127.0.0.1:${apiPort}/`], { env: CLEAN_ENV });
    expect(badWait.code).toBe(2);
  });
});
