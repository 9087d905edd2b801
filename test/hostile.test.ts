// The hostile-input suite (issue 16): the built CLI against generated repositories and option paths made to hang,
// crash or exhaust it. Every case must end within its time limit, exit 0, 1 or 2 (never a signal), and print no
// stack trace unless --debug is given. Runs under `npm test` (about 30 s on two cores).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, REPO_ROOT } from './helpers.js';

const BIN = path.join(REPO_ROOT, 'bin', 'shipready.js');
/** Generous for two loaded cores: the slowest case (a 1 MiB minified bundle) takes about 2 s. */
const CASE_LIMIT_MS = 45_000;

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs the CLI and kills it at the limit; unlike `runBin`, a signal or a timeout is reported as such, not as exit 1. */
function runHostile(args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CASE_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

const STACK_FRAME = /^\s+at .+(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;

function expectSurvived(outcome: Outcome): void {
  expect(outcome.timedOut, `timed out; stderr: ${outcome.stderr.slice(0, 500)}`).toBe(false);
  expect(outcome.signal, outcome.stderr.slice(0, 500)).toBeNull();
  expect([0, 1, 2], outcome.stderr.slice(0, 500)).toContain(outcome.code);
  expect(outcome.stderr).not.toMatch(STACK_FRAME);
  expect(outcome.stderr).not.toMatch(/FATAL ERROR|Segmentation fault|heap out of memory/i);
}

/** A one-line usage, configuration or input error naming the problem. */
function expectOneLineError(outcome: Outcome, pattern: RegExp): void {
  expectSurvived(outcome);
  expect(outcome.code).toBe(2);
  expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  expect(outcome.stderr).toMatch(pattern);
}

function notesOf(outcome: Outcome): Array<{ kind: string; path?: string; message: string }> {
  const report = parseJson(outcome.stdout);
  if (typeof report !== 'object' || report === null || !('notes' in report) || !Array.isArray(report.notes)) throw new Error('no notes in the report');
  return report.notes.filter((note): note is { kind: string; path?: string; message: string } => typeof note === 'object' && note !== null && 'message' in note && typeof note.message === 'string');
}

const hasFifos = process.platform !== 'win32';
let base = '';

function write(relative: string, content: string | Buffer): string {
  const file = path.join(base, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

function fifo(relative: string): string {
  const file = path.join(base, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
  return file;
}

const EXPRESS_APP = {
  'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: { express: '4.21.0', pg: '8.13.0' } }),
  'src/index.js': "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
};

/** A small Express app at `dir` (relative to the suite's base) with extra files. */
function app(dir: string, extra: Readonly<Record<string, string | Buffer>> = {}): string {
  for (const [name, content] of Object.entries({ ...EXPRESS_APP, ...extra })) write(path.join(dir, name), content);
  return path.join(base, dir);
}

/** Small functions that each call fetch, minified onto one line: the bundle that ran scans out of a 4 GB heap. */
function minifiedBundle(bytes: number): string {
  let out = '!function(){';
  for (let index = 0; out.length < bytes - 4; index++) out += `function f${index}(a){return fetch("/api/v"+a+"/x${index}",{method:"POST"}).then(function(r){return r.json()})}`;
  return `${out}}();`;
}

function aliasBomb(): string {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 9; level++) {
    const name = String.fromCharCode(97 + level);
    const previous = String.fromCharCode(96 + level);
    levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
  }
  return `${levels.join('\n')}\n`;
}

describe.skipIf(!hasFifos)('hostile input', { timeout: 2 * CASE_LIMIT_MS }, () => {
  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'shipready-hostile-'));
    fifo('fifo');
    // FIFOs wherever the walker or a reader opens a file by name.
    const fifos = app('fifos');
    for (const name of ['src/pipe.ts', 'shipready.config.yaml', 'docker-compose.yml', '.github/workflows/ci.yml', 'migrations/001_init.sql', 'packages/web/package.json', '.env']) fifo(path.join('fifos', name));
    symlinkSync(path.join(fifos, 'src', 'pipe.ts'), path.join(fifos, 'src', 'link-to-pipe.ts'));
    symlinkSync('/dev/zero', path.join(fifos, 'src', 'zero.ts'));
    app('bundle', { 'src/vendor-bundle.js': minifiedBundle(1024 * 1024 - 64) });
    app('bundle-2m', { 'src/vendor-bundle.js': minifiedBundle(2 * 1024 * 1024) });
    const deep = app('deep-dirs');
    let nested = deep;
    for (let level = 0; level < 1500; level++) nested = path.join(nested, 'd');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(nested, 'leaf.ts'), 'export const leaf = fetch("http://x");\n');
    const loops = app('loops', { 'src/a/file.ts': 'export {};\n' });
    symlinkSync(path.join(loops, 'src', 'a'), path.join(loops, 'src', 'a', 'loop'));
    symlinkSync(path.join(loops, 'src'), path.join(loops, 'src', 'a', 'up'));
    symlinkSync(path.join(loops, 'x.ts'), path.join(loops, 'y.ts'));
    symlinkSync(path.join(loops, 'y.ts'), path.join(loops, 'x.ts'));
    symlinkSync('/', path.join(loops, 'root'));
    symlinkSync('/etc/passwd', path.join(loops, '.env'));
    app('big-sql', { 'migrations/001_big.sql': 'CREATE TABLE t (id int);\n'.repeat(Math.ceil((20 * 1024 * 1024) / 25)), 'migrations/002_small.sql': 'CREATE TABLE u (id int);\n' });
    const garbage = Buffer.from(Array.from({ length: 64 * 1024 }, (_, index) => (index * 7919 + 13) % 256));
    app('garbage', { 'src/garbage.ts': garbage, 'migrations/001.sql': garbage, 'docker-compose.yaml': garbage, 'src/utf8.ts': Buffer.concat([Buffer.from('const a = "'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), Buffer.from('";\nfetch(a);\n')]), '.env': Buffer.from([0x4b, 0x3d, 0xff, 0xfe, 0x0a]) });
    app('json-bomb', {
      'package.json': `{"name":"api","scripts":{"start":"node src/index.js"},"dependencies":{"express":"4.21.0"},"x":${'['.repeat(200_000)}${']'.repeat(200_000)},"y":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
      'packages/lib/package.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      'tsconfig.json': `{"compilerOptions":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
    });
    app('yaml-bomb', { 'docker-compose.yml': `${aliasBomb()}services:\n  api:\n    image: node:20\n    environment: *i\n    ports: *i\n`, 'shipready.config.yaml': `${aliasBomb()}ignore: *i\n` });
    app('yaml-bomb-compose', { 'docker-compose.yml': `${aliasBomb()}services:\n  api:\n    image: node:20\n    environment: *i\n    volumes: *i\n    depends_on: *i\n`, '.github/workflows/ci.yml': `${aliasBomb()}on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: *i\n` });
    app('names', { 'src/evil\nname.ts': 'fetch("http://x");\n', 'src/ünïcødé-名前.ts': 'fetch("http://x");\n', 'src/\u001b[31mred\u001b[0m.ts': 'export const a = process.env.SECRET_TOKEN;\n', 'src/\u202eevil.ts': 'fetch("http://y");\n' });
    app('deep-code', {
      'src/deep-if.js': `app.get('/x', async (req, res) => {${'if (a) {'.repeat(20_000)}await fetch(u);${'}'.repeat(20_000)}});\n// shipready-ignore x -- y\n`,
      'src/unary.js': `// shipready-ignore x -- y\nx = ${'!'.repeat(200_000)}a;\n`,
      'src/chain.js': `// shipready-ignore x -- y\nx = 1${' + a'.repeat(100_000)};\n`,
    });
    writeFileSync(path.join(base, 'capture.json'), '{"formatVersion":1,"exchanges":[' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + ']}');
  });

  afterAll(() => {
    if (base !== '') rmSync(base, { recursive: true, force: true });
  });

  it('scan skips FIFOs, devices and links to them in the tree, with a note for each', async () => {
    const outcome = await runHostile(['scan', 'fifos', '--format', 'json'], base);
    expectSurvived(outcome);
    const skipped = notesOf(outcome).filter((note) => note.kind === 'skipped-file').map((note) => note.path);
    expect(skipped).toEqual(expect.arrayContaining(['src/pipe.ts', 'src/link-to-pipe.ts', 'src/zero.ts', 'shipready.config.yaml', 'docker-compose.yml', '.github/workflows/ci.yml', 'migrations/001_init.sql', 'packages/web/package.json', '.env']));
  });

  it('migrations skips FIFOs in the tree', async () => {
    expectSurvived(await runHostile(['migrations', 'fifos', '--format', 'json'], base));
  });

  it.each([
    [['scan', 'fifos', '--config', 'fifo'], /config .*fifo is a named pipe \(FIFO\), not a regular file/],
    [['scan', 'fifos', '--baseline', 'fifo'], /baseline .*fifo is a named pipe \(FIFO\), not a regular file/],
    [['migrations', 'fifos', '--config', 'fifo'], /config .*fifo is a named pipe/],
    [['migrations', 'fifos', '--rehearse', '--row-counts', 'fifo'], /--row-counts file .*fifo is a named pipe/],
    [['probe', '--targets', 'fifo'], /targets file .*fifo is a named pipe/],
    [['probe', '--from-capture', 'fifo'], /capture .*fifo is a named pipe/],
    [['probe', 'http://127.0.0.1:9/', '--ca', 'fifo'], /CA file .*fifo is a named pipe/],
    [['probe', 'http://127.0.0.1:9/', '--config', 'fifo'], /config .*fifo is a named pipe/],
    [['scan', 'fifos', '--config', '/dev/zero'], /config \/dev\/zero is a character device, not a regular file/],
    [['scan', 'fifos', '--baseline', '/dev/zero'], /baseline \/dev\/zero is a character device/],
    [['migrations', 'fifos', '--rehearse', '--row-counts', '/dev/zero'], /--row-counts file \/dev\/zero is a character device/],
    [['probe', '--targets', '/dev/zero'], /targets file \/dev\/zero is a character device/],
    [['probe', '--from-capture', '/dev/zero'], /capture \/dev\/zero is a character device/],
    [['scan', ''], /scan: empty argument ""/],
    [['migrations', ''], /migrations: empty argument ""/],
    [['scan', 'fifos', '--config', ''], /--config: empty value ""/],
    [['scan', 'fifos', '--baseline', ''], /--baseline: empty value ""/],
    [['probe', '--targets', ''], /--targets: empty value ""/],
  ])('%j is a one-line error, exit 2', async (args, message) => {
    expectOneLineError(await runHostile(args, base), message);
  });

  it('a capture nested 100,000 levels deep is refused as not a capture', async () => {
    const outcome = await runHostile(['probe', '--from-capture', 'capture.json'], base);
    expectSurvived(outcome);
    expect(outcome.code).toBe(2);
    // One line, then the first problems found, indented.
    expect(outcome.stderr.split('\n')[0]).toMatch(/capture\.json is not a shipready probe capture/);
  });

  it.each([
    ['a 1 MiB minified bundle of fetch calls under src/', ['scan', 'bundle', '--format', 'json']],
    ['the same at 2 MiB with --max-file-size 4MiB', ['scan', 'bundle-2m', '--format', 'json', '--max-file-size', '4MiB']],
    ['1,500 nested directories', ['scan', 'deep-dirs', '--format', 'json']],
    ['symbolic link loops and links out of the root', ['scan', 'loops', '--format', 'json']],
    ['a 20 MiB SQL file (scan)', ['scan', 'big-sql', '--format', 'json']],
    ['a 20 MiB SQL file (migrations)', ['migrations', 'big-sql', '--format', 'json']],
    ['binary garbage named .ts, .sql and .yaml, and invalid UTF-8', ['scan', 'garbage', '--format', 'json']],
    ['binary garbage as migrations', ['migrations', 'garbage', '--format', 'json']],
    ['package.json and tsconfig.json nested 200,000 levels deep', ['scan', 'json-bomb', '--format', 'json']],
    ['a YAML alias bomb in a compose file and a workflow', ['scan', 'yaml-bomb-compose', '--format', 'json']],
    ['source nested 20,000 levels deep and 200,000-operator chains', ['scan', 'deep-code', '--format', 'json']],
  ])('%s: finishes with a report', async (_name, args) => {
    const outcome = await runHostile(args, base);
    expectSurvived(outcome);
    expect(outcome.code).not.toBe(2);
    expect(notesOf(outcome)).toBeInstanceOf(Array);
  });

  it('a YAML alias bomb in shipready.config.yaml is a configuration error', async () => {
    expectOneLineError(await runHostile(['scan', 'yaml-bomb'], base), /shipready\.config\.yaml: not valid YAML/);
  });

  it('the 20 MiB SQL file is noted, not silently dropped, by migrations', async () => {
    const outcome = await runHostile(['migrations', 'big-sql', '--format', 'json'], base);
    expect(notesOf(outcome).some((note) => note.path === 'migrations/001_big.sql')).toBe(true);
  });

  it('--write-baseline neither writes through a planted link nor blocks on a planted FIFO', async () => {
    const victim = write('victim.txt', 'keep');
    symlinkSync(victim, path.join(app('baseline-link'), '.shipready-baseline.json'));
    expectOneLineError(await runHostile(['scan', 'baseline-link', '--write-baseline'], base), /--write-baseline: .* is a symbolic link; not written through/);
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    app('baseline-fifo');
    fifo(path.join('baseline-fifo', '.shipready-baseline.json'));
    expectOneLineError(await runHostile(['scan', 'baseline-fifo', '--write-baseline'], base), /--write-baseline: .* is a named pipe/);
  });

  it('a link to /etc/passwd named .env is not read', async () => {
    const outcome = await runHostile(['scan', 'loops', '--format', 'json'], base);
    expect(notesOf(outcome).find((note) => note.path === '.env')?.message).toBe('symbolic link to a file outside the scanned root');
    expect(outcome.stdout).not.toContain('root:x:0:0');
  });

  it('file names with newlines, escapes and bidi controls reach the text report without control characters', async () => {
    const outcome = await runHostile(['scan', 'names'], base);
    expectSurvived(outcome);
    expect(outcome.stdout).not.toMatch(/[\u001b\u202e]/);
    const json = await runHostile(['scan', 'names', '--format', 'json'], base);
    expect(parseJson(json.stdout)).toBeTypeOf('object');
  });

  it('a reader that closes the pipe early (`| head`) ends the output without an EPIPE stack trace', async () => {
    // Through a shell, as a user would: the report is larger than the pipe's buffer, so shipready is still writing when head exits.
    const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
    const command = `${quote(process.execPath)} ${quote(BIN)} scan ${quote(path.join(REPO_ROOT, 'examples', 'prototype-app'))} --format json | head -c 10 > /dev/null`;
    const outcome = await new Promise<Outcome>((resolve) => {
      const child = spawn('sh', ['-c', command], { cwd: base, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('close', (code, signal) => resolve({ code, signal, stdout: '', stderr, timedOut: false }));
    });
    expectSurvived(outcome);
    expect(outcome.stderr).toBe('');
  });

  it('prints a stack trace for an internal error only with --debug (a usage error has none either way)', async () => {
    const outcome = await runHostile(['scan', 'fifos', '--config', 'fifo', '--debug'], base);
    expectOneLineError(outcome, /named pipe/);
  });
});
