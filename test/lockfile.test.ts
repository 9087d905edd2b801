import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingOptionalDependencies } from '../scripts/complete-lockfile.mjs';
import { REPO_ROOT } from './helpers.js';

describe('package-lock.json', () => {
  it('lists every optional platform build, so `npm ci` accepts it on a clean clone', () => {
    const lock: unknown = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8'));
    expect(missingOptionalDependencies(lock)).toEqual([]);
  });
});
