import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { makeTree, REPO_ROOT } from './helpers.js';

/** Polls `condition` every 100 ms until it holds or `limitMs` passes; returns whether it held. */
async function eventually(condition: () => boolean, limitMs: number): Promise<boolean> {
  for (let waited = 0; waited < limitMs; waited += 100) {
    if (condition()) return true;
    await sleep(100);
  }
  return condition();
}

describe('temporary rehearsal directories', () => {
  it('are removed when the CLI is killed in the middle of a rehearsal', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'shipready-reaper-'));
    const tree = makeTree({
      'migrations/001_create.sql': 'CREATE TABLE events (id bigint PRIMARY KEY, payload text NOT NULL);\n',
      'migrations/002_index.sql': 'CREATE INDEX events_payload_idx ON events (payload);\n',
    });
    try {
      // Millions of rows keep the fill busy long enough to kill the process while PGlite holds its data directory.
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'shipready.js'), 'migrations', tree.dir, '--rehearse', '--rows', '20000000'], {
        env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp },
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const rehearsalDir = (): string | undefined => readdirSync(tmp).find((name) => name.startsWith('shipready-rehearsal-'));
      // The reaper is started right after the directory is made, before anything is written into it, so
      // a directory with content is one whose reaper is running: killing earlier tests a microsecond race,
      // not the reaper.
      const populated = (): boolean => {
        const dir = rehearsalDir();
        return dir !== undefined && readdirSync(path.join(tmp, dir)).length > 0;
      };
      expect(await eventually(populated, 30_000)).toBe(true);
      child.kill('SIGKILL');
      await exited;
      // A loaded CI machine can take seconds to start the reaper's Node process.
      expect(await eventually(() => rehearsalDir() === undefined, 20_000)).toBe(true);
    } finally {
      tree.cleanup();
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('are removed at the end of a rehearsal that finishes', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'shipready-reaper-'));
    const tree = makeTree({ 'migrations/001_create.sql': 'CREATE TABLE t (id int);\n' });
    try {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'shipready.js'), 'migrations', tree.dir, '--rehearse', '--rows', '10'], { env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp }, stdio: 'ignore' });
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      expect(readdirSync(tmp).filter((name) => name.startsWith('shipready-rehearsal-'))).toEqual([]);
    } finally {
      tree.cleanup();
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
