import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './version-drift.js';

describe('operations/version-drift', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/version-drift', import.meta.url)));
});
