import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, symlinkSync } from 'node:fs';
import { readInputFile, readRegularFile, writeRegularFile } from './safe-read.js';

const dir = mkdtempSync(path.join(tmpdir(), 'shipready-safe-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// mkfifo(1) is in coreutils on every Linux and macOS machine the tests run on; Windows has no FIFOs.
const fifoIt = process.platform === 'win32' ? it.skip : it;

describe('readRegularFile', () => {
  it('reads a regular file within the cap', () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'hello');
    const read = readRegularFile(file, 5);
    expect(read.ok && read.value.toString('utf8')).toBe('hello');
  });

  it('refuses a file over the cap, a directory and a missing file', () => {
    const file = path.join(dir, 'big.txt');
    writeFileSync(file, 'x'.repeat(100));
    const big = readRegularFile(file, 99);
    expect(!big.ok && big.error.code).toBe('TOO_LARGE');
    mkdirSync(path.join(dir, 'sub'));
    const directory = readRegularFile(path.join(dir, 'sub'), 1024);
    expect(!directory.ok && directory.error.code).toBe('NOT_REGULAR');
    const missing = readRegularFile(path.join(dir, 'nope'), 1024);
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
  });

  fifoIt('refuses a FIFO without blocking and /dev/zero without reading it', () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const pipe = readRegularFile(fifo, 1024);
    expect(!pipe.ok && pipe.error.code).toBe('NOT_REGULAR');
    expect(!pipe.ok && pipe.error.message).toContain('named pipe');
    const zero = readRegularFile('/dev/zero', 1024);
    expect(!zero.ok && zero.error.code).toBe('NOT_REGULAR');
  });
});

describe('readInputFile', () => {
  fifoIt('turns every refusal into a one-line user error with the caller’s code', () => {
    const fifo = path.join(dir, 'config-pipe');
    execFileSync('mkfifo', [fifo]);
    const options = { what: 'config', code: 'CONFIG_UNREADABLE', hint: 'check the --config path' } as const;
    const pipe = readInputFile(fifo, options);
    expect(!pipe.ok && [pipe.error.code, pipe.error.message]).toEqual(['CONFIG_UNREADABLE', `config ${fifo} is a named pipe (FIFO), not a regular file`]);
    const file = path.join(dir, 'huge.json');
    writeFileSync(file, '{}'.padEnd(2048));
    const huge = readInputFile(file, { ...options, maxBytes: 1024 });
    expect(!huge.ok && huge.error.message).toBe(`config ${file} is larger than 1024 bytes`);
    const missing = readInputFile(path.join(dir, 'nope'), { ...options, code: 'PATH_UNREADABLE' });
    expect(!missing.ok && missing.error.code).toBe('PATH_NOT_FOUND');
  });
});

describe('writeRegularFile', () => {
  fifoIt('writes a regular file, and refuses a link (never writing through it) and a FIFO (never blocking)', () => {
    const file = path.join(dir, 'baseline.json');
    writeFileSync(file, 'old content that is longer');
    expect(writeRegularFile(file, 'new').ok).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('new');
    const victim = path.join(dir, 'victim');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, path.join(dir, 'linked.json'));
    const linked = writeRegularFile(path.join(dir, 'linked.json'), 'overwritten');
    expect(!linked.ok && linked.error.code).toBe('NOT_REGULAR');
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const pipe = writeRegularFile(path.join(dir, 'pipe.json'), 'x');
    expect(!pipe.ok && pipe.error.code).toBe('NOT_REGULAR');
  });
});
