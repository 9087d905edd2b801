import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './compose-depends-healthy.js';

describe('reliability/compose-depends-healthy', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/compose-depends-healthy', import.meta.url)));
});
