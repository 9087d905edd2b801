import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempDir, removeTempDir, watchTempDirs } from './temp-dirs.js';

describe('temporary directories', () => {
  it('reports each new directory to the watcher and removes it with its contents', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'shipready-test-'));
    const watched: string[] = [];
    watchTempDirs((dir) => watched.push(dir));
    try {
      const made = createTempDir('a-', parent);
      if (!made.ok) throw new Error(made.error.message);
      expect(watched).toEqual([made.value]);
      writeFileSync(path.join(made.value, 'data'), 'x');
      removeTempDir(made.value);
      expect(existsSync(made.value)).toBe(false);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      watchTempDirs(() => undefined);
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('is an error value when the parent does not exist', () => {
    const made = createTempDir('x-', path.join(tmpdir(), 'shipready-no-such-parent', 'nested'));
    expect(made.ok ? '' : made.error.code).toBe('TEMP_DIR');
  });
});
