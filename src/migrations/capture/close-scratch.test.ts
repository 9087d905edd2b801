import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeScratch } from './index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipready-pg-test-'));
  dirs.push(dir);
  return dir;
}

describe('closeScratch', () => {
  it('closes the database and removes the socket directory even when the server fails to stop, then rethrows', async () => {
    const dir = scratchDir();
    let dbClosed = false;
    const server = { stop: (): Promise<void> => Promise.reject(new Error('stop failed')) };
    const db = {
      close: (): Promise<void> => {
        dbClosed = true;
        return Promise.resolve();
      },
    };
    await expect(closeScratch(server, db, dir)).rejects.toThrow('stop failed');
    expect(dbClosed).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('removes the socket directory when the database fails to close', async () => {
    const dir = scratchDir();
    const db = { close: (): Promise<void> => Promise.reject(new Error('close failed')) };
    await expect(closeScratch({ stop: () => Promise.resolve() }, db, dir)).rejects.toThrow('close failed');
    expect(existsSync(dir)).toBe(false);
  });

  it('stops what was started when the start failed half-way (no server, no directory)', async () => {
    const closed: string[] = [];
    const db = {
      close: (): Promise<void> => {
        closed.push('db');
        return Promise.resolve();
      },
    };
    await closeScratch(undefined, db, undefined);
    expect(closed).toEqual(['db']);
  });
});
