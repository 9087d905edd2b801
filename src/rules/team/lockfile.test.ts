import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './lockfile.js';

describe('team/lockfile', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/lockfile', import.meta.url)));
});
