import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './backup-documented.js';

describe('data/backup-documented', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/backup-documented', import.meta.url)));
});
