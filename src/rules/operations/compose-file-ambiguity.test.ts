import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './compose-file-ambiguity.js';

describe('operations/compose-file-ambiguity', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/compose-file-ambiguity', import.meta.url)));
});
